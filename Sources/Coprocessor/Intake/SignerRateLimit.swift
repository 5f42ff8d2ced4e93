import Ethereum
import Synchronization

/// Offchain jobs per second each request signer may submit: a token bucket per signer (`rate`
/// tokens a second, up to `burst` saved), so that one key cannot flood the node. Times are the
/// intake's clock (seconds), so the limit is exact and testable. Buckets that have refilled are
/// dropped when many signers are tracked, which bounds the memory a stream of fresh keys can take.
final class SignerRateLimit: Sendable {
    /// Jobs per second per signer; 0: no limit.
    let rate: Double
    let burst: Double
    private struct Bucket {
        var tokens: Double
        var at: Double
    }
    private let buckets = Mutex<[Address: Bucket]>([:])
    /// Past this many tracked signers, full buckets are dropped on the next take.
    private let pruneAbove: Int

    init(rate: Double, burst: Double? = nil, pruneAbove: Int = 10_000) {
        self.rate = max(0, rate)
        self.burst = max(1, burst ?? rate)
        self.pruneAbove = pruneAbove
    }

    /// Takes one job's token for `signer` at time `now`; false when its bucket is empty.
    func take(_ signer: Address, now: Double) -> Bool {
        guard rate > 0 else { return true }
        return buckets.withLock { buckets in
            if buckets.count > pruneAbove {
                buckets = buckets.filter { refilled($0.value, now: now) < burst }
            }
            let tokens = buckets[signer].map { refilled($0, now: now) } ?? burst
            guard tokens >= 1 else {
                buckets[signer] = Bucket(tokens: tokens, at: now)
                return false
            }
            buckets[signer] = Bucket(tokens: tokens - 1, at: now)
            return true
        }
    }

    /// Signers with a bucket (for tests and metrics).
    var trackedSigners: Int { buckets.withLock { $0.count } }

    private func refilled(_ bucket: Bucket, now: Double) -> Double {
        min(burst, bucket.tokens + max(0, now - bucket.at) * rate)
    }
}
