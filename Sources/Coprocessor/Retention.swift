import Foundation
import Logging
import Metrics

/// How long the node keeps what it no longer needs. Off by default: deleting is the operator's
/// choice, made with `--retain-days` / `--retain-program-days`.
public struct RetentionPolicy: Sendable {
    /// Finished jobs are deleted this long after their last change (finished, relayed). Jobs
    /// waiting to be relayed are kept; with relaying off, DONE jobs are final and deleted too
    /// (turning relaying on later does not bring them back). A deleted job's ID stays taken:
    /// SubmitJob answers ALREADY_EXISTS, GetResult NOT_FOUND saying it was pruned. nil: never.
    public var finishedJobs: Duration?
    /// Programs neither submitted nor run for this long, and needed by no PENDING job, are
    /// deleted; SubmitJob then answers NOT_FOUND until the program is submitted again. nil: never.
    public var unusedPrograms: Duration?
    /// Time between pruning runs (the first comes one interval after start).
    public var interval: Duration = .seconds(600)

    public init(finishedJobs: Duration? = nil, unusedPrograms: Duration? = nil) {
        self.finishedJobs = finishedJobs
        self.unusedPrograms = unusedPrograms
    }

    var isOff: Bool { finishedJobs == nil && unusedPrograms == nil }
}

/// The pruning task: applies a `RetentionPolicy` to the store and the program library.
struct Pruner: Sendable {
    let policy: RetentionPolicy
    let store: JobStore
    let programs: ProgramLibrary
    /// DONE jobs wait for the relayer (relaying is on): only the ones it gave up on are final.
    let keepUnrelayed: Bool
    let logger: Logger
    let jobsPruned = Counter(label: "coprocessor_jobs_pruned_total")
    let programsPruned = Counter(label: "coprocessor_programs_pruned_total")

    /// Prunes every `policy.interval` until cancelled.
    func run() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: policy.interval) } catch { return }
            await pruneOnce()
        }
    }

    /// One pruning run; failures are logged and retried on the next run.
    func pruneOnce(now: Double = Date().timeIntervalSince1970) async {
        if let age = policy.finishedJobs {
            do {
                let count = try await store.pruneFinishedJobs(changedBefore: now - age.seconds, keepUnrelayed: keepUnrelayed)
                jobsPruned.increment(by: Int64(count))
                if count > 0 { logger.info("pruned finished jobs", metadata: ["count": "\(count)", "older_than": "\(age)"]) }
            } catch {
                logger.error("pruning finished jobs failed; retrying at the next run", metadata: ["error": "\(error)"])
            }
        }
        if let age = policy.unusedPrograms {
            let uses = programs.takeUses()
            do {
                let ids = try await store.pruneUnusedPrograms(unusedBefore: now - age.seconds, uses: uses)
                programs.forget(ids)
                programsPruned.increment(by: Int64(ids.count))
                if !ids.isEmpty {
                    logger.info("pruned unused programs", metadata: ["count": "\(ids.count)", "unused_for": "\(age)"])
                }
            } catch {
                programs.restoreUses(uses)
                logger.error("pruning unused programs failed; retrying at the next run", metadata: ["error": "\(error)"])
            }
        }
    }
}
