import Foundation

extension Program {
    /// `execute`, for async code: the run takes a thread of its own instead of one of Swift's
    /// cooperative threads (a long guest would otherwise hold one for its whole run), and
    /// cancelling the awaiting task stops the guest within about a millisecond of plain code or 64
    /// syscalls, failing the run with `.cancelled`. A task cancelled before the run starts gets
    /// `.cancelled` without running. Results are those of `execute`.
    public func run(stdin: [[UInt8]], maxCycles: UInt64, limits: ExecutionLimits = .default,
                    randomSeed: [UInt8]? = nil, engine: Engine = .auto) async throws(ExecutionError) -> Execution
    {
        if Task.isCancelled {
            throw ExecutionError(kind: .cancelled, message: "execution cancelled before it started", pc: entry, cycles: 0,
                                 exitCode: 0, address: nil, word: nil, publicValues: [], stdout: "", stderr: "")
        }
        let interrupt = ExecutionInterrupt()
        let result: Result<Execution, ExecutionError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // A thread of its own per run, not a GCD queue: GCD's pool is sized to the cores,
                // and runs queued behind busy ones did not stop when cancelled in our tests.
                let thread = Thread {
                    continuation.resume(returning: Result { () throws(ExecutionError) -> Execution in
                        try self.execute(stdin: stdin, maxCycles: maxCycles, limits: limits, randomSeed: randomSeed,
                                         engine: engine, interrupt: interrupt)
                    })
                }
                thread.name = "zkvm-run"
                thread.start()
            }
        } onCancel: {
            interrupt.raise()
        }
        switch result {
        case .success(let execution):
            return execution
        case .failure(let error) where error.kind == .interrupted:
            // Only cancellation raises this run's interrupt.
            throw error.withKind(.cancelled, message: "execution cancelled")
        case .failure(let error):
            throw error
        }
    }
}

extension ExecutionError {
    /// This error with another kind and message (where and how far the run got stay).
    func withKind(_ kind: Kind, message: String) -> ExecutionError {
        var error = ExecutionError(kind: kind, message: message, pc: pc, cycles: cycles, exitCode: exitCode,
                                   address: address, word: word, publicValues: publicValues, stdout: stdout,
                                   stderr: stderr)
        error.engine = engine
        return error
    }
}
