import Ethereum
import Foundation

/// Who may sign a consumer's offchain job requests.
public enum SignerPolicy: Sendable, Equatable {
    /// Any recoverable signature is accepted (development default); the signer is recorded.
    case any
    /// Per consumer, the accepted signer addresses. Consumers without an entry are refused.
    case allowlist([Address: Set<Address>])

    public func permits(signer: Address, consumer: Address) -> Bool {
        switch self {
        case .any: true
        case .allowlist(let map): map[consumer]?.contains(signer) ?? false
        }
    }

    /// Parses `any` or `allowlist:<path>`, where the file is JSON `{"<consumer>": ["<signer>", ...]}`.
    public init(argument: String) throws {
        if argument == "any" {
            self = .any
            return
        }
        guard argument.hasPrefix("allowlist:") else {
            throw ConfigurationError("signer policy must be 'any' or 'allowlist:<file.json>', got '\(argument)'")
        }
        let path = String(argument.dropFirst("allowlist:".count))
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("cannot read signer allowlist \(path)")
        }
        let raw = try JSONDecoder().decode([String: [String]].self, from: data)
        var map: [Address: Set<Address>] = [:]
        for (consumer, signers) in raw {
            map[try Address(hex: consumer)] = Set(try signers.map { s throws in try Address(hex: s) })
        }
        self = .allowlist(map)
    }
}
