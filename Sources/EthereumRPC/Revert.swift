import Ethereum

/// A reverted `eth_call` / `eth_estimateGas`: the revert data and what it says.
public struct Revert: Hashable, Sendable, CustomStringConvertible {
    /// Solidity's `Error(string)` selector.
    public static let errorSelector: [UInt8] = [0x08, 0xc3, 0x79, 0xa0]
    /// Solidity's `Panic(uint256)` selector (assert failures, overflow, …).
    public static let panicSelector: [UInt8] = [0x4e, 0x48, 0x7b, 0x71]

    /// The raw revert data (empty for a bare `revert()` or when the node sent none).
    public let data: [UInt8]
    /// The node's error message, e.g. "execution reverted: not authorized".
    public let message: String
    /// The string of `Error(string)` revert data.
    public let reason: String?
    /// The code of `Panic(uint256)` revert data.
    public let panicCode: UInt256?

    public init(data: [UInt8], message: String) {
        self.data = data
        self.message = message
        reason = Self.decodeReason(data)
        panicCode = Self.decodePanicCode(data)
    }

    /// The message of `Error(string)` revert data: the selector, then the ABI encoding of one string
    /// (a string is encoded as `bytes`). Invalid UTF-8 is repaired rather than dropped.
    public static func decodeReason(_ data: [UInt8]) -> String? {
        guard data.starts(with: errorSelector),
              let values = try? ABI.decode([.bytes], from: Array(data.dropFirst(4))),
              case .bytes(let utf8)? = values.first
        else { return nil }
        return String(decoding: utf8, as: UTF8.self)
    }

    public static func decodePanicCode(_ data: [UInt8]) -> UInt256? {
        guard data.starts(with: panicSelector),
              let values = try? ABI.decode([.uint256], from: Array(data.dropFirst(4))),
              case .uint256(let code)? = values.first
        else { return nil }
        return code
    }

    /// The revert carried by a JSON-RPC error, if it is one.
    ///
    /// Nodes differ: geth and anvil answer code 3 with `data` the revert hex; others use -32000 or
    /// -32603 with "revert" in the message and `data` either the hex or an object holding it
    /// under `data`. A hex string found in any of these places is taken as the revert data.
    public init?(rpcError error: JSONRPCError) {
        guard case .rpc(let code, let message, let data) = error else { return nil }
        guard code == JSONRPCError.Code.executionReverted || message.lowercased().contains("revert") else { return nil }
        self.init(data: Self.revertBytes(in: data) ?? [], message: message)
    }

    private static func revertBytes(in value: JSONValue?) -> [UInt8]? {
        switch value {
        case .string(let text)?:
            return try? Quantity.parseData(text)
        case .object(let members)?:
            for key in ["data", "result", "revertData"] {
                if let bytes = revertBytes(in: members[key]) { return bytes }
            }
            return nil
        default:
            return nil
        }
    }

    public var description: String {
        if let reason { return "reverted: \(reason)" }
        if let panicCode { return "reverted: panic 0x\(String(panicCode.uint64Value ?? 0, radix: 16))" }
        return data.isEmpty ? "reverted (\(message))" : "reverted with data \(Hex.encode(data))"
    }
}
