import Metrics
import Synchronization

/// Onchain jobs stored PENDING whose program has not been submitted yet (a JobCreated event may
/// arrive before the program's SubmitProgram). They are queued when the program arrives, or
/// failed once they have waited `CoprocessorConfig.programWait` since they were accepted.
final class ProgramWaitList: Sendable {
    private let jobs = Mutex<[[UInt8]: [Job]]>([:])
    /// PENDING onchain jobs waiting here (not in the execution queue: `coprocessor_queue_depth`).
    private let size = Gauge(label: "coprocessor_jobs_waiting_for_program")

    init() { size.record(0) }

    func park(_ job: Job) {
        jobs.withLock {
            $0[job.programID, default: []].append(job)
            size.record(Self.count($0))
        }
    }

    /// Removes and returns the jobs waiting for `programID`.
    func release(programID: [UInt8]) -> [Job] {
        jobs.withLock { waiting in
            defer { size.record(Self.count(waiting)) }
            return waiting.removeValue(forKey: programID) ?? []
        }
    }

    /// Removes and returns the jobs accepted at or before `cutoff` (seconds since 1970).
    func expire(acceptedBefore cutoff: Double) -> [Job] {
        jobs.withLock { waiting in
            var expired: [Job] = []
            for (id, list) in waiting {
                let (old, young) = (list.filter { $0.createdAt <= cutoff }, list.filter { $0.createdAt > cutoff })
                expired += old
                waiting[id] = young.isEmpty ? nil : young
            }
            size.record(Self.count(waiting))
            return expired
        }
    }

    var count: Int { jobs.withLock { Self.count($0) } }

    private static func count(_ jobs: [[UInt8]: [Job]]) -> Int { jobs.values.reduce(0) { $0 + $1.count } }
}
