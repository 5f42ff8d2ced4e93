import Foundation
import Histogram
import Synchronization

/// Latency figures of one phase, in microseconds.
struct Latency: Codable {
    var p50: UInt64, p90: UInt64, p99: UInt64, max: UInt64, mean: Double, count: UInt64

    init(_ h: Histogram<UInt64>) {
        p50 = h.valueAtPercentile(50)
        p90 = h.valueAtPercentile(90)
        p99 = h.valueAtPercentile(99)
        max = h.max
        mean = (h.mean * 10).rounded() / 10
        count = h.totalCount
    }
}

/// The outcome of one operation in a closed-loop phase.
struct Outcome: Sendable {
    var error: String?
    /// Extra requests the operation made (GetResult polls of an end-to-end job).
    var polls: Int = 0
    /// Whether the node took the job (SubmitJob succeeded), even if a later poll failed.
    var accepted: Bool = false
    /// For end-to-end jobs: how long the SubmitJob call itself took.
    var submitMicros: UInt64? = nil
    static let ok = Outcome(error: nil)
}

struct PhaseStats: Sendable {
    var histogram: Histogram<UInt64>
    var submitHistogram = Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
    var ok: Int
    var errors: [String: Int]
    var polls: Int
    var okIndices: [Int]
    var acceptedIndices: [Int]
    var seconds: Double
}

final class Counter: Sendable {
    let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).oldValue }
}

/// `concurrency` workers, each issuing one operation at a time (closed loop) on indices
/// 0, 1, 2, … until `maxCount` operations were started or `duration` has passed. Latency is the
/// operation's wall time; throughput is successful operations per second of the whole phase.
func runClosedLoop(concurrency: Int, duration: Duration, maxCount: Int,
                   _ operation: @escaping @Sendable (Int) async -> Outcome) async -> PhaseStats {
    let counter = Counter()
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + duration
    var merged = PhaseStats(histogram: Histogram(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three),
                            ok: 0, errors: [:], polls: 0, okIndices: [], acceptedIndices: [], seconds: 0)
    await withTaskGroup(of: PhaseStats.self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                var s = PhaseStats(histogram: Histogram(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three),
                                   ok: 0, errors: [:], polls: 0, okIndices: [], acceptedIndices: [], seconds: 0)
                while true {
                    let i = counter.next()
                    if i >= maxCount || clock.now >= deadline { break }
                    let t0 = clock.now
                    let outcome = await operation(i)
                    let micros = (clock.now - t0).components
                    _ = s.histogram.record(UInt64(micros.seconds) * 1_000_000 + UInt64(micros.attoseconds / 1_000_000_000_000))
                    s.polls += outcome.polls
                    if outcome.accepted { s.acceptedIndices.append(i) }
                    if let m = outcome.submitMicros { _ = s.submitHistogram.record(m) }
                    if let e = outcome.error {
                        s.errors[e, default: 0] += 1
                    } else {
                        s.ok += 1
                        s.okIndices.append(i)
                    }
                }
                return s
            }
        }
        for await s in group {
            merged.histogram.add(s.histogram)
            merged.submitHistogram.add(s.submitHistogram)
            merged.ok += s.ok
            merged.polls += s.polls
            merged.okIndices += s.okIndices
            merged.acceptedIndices += s.acceptedIndices
            for (k, v) in s.errors { merged.errors[k, default: 0] += v }
        }
    }
    let elapsed = (clock.now - start).components
    merged.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    merged.okIndices.sort()
    merged.acceptedIndices.sort()
    return merged
}

/// Runs `operation` on 0..<count with at most `concurrency` in flight; results in index order.
func mapConcurrently<T: Sendable>(count: Int, concurrency: Int, _ operation: @escaping @Sendable (Int) async -> T) async -> [T] {
    let counter = Counter()
    return await withTaskGroup(of: [(Int, T)].self) { group in
        for _ in 0..<max(1, min(concurrency, count)) {
            group.addTask {
                var out: [(Int, T)] = []
                while true {
                    let i = counter.next()
                    if i >= count { break }
                    out.append((i, await operation(i)))
                }
                return out
            }
        }
        var all: [(Int, T)] = []
        for await part in group { all += part }
        return all.sorted { $0.0 < $1.0 }.map { $0.1 }
    }
}
