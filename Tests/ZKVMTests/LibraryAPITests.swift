import Foundation
import Testing
import ZKVM

/// The conveniences a Swift tool linking the engine uses: loading from `Data` or a file, the public
/// values as hex, and errors that compare.
@Suite("Engine API for library users")
struct LibraryAPITests {
    static func guest(_ name: String) -> URL { Paths.repo.appendingPathComponent("guest-programs/bin/\(name).elf") }

    @Test("Program from Data and from a file URL: the same program as from bytes; a missing file names itself")
    func loadingForms() throws {
        let url = Self.guest("fibonacci")
        let bytes = [UInt8](try Data(contentsOf: url))
        let fromBytes = try Program(elf: bytes)
        #expect(try Program(elf: Data(bytes)).id == fromBytes.id)
        #expect(try Program(contentsOf: url).id == fromBytes.id)
        let missing = url.deletingLastPathComponent().appendingPathComponent("no-such-guest.elf")
        do {
            _ = try Program(contentsOf: missing)
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.kind == .unreadable)
            #expect(error.message.contains("no-such-guest.elf"), "\(error.message)")
        }
    }

    @Test("publicValuesHex is the public values in lowercase hex")
    func publicValuesHex() throws {
        let run = try Program(contentsOf: Self.guest("fibonacci")).execute(stdin: [[10, 0, 0, 0]], maxCycles: 10_000_000)
        #expect(!run.publicValues.isEmpty)
        #expect(run.publicValuesHex == run.publicValues.map { String(format: "%02x", $0) }.joined())
    }

    @Test("ExecutionError is Equatable: the same failure twice is equal, a different one is not")
    func equatableErrors() throws {
        let program = try Program(contentsOf: Self.guest("fibonacci"))
        func failure(maxCycles: UInt64) -> ExecutionError? {
            do {
                _ = try program.execute(stdin: [[0x40, 0x42, 0x0F, 0x00]], maxCycles: maxCycles)
                return nil
            } catch { return error }
        }
        let first = try #require(failure(maxCycles: 1_000))
        #expect(first.kind == .cycleLimitExceeded)
        #expect(failure(maxCycles: 1_000) == first)
        #expect(failure(maxCycles: 2_000) != first)
    }

    // MARK: async

    /// The ExecutionError a task failed with (Task erases typed throws).
    static func executionError(_ result: Result<Execution, any Error>) -> ExecutionError? {
        guard case .failure(let error) = result else { return nil }
        return error as? ExecutionError
    }

    /// fibonacci with n = 2^32 - 1: minutes of work, stopped by cancellation long before.
    static let endless: [[UInt8]] = [[0xFF, 0xFF, 0xFF, 0xFF]]

    @Test("run (async) gives execute's result")
    func asyncRun() async throws {
        let program = try Program(contentsOf: Self.guest("fibonacci"))
        let sync = try program.execute(stdin: [[10, 0, 0, 0]], maxCycles: 10_000_000)
        let async = try await program.run(stdin: [[10, 0, 0, 0]], maxCycles: 10_000_000)
        #expect(async.publicValues == sync.publicValues)
        #expect(async.cycles == sync.cycles)
        do {
            _ = try await program.run(stdin: [[10, 0, 0, 0]], maxCycles: 100)
            Issue.record("ran past its cycle limit")
        } catch {
            #expect(error.kind == .cycleLimitExceeded)
            #expect(error.cycles == 100)
        }
    }

    @Test("cancelling the task stops a long run promptly with .cancelled; a cancelled task does not start one")
    func cancellation() async throws {
        let program = try Program(contentsOf: Self.guest("fibonacci"))
        let long = Task { () throws(ExecutionError) -> Execution in
            try await program.run(stdin: Self.endless, maxCycles: .max, engine: .interpreter)
        }
        try await Task.sleep(for: .milliseconds(200))
        long.cancel()
        // Stopped, not finished: the whole run is 51,539,608,488 cycles (a minute or more). How
        // soon the awaiting task hears of it depends on how busy the test process is.
        guard let error = Self.executionError(await long.result) else { Issue.record("the endless run finished"); return }
        #expect(error.kind == .cancelled)
        // Stopped mid-run (on a busy machine the run may barely have started in 200 ms; a task
        // cancelled before its run starts is checked below).
        #expect(error.message == "execution cancelled" || error.message == "execution cancelled before it started")
        #expect(error.cycles < 51_539_608_488, "stopped before its end: \(error.cycles) cycles")

        let never = Task { () throws(ExecutionError) -> Execution in
            withUnsafeCurrentTask { $0?.cancel() }
            return try await program.run(stdin: Self.endless, maxCycles: .max)
        }
        guard let early = Self.executionError(await never.result) else { Issue.record("a cancelled task ran"); return }
        #expect(early.kind == .cancelled)
        #expect(early.cycles == 0)
    }

    @Test("an execution given an interrupt raised before it starts stops at once")
    func raisedBeforeStart() throws {
        let program = try Program(contentsOf: Self.guest("fibonacci"))
        let interrupt = ExecutionInterrupt()
        interrupt.raise()
        let start = ContinuousClock.now
        do {
            _ = try program.execute(stdin: Self.endless, maxCycles: .max, engine: .interpreter, interrupt: interrupt)
            Issue.record("the endless run finished")
        } catch {
            #expect(error.kind == .interrupted)
            #expect(ContinuousClock.now - start < .seconds(2))
        }
    }

    @Test("runs do not hold Swift's cooperative threads: other tasks progress while more runs than cores execute")
    func offThePool() async throws {
        let program = try Program(contentsOf: Self.guest("fibonacci"))
        let runs = (0..<(ProcessInfo.processInfo.activeProcessorCount + 2)).map { _ in
            Task { () throws(ExecutionError) -> Execution in
                try await program.run(stdin: Self.endless, maxCycles: .max, engine: .interpreter)
            }
        }
        try await Task.sleep(for: .milliseconds(100))  // every run has started
        // Tasks that need cooperative threads finish while all the runs go on (on the pool, the
        // runs would hold its threads until they end, a minute or more from now).
        let sum = await Task.detached { (1...1_000).reduce(0, +) }.value
        try await Task.sleep(for: .milliseconds(10))
        #expect(sum == 500_500)
        for run in runs { run.cancel() }
        for run in runs {
            let result = await run.result
            guard let error = Self.executionError(result) else { Issue.record("an endless run finished: \(result)"); continue }
            #expect(error.kind == .cancelled, "it was still running when the other tasks were done")
        }
    }

    // MARK: guest memory

    @Test("GuestMemory: the idle-arena limit holds, lowering it frees idle arenas, runs still work with none kept")
    func guestMemory() throws {
        // Only this test changes the limit; other tests' runs may take and return arenas meanwhile,
        // which never makes more idle than the limit.
        #expect(GuestMemory.maxIdleArenas == 32)
        defer { GuestMemory.maxIdleArenas = 32 }
        let program = try Program(contentsOf: Self.guest("fibonacci"))
        let expected = try program.execute(stdin: [[10, 0, 0, 0]], maxCycles: 10_000_000)

        GuestMemory.maxIdleArenas = 1
        #expect(GuestMemory.maxIdleArenas == 1)
        #expect(GuestMemory.idleArenas <= 1)
        GuestMemory.maxIdleArenas = 0
        #expect(GuestMemory.idleArenas == 0)
        // With none kept, each run reserves and releases its own window, and still gives the same result.
        for _ in 0..<3 {
            let run = try program.execute(stdin: [[10, 0, 0, 0]], maxCycles: 10_000_000)
            #expect(run.publicValues == expected.publicValues)
            #expect(run.cycles == expected.cycles)
            #expect(GuestMemory.idleArenas == 0)
        }
        GuestMemory.maxIdleArenas = 32
        _ = try program.execute(stdin: [[10, 0, 0, 0]], maxCycles: 10_000_000)
        #expect(GuestMemory.idleArenas <= 32)
        GuestMemory.releaseIdleArenas()
        #expect(GuestMemory.maxIdleArenas == 32, "releasing idle arenas keeps the limit")
    }
}
