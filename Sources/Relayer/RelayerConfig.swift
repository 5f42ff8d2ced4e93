import Coprocessor
import Ethereum

/// Settings of the chain side of the node: relaying results and taking onchain jobs.
public struct RelayerConfig: Sendable {
    public var rpcURL: String
    public var jobManager: Address
    /// The key that pays for and signs relay transactions (not the operator key, which signs
    /// results).
    public var relayerKey: PrivateKey
    /// Blocks a relay transaction must be under (1 = mined) before the job is RELAYED.
    public var confirmations: UInt64 = 1
    /// Failed attempts after which a job stays DONE with "relaying gave up".
    public var maxRetries: UInt32 = 5
    /// First retry delay; doubles per attempt up to `maxRetryDelay`.
    public var retryBaseDelay: Duration = .seconds(1)
    public var maxRetryDelay: Duration = .seconds(60)
    /// The node's strategy: `.ordered` orders every job; `.unordered` relays each job as it asked
    /// (SubmitJob's relay_strategy, stored with the job).
    public var strategy: RelayStrategy = .unordered
    /// Extra gas over `eth_estimateGas`, in percent.
    public var gasHeadroomPercent: UInt64 = 20
    /// How long one attempt waits for its receipt before it is retried.
    public var receiptTimeout: Duration = .seconds(60)
    public var receiptPollInterval: Duration = .milliseconds(200)
    /// The JobCreated listener: poll interval, first block (default: the head at first start),
    /// and the widest eth_getLogs range per request.
    public var pollInterval: Duration = .seconds(1)
    public var startBlock: UInt64?
    public var maxLogRange: UInt64 = 2_000

    public init(rpcURL: String, jobManager: Address, relayerKey: PrivateKey) {
        self.rpcURL = rpcURL
        self.jobManager = jobManager
        self.relayerKey = relayerKey
    }

    /// Delay before attempt `attempts + 1`.
    func retryDelay(afterAttempts attempts: UInt32) -> Duration {
        var delay = retryBaseDelay
        for _ in 1..<max(1, attempts) where delay < maxRetryDelay { delay *= 2 }
        return min(delay, maxRetryDelay)
    }
}
