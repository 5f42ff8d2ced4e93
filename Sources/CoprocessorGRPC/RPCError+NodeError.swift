import Coprocessor
import GRPCCore

extension RPCError {
    /// `StatusCode`'s raw values are gRPC status codes, so the mapping is one to one; a code gRPC
    /// does not know (or OK, which is not an error) becomes INTERNAL rather than being dropped.
    public init(_ error: NodeError) {
        let code = Status.Code(rawValue: error.code.rawValue).flatMap(RPCError.Code.init) ?? .internalError
        self.init(code: code, message: error.message)
    }
}
