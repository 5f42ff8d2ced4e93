import Coprocessor
import EthereumRPC
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Several nodes on one database: exactly one of them relays results (one Ethereum nonce
/// sequence) and listens for JobCreated events. The node that holds the singleton lease "chain"
/// runs both, on the store as fenced by its epoch, so once another node has taken over, a
/// stalled leader's relay and checkpoint writes are refused. The lease is renewed a few times
/// per lease period on the database's clock; when a renewal fails or finds another holder the
/// node stops both at once and goes back to waiting. The new leader starts from the persisted
/// relay queue: transactions recorded by the old one are checked or re-sent unchanged, so no
/// nonce is skipped or used twice and no result is relayed twice.
public final class ChainLeadership: Service, Sendable {
    public static let singleton = "chain"

    private let leases: SingletonLeases
    private let interval: Duration
    private let makeRelayer: @Sendable (any JobStore & RelayStore) -> ResultRelayer
    private let makeListener: @Sendable (any JobStore & RelayStore) -> JobCreatedListener
    private let relayer = Mutex<ResultRelayer?>(nil)
    private let logger: Logger
    private let leading = Gauge(label: "coprocessor_chain_leader")
    private let epochGauge = Gauge(label: "coprocessor_chain_leader_epoch")
    private let terms = Counter(label: "coprocessor_chain_leader_terms_total")

    /// - Parameters:
    ///   - leaseDuration: how long the lease lasts unrenewed (the store's); renewed every third of it.
    public init(leases: SingletonLeases, leaseDuration: Duration,
                makeRelayer: @escaping @Sendable (any JobStore & RelayStore) -> ResultRelayer,
                makeListener: @escaping @Sendable (any JobStore & RelayStore) -> JobCreatedListener,
                logger: Logger = Logger(label: "chain-leadership")) {
        self.leases = leases
        self.interval = leaseDuration / 3
        self.makeRelayer = makeRelayer
        self.makeListener = makeListener
        self.logger = logger
    }

    /// Wakes the current term's relayer, if this node leads (a job just became DONE here).
    public func notify() { relayer.withLock { $0 }?.notify() }

    public func run() async throws {
        leading.record(0)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let epoch: UInt64?
                do { epoch = try await self.leases.acquireSingleton(Self.singleton) } catch {
                    self.logger.warning("could not reach the database for the chain lease", metadata: ["error": "\(error)"])
                    epoch = nil
                }
                if let epoch { await self.lead(epoch: epoch) }
                // Followers ask often (one upsert of one row): a dead leader is replaced as soon as
                // its lease runs out.
                try? await Task.sleep(for: min(self.interval, .seconds(1)))
            }
        }
    }

    /// One term: the relayer and the listener run until the lease is lost or the node stops.
    private func lead(epoch: UInt64) async {
        let store = leases.fenced(by: Self.singleton, epoch: epoch)
        let relayer = makeRelayer(store)
        let listener = makeListener(store)
        self.relayer.withLock { $0 = relayer }
        leading.record(1)
        epochGauge.record(Int(epoch))
        terms.increment()
        logger.notice("leading: this node relays results and listens for JobCreated", metadata: [
            "epoch": "\(epoch)", "holder": "\(leases.holder)",
        ])
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do { try await relayer.run() } catch { self.logger.error("relayer stopped", metadata: ["error": "\(error)"]) }
            }
            group.addTask {
                do { try await listener.run() } catch { self.logger.error("listener stopped", metadata: ["error": "\(error)"]) }
            }
            group.addTask { await self.keepLease(epoch: epoch) }
            _ = await group.next()  // the lease was lost, or the node is stopping
            group.cancelAll()
        }
        self.relayer.withLock { $0 = nil }
        leading.record(0)
        do { try await leases.releaseSingleton(Self.singleton, epoch: epoch) } catch {
            logger.warning("could not release the chain lease; it expires on its own", metadata: ["error": "\(error)"])
        }
        logger.notice("stepped down as chain leader", metadata: ["epoch": "\(epoch)"])
    }

    /// Renews the lease; returns when it is lost (another holder, another epoch, or no answer
    /// from the database for as long as the lease lasts) or on cancellation.
    private func keepLease(epoch: UInt64) async {
        var lastRenewal = ContinuousClock.now
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            do {
                guard try await leases.acquireSingleton(Self.singleton) == epoch else {
                    logger.warning("lost the chain lease to another node", metadata: ["epoch": "\(epoch)"])
                    return
                }
                lastRenewal = .now
            } catch {
                // The lease may still be ours; past the lease period it certainly is not.
                guard ContinuousClock.now - lastRenewal < interval * 3 else {
                    logger.warning("could not renew the chain lease in time", metadata: ["error": "\(error)"])
                    return
                }
            }
        }
    }
}
