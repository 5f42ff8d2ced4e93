import Ethereum
import Foundation

/// Where the operator's signing key comes from.
public enum OperatorKeySource {
    /// InfinityVM's well-known development secret (address 0xa0Ee7A142d267C1f36714E4a8F75612F20a79720).
    /// Never use it with real funds or contracts.
    public static let developmentKeyHex = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"

    /// The environment variables that may hold the operator key as hex: InfinityVM's name at the
    /// commit this node follows, and the name it later renamed it to.
    public static let environmentVariables = ["ZKVM_OPERATOR_PRIV_KEY", "ZKVM_OPERATOR_PRIVATE_KEY"]

    /// The key the environment holds, if either variable is set (an empty value counts as unset).
    /// Both set to different keys is refused rather than one silently winning.
    public static func fromEnvironment(_ environment: [String: String]) throws -> PrivateKey? {
        var found: (name: String, key: PrivateKey)?
        for name in environmentVariables {
            guard let text = environment[name], !text.isEmpty else { continue }
            let key: PrivateKey
            do { key = try load(hex: text) } catch { throw ConfigurationError("\(name): \(error)") }
            if let found, found.key.address != key.address {
                throw ConfigurationError("\(found.name) and \(name) hold different keys; set one of them")
            }
            found = (name, key)
        }
        return found?.key
    }

    /// Loads a key from hex text (an environment variable's value or a key file's contents).
    public static func load(hex text: String) throws -> PrivateKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        do { return try PrivateKey(hex: trimmed) } catch {
            throw ConfigurationError("invalid private key: \(error)")
        }
    }
}
