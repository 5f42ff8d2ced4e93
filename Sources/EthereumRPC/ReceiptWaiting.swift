import Ethereum

extension EthereumClient {
    /// Polls until the transaction's receipt is `confirmations` blocks deep and returns it.
    ///
    /// The block holding the transaction counts as the first confirmation (so 1 = mined; 0 is
    /// treated as 1). The receipt is fetched again on every poll, so after a reorganisation the
    /// returned receipt is the one in the current chain. Transport failures and timeouts of single
    /// polls are tolerated until `timeout` (the node may be restarting); a JSON-RPC error is thrown
    /// at once. On timeout, `.receiptTimeout` carries the last receipt seen and the last error.
    public func waitForReceipt(
        _ hash: Bytes32, confirmations: UInt64 = 1, pollInterval: Duration = .seconds(1), timeout: Duration = .seconds(120)
    ) async throws(EthereumClientError) -> Receipt {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        let needed = max(confirmations, 1)
        var lastReceipt: Receipt?
        var lastError: JSONRPCError?

        while true {
            do {
                if let receipt = try await transactionReceipt(hash) {
                    lastReceipt = receipt
                    // Only ask for the head when the receipt alone cannot settle it.
                    if needed == 1 { return receipt }
                    let head = try await blockNumber()
                    if head >= receipt.blockNumber && head - receipt.blockNumber + 1 >= needed { return receipt }
                } else {
                    lastReceipt = nil  // pending, or dropped by a reorganisation
                }
                lastError = nil
            } catch .rpc(let error) where error.isTransportFailure {
                lastError = error
            }

            let now = clock.now
            guard now < deadline else {
                throw .receiptTimeout(transactionHash: hash, lastReceipt: lastReceipt, lastError: lastError)
            }
            do {
                try await clock.sleep(until: min(now.advanced(by: pollInterval), deadline))
            } catch {
                throw .rpc(.cancelled)
            }
        }
    }
}
