import Ethereum
import Logging

/// Typed Ethereum JSON-RPC calls. Stateless (nonces belong to the caller); share one per node.
public struct EthereumClient: Sendable {
    public let rpc: JSONRPCClient

    public init(rpc: JSONRPCClient) {
        self.rpc = rpc
    }

    public init(url: String, logger: Logger = Logger(label: "ethereum-rpc")) throws(JSONRPCConfigurationError) {
        try self.init(rpc: JSONRPCClient(configuration: .init(url: url), logger: logger))
    }

    /// Must be called once before the client is released: AsyncHTTPClient traps in debug builds
    /// when an `HTTPClient` is deinitialised while running. `withClient` does it for you.
    public func shutdown() async throws {
        try await rpc.shutdown()
    }

    /// Runs `body` with a new client and shuts it down afterwards, whether `body` throws or not.
    public static func withClient<T>(
        configuration: JSONRPCClient.Configuration, logger: Logger = Logger(label: "ethereum-rpc"),
        _ body: (EthereumClient) async throws -> T
    ) async throws -> T {
        let client = EthereumClient(rpc: try JSONRPCClient(configuration: configuration, logger: logger))
        let result: T
        do {
            result = try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }

    /// One call with the client's retry policy, errors wrapped in `EthereumClientError.rpc`.
    func request<Result: Decodable>(
        _ method: String, _ params: [JSONValue] = [], as _: Result.Type = Result.self, idempotency: Idempotency = .idempotent
    ) async throws(EthereumClientError) -> Result {
        do {
            return try await rpc.call(method, params: params, as: Result.self, idempotency: idempotency)
        } catch {
            throw .rpc(error)
        }
    }

    func quantity(_ method: String, _ params: [JSONValue] = []) async throws(EthereumClientError) -> UInt64 {
        let text: String = try await request(method, params)
        do { return try Quantity.parseUInt64(text) } catch { throw .rpc(.invalidResponse("\(method): \(error)")) }
    }

    func quantity256(_ method: String, _ params: [JSONValue] = []) async throws(EthereumClientError) -> UInt256 {
        let text: String = try await request(method, params)
        do { return try Quantity.parseUInt256(text) } catch { throw .rpc(.invalidResponse("\(method): \(error)")) }
    }

    // MARK: Chain state

    /// `eth_chainId`.
    public func chainID() async throws(EthereumClientError) -> UInt64 {
        try await quantity("eth_chainId")
    }

    /// `eth_blockNumber`: the latest block.
    public func blockNumber() async throws(EthereumClientError) -> UInt64 {
        try await quantity("eth_blockNumber")
    }

    /// `eth_getTransactionCount`: with `.pending`, the next nonce the node would accept.
    public func transactionCount(_ address: Address, block: BlockTag = .pending) async throws(EthereumClientError) -> UInt64 {
        try await quantity("eth_getTransactionCount", [.string(address.lowercaseHex), block.json])
    }

    /// `eth_getBalance`, in wei.
    public func balance(_ address: Address, block: BlockTag = .latest) async throws(EthereumClientError) -> UInt256 {
        try await quantity256("eth_getBalance", [.string(address.lowercaseHex), block.json])
    }

    // MARK: Fees

    /// `eth_gasPrice`: the legacy price (for EIP-1559 chains, roughly base fee + tip).
    public func gasPrice() async throws(EthereumClientError) -> UInt256 {
        try await quantity256("eth_gasPrice")
    }

    /// `eth_maxPriorityFeePerGas`: the node's tip suggestion (not in every client).
    public func maxPriorityFeePerGas() async throws(EthereumClientError) -> UInt256 {
        try await quantity256("eth_maxPriorityFeePerGas")
    }

    /// `eth_feeHistory` over `blocks` blocks ending at `newest`, with the tips at `percentiles` (0...100, ascending).
    public func feeHistory(blocks: UInt64, newest: BlockTag = .latest, percentiles: [Double] = []) async throws(EthereumClientError) -> FeeHistory {
        try await request(
            "eth_feeHistory", [.string(Quantity.encode(blocks)), newest.json, .array(percentiles.map { .double($0) })])
    }

    // MARK: Execution

    /// `eth_estimateGas`. A revert is reported as `.reverted` with the revert data and reason.
    public func estimateGas(_ call: CallRequest, block: BlockTag? = nil) async throws(EthereumClientError) -> UInt64 {
        let text: String = try await requestMappingRevert("eth_estimateGas", [call.json] + (block.map { [$0.json] } ?? []))
        do { return try Quantity.parseUInt64(text) } catch { throw .rpc(.invalidResponse("eth_estimateGas: \(error)")) }
    }

    /// `eth_call`: the return data. A revert is reported as `.reverted` with the revert data and reason.
    public func call(_ call: CallRequest, block: BlockTag = .latest) async throws(EthereumClientError) -> [UInt8] {
        let text: String = try await requestMappingRevert("eth_call", [call.json, block.json])
        do { return try Quantity.parseData(text) } catch { throw .rpc(.invalidResponse("eth_call: \(error)")) }
    }

    private func requestMappingRevert<Result: Decodable>(_ method: String, _ params: [JSONValue]) async throws(EthereumClientError) -> Result {
        do {
            return try await rpc.call(method, params: params, as: Result.self)
        } catch {
            if let revert = Revert(rpcError: error) { throw .reverted(revert) }
            throw .rpc(error)
        }
    }

    // MARK: Transactions

    /// `eth_sendRawTransaction`: the hash the node reports. Retried only when the request provably
    /// never reached the node (see `RetryPolicy`); any other failure leaves the outcome to the caller.
    public func sendRawTransaction(_ raw: [UInt8]) async throws(EthereumClientError) -> Bytes32 {
        let text: String = try await request("eth_sendRawTransaction", [.string(Hex.encode(raw))], idempotency: .nonIdempotent)
        do { return try Quantity.parseBytes32(text) } catch { throw .rpc(.invalidResponse("eth_sendRawTransaction: \(error)")) }
    }

    /// Sends a signed transaction and checks that the node computed the same hash.
    @discardableResult
    public func send(_ transaction: SignedTransaction) async throws(EthereumClientError) -> Bytes32 {
        let hash = try await sendRawTransaction(transaction.raw)
        guard hash == transaction.hash else { throw .transactionHashMismatch(expected: transaction.hash, returned: hash) }
        return hash
    }

    /// `eth_getTransactionReceipt`: nil while the transaction is pending or unknown.
    public func transactionReceipt(_ hash: Bytes32) async throws(EthereumClientError) -> Receipt? {
        try await request("eth_getTransactionReceipt", [.string(hash.hexString)], as: Receipt?.self)
    }

    // MARK: Logs

    /// `eth_getLogs`. Nodes cap the range or result size; the caller pages by block range.
    public func getLogs(_ filter: LogFilter) async throws(EthereumClientError) -> [Log] {
        try await request("eth_getLogs", [filter.json])
    }
}

public enum EthereumClientError: Error, Sendable, CustomStringConvertible {
    /// The call failed at the JSON-RPC layer (a node error, timeout, transport, bad response).
    case rpc(JSONRPCError)
    /// `eth_call` / `eth_estimateGas` hit a revert.
    case reverted(Revert)
    /// `waitForReceipt` gave up. `lastReceipt` is the receipt seen without enough confirmations,
    /// `lastError` the last failure of a poll, if any.
    case receiptTimeout(transactionHash: Bytes32, lastReceipt: Receipt?, lastError: JSONRPCError?)
    /// The node's hash for a sent transaction is not keccak256(raw).
    case transactionHashMismatch(expected: Bytes32, returned: Bytes32)
    /// No fee could be computed (see `FeeEstimator`).
    case feeEstimationFailed(String)

    /// The JSON-RPC error behind `.rpc`.
    public var rpcError: JSONRPCError? {
        if case .rpc(let error) = self { return error }
        return nil
    }

    /// True for transport failures and timeouts: the node may be down, worth retrying later.
    public var isTransportFailure: Bool { rpcError?.isTransportFailure ?? false }

    public var description: String {
        switch self {
        case .rpc(let error): return error.description
        case .reverted(let revert): return "execution \(revert)"
        case .receiptTimeout(let hash, let receipt, let error):
            var text = "no receipt with enough confirmations for \(hash)"
            if let receipt { text += " (mined in block \(receipt.blockNumber))" }
            if let error { text += "; last error: \(error)" }
            return text
        case .transactionHashMismatch(let expected, let returned):
            return "node returned transaction hash \(returned), expected \(expected)"
        case .feeEstimationFailed(let reason): return "fee estimation failed: \(reason)"
        }
    }
}
