import Ethereum
import Foundation

/// Where the operator's signing key comes from.
public enum OperatorKeySource {
    /// InfinityVM's well-known development secret (address 0xa0Ee7A142d267C1f36714E4a8F75612F20a79720).
    /// Never use it with real funds or contracts.
    public static let developmentKeyHex = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"

    /// Loads a key from hex text (an environment variable's value or a key file's contents).
    public static func load(hex text: String) throws -> PrivateKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        do { return try PrivateKey(hex: trimmed) } catch {
            throw ConfigurationError("invalid private key: \(error)")
        }
    }
}
