import Ethereum
import Foundation
import Logging
import ZKVM

/// Executes one job and produces what is stored for it: the signed result, or a failure reason.
struct JobRunner: Sendable {
    let operatorKey: PrivateKey
    let limits: ExecutionLimits
    /// Jobs stored before a lower cap was configured still stop here.
    let maxCyclesCap: UInt64
    let metrics: NodeMetrics
    let logger: Logger
    /// The execution tier (CoprocessorConfig.engine).
    var engine: Engine = .auto
    /// Raised at shutdown: running executions stop within milliseconds and their jobs stay PENDING.
    var interrupt: ExecutionInterrupt? = nil

    /// The job's outcome, or nil when the execution was interrupted (the node is shutting down):
    /// the job has no outcome and stays PENDING, to run again after a restart.
    func run(_ job: Job, program: Program) -> JobOutcome? {
        // The job's inputs as the program's VM reads them (JobInput.swift). RISC Zero's SYS_RANDOM
        // bytes are derived from the job ID, so every execution of a job signs the same bytes.
        let stdin = program.vm.jobInput(onchain: job.onchainInput, offchain: job.offchainInput, state: job.state)
        let execution: Execution
        do {
            execution = try program.execute(stdin: stdin, maxCycles: min(job.maxCycles, maxCyclesCap), limits: limits,
                                            randomSeed: job.id.bytes, engine: engine, interrupt: interrupt)
        } catch where error.kind == .interrupted {
            logger.info("job interrupted by shutdown; it stays PENDING", metadata: [
                "job_id": "\(job.id)", "program_id": "\(program.id)", "cycles": "\(error.cycles)",
            ])
            return nil
        } catch {
            metrics.failed.increment()
            metrics.cycles.increment(by: Int64(clamping: error.cycles))
            logger.info("job failed", metadata: [
                "job_id": "\(job.id)", "program_id": "\(program.id)", "cycles": "\(error.cycles)",
                "reason": "\(error.kind.rawValue)",
            ])
            return .failed(reason: failureReason(error, program: program))
        }
        if program.vm == .sp1 && execution.exitCode != 0 {
            // SP1 v6 reports the guest's exit code instead of failing (v3–v5 fail in the engine);
            // only exit code 0 is a result to sign. RISC Zero: any Halted(n) or Paused(n) is one.
            metrics.failed.increment()
            metrics.cycles.increment(by: Int64(clamping: execution.cycles))
            logger.info("job failed", metadata: [
                "job_id": "\(job.id)", "program_id": "\(program.id)", "cycles": "\(execution.cycles)",
                "reason": "\(ExecutionError.Kind.nonZeroExitCode.rawValue)", "exit_code": "\(execution.exitCode)",
            ])
            return .failed(reason: exitCodeReason(execution))
        }
        let encoded = resultWithMetadata(for: job, output: execution.publicValues)
        let signature: Signature
        do {
            signature = try operatorKey.signPersonalMessage(encoded)
        } catch {
            metrics.failed.increment()
            return .failed(reason: "signing the result failed: \(error)")
        }
        metrics.done.increment()
        metrics.cycles.increment(by: Int64(clamping: execution.cycles))
        let nanoseconds = Int64(execution.wallSeconds * 1e9)
        metrics.executionTime.recordNanoseconds(nanoseconds)
        logger.info("job done", metadata: [
            "job_id": "\(job.id)", "program_id": "\(program.id)", "cycles": "\(execution.cycles)",
            "duration_us": "\(nanoseconds / 1000)",
        ])
        return .done(resultWithMetadata: encoded, operatorSignature: signature.bytes)
    }

    /// `OffchainResultWithMetadata` for offchain jobs, `ResultWithMetadata` for onchain ones.
    func resultWithMetadata(for job: Job, output: [UInt8]) -> [UInt8] {
        let onchainInputHash = Keccak256.hash(job.onchainInput)
        switch job.origin {
        case .offchain:
            return OffchainResultWithMetadata(jobID: job.id, onchainInputHash: onchainInputHash,
                                              offchainInputHash: job.offchainInputHash, stateHash: job.stateHash,
                                              maxCycles: job.maxCycles, programID: job.programID, result: output)
                .abiEncoded()
        case .onchain:
            return ResultWithMetadata(jobID: job.id, onchainInputHash: onchainInputHash, maxCycles: job.maxCycles,
                                      programID: job.programID, result: output).abiEncoded()
        }
    }

    /// A precise, single-line reason (cycle limit with the count, fault address, exit code with
    /// the stderr tail, ...) and where the guest was: its function and instruction.
    func failureReason(_ error: ExecutionError, program: Program) -> String {
        "execution failed (\(error.kind.rawValue)): \(error.description)"
            + (program.location(of: error.pc).map { " at \($0)" } ?? "")
    }

    /// The reason for an SP1 v6 run that halted with a non-zero exit code, worded as the engine
    /// words v3–v5's (`nonZeroExitCode`), with the last 300 characters of the guest's stderr.
    func exitCodeReason(_ execution: Execution) -> String {
        let tail = execution.stderr.suffix(300)
        return "execution failed (\(ExecutionError.Kind.nonZeroExitCode.rawValue)): guest exited with code "
            + "\(execution.exitCode); stderr: \(tail.isEmpty ? "(empty)" : String(tail)) (\(execution.cycles) cycles)"
    }
}
