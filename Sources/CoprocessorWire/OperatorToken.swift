/// The operator's credential for the operator-only methods (`WireMethod.operatorOnly`:
/// SubmitProgram). When a node has one, callers of those methods present it as
/// `Authorization: Bearer <token>` — an HTTP header on the gateway, the `authorization` metadata
/// entry over gRPC — and are refused with UNAUTHENTICATED (HTTP 401) otherwise. Without one,
/// every method is open (InfinityVM's behaviour).
public struct OperatorToken: Sendable {
    private let bytes: [UInt8]

    /// `token`: printable ASCII without spaces (what fits in a header unchanged), 16–4096 bytes.
    public init(_ token: String) throws(NodeError) {
        let bytes = Array(token.utf8)
        guard (16...4096).contains(bytes.count), bytes.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw NodeError.invalidArgument(
                "an operator token is 16 to 4096 printable ASCII characters without spaces (got \(bytes.count) bytes)")
        }
        self.bytes = bytes
    }

    /// The scheme of the `authorization` value.
    public static let scheme = "Bearer"

    /// Whether an `authorization` value ("Bearer <token>") presents this token. The comparison
    /// takes the same time wherever the first difference lies.
    public func admits(authorization: String?) -> Bool {
        guard let authorization else { return false }
        let presented = Array(authorization.utf8)
        let prefix = Array("\(Self.scheme) ".utf8)
        guard presented.count == prefix.count + bytes.count,
              presented.prefix(prefix.count).map({ $0 | 0x20 }) == prefix.map({ $0 | 0x20 }) else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(presented.dropFirst(prefix.count), bytes) { difference |= a ^ b }
        return difference == 0
    }

    /// The check both front ends make before calling `method`: nil to go on, else the refusal.
    public static func refusal<Request, Response>(of method: WireMethod<Request, Response>, token: OperatorToken?,
                                                  authorization: String?) -> NodeError? {
        guard method.operatorOnly, let token, !token.admits(authorization: authorization) else { return nil }
        return NodeError(.unauthenticated, authorization == nil
            ? "\(method.name) needs the operator token: send Authorization: \(scheme) <token>"
            : "\(method.name): the operator token presented is not this node's")
    }
}
