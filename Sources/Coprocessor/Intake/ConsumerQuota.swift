import Ethereum
import Synchronization

/// Offchain jobs each consumer has accepted and not yet finished (queued or running), bounded per
/// consumer so that one consumer cannot fill the node's queue and starve the others. Onchain jobs
/// are not counted: the chain has already accepted them.
final class ConsumerQuota: Sendable {
    /// Jobs one consumer may have unfinished; 0: no limit.
    let limit: Int
    private let counts = Mutex<[Address: Int]>([:])

    init(limit: Int) { self.limit = limit }

    /// Takes a place for one more job of `consumer`; false when it is at its limit.
    func reserve(_ consumer: Address) -> Bool {
        counts.withLock { counts in
            let current = counts[consumer, default: 0]
            guard limit == 0 || current < limit else { return false }
            counts[consumer] = current + 1
            return true
        }
    }

    /// Counts one more job of `consumer` whatever the limit (jobs stored before a restart).
    func add(_ consumer: Address) { counts.withLock { $0[consumer, default: 0] += 1 } }

    /// Gives a place back: the job finished, or was not stored after all.
    func release(_ consumer: Address) {
        counts.withLock { counts in
            let current = counts[consumer, default: 0]
            if current <= 1 { counts[consumer] = nil } else { counts[consumer] = current - 1 }
        }
    }
}
