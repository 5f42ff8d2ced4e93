@testable import Coprocessor
import Ethereum
import Testing

/// The per-signer token bucket on the intake's clock: exact refill, a burst of one second's worth,
/// other signers unaffected, idle buckets dropped when many signers are tracked.
@Suite("Per-signer rate limit")
struct SignerRateLimitTests {
    static func address(_ n: UInt8) -> Address { try! Address(bytes: [UInt8](repeating: 0, count: 19) + [n]) }

    @Test("2 jobs a second: a burst of 2, then one token per half second")
    func refill() {
        let limit = SignerRateLimit(rate: 2)
        let a = Self.address(1), b = Self.address(2)
        #expect(limit.take(a, now: 100) && limit.take(a, now: 100))
        #expect(!limit.take(a, now: 100))
        #expect(limit.take(b, now: 100), "another signer has its own bucket")
        #expect(!limit.take(a, now: 100.4))
        #expect(limit.take(a, now: 100.5))
        #expect(!limit.take(a, now: 100.5))
        #expect(limit.take(a, now: 110) && limit.take(a, now: 110) && !limit.take(a, now: 110), "no more than the burst")
    }

    @Test("rate 0 means no limit")
    func unlimited() {
        let limit = SignerRateLimit(rate: 0)
        #expect((0..<1000).allSatisfy { _ in limit.take(Self.address(1), now: 0) })
    }

    @Test("past pruneAbove tracked signers, refilled buckets are dropped; a draining one is kept")
    func pruning() {
        let limit = SignerRateLimit(rate: 1, pruneAbove: 2)
        for n in UInt8(1)...3 { #expect(limit.take(Self.address(n), now: 0)) }
        #expect(limit.trackedSigners == 3)
        #expect(limit.take(Self.address(4), now: 0.5))  // 1-3 are half refilled: kept
        #expect(limit.trackedSigners == 4)
        #expect(limit.take(Self.address(5), now: 10))  // 1-4 have refilled: dropped
        #expect(limit.trackedSigners == 1)
    }
}
