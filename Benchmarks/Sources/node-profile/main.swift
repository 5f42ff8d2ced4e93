// node-profile: the node's service core (CoprocessorService + SQLiteJobStore + workers) without
// its transports, driven in-process. It exists for instruction-level profiles: valgrind 3.19
// crashes on the real node's async main (libdispatch's main-thread exit), so
//   valgrind --tool=callgrind .build/release/node-profile get_result 20000
// profiles the node's own work; subtracting it from node-load's figures leaves the transports.
// Without valgrind it prints the core's CPU cost per operation.
//
// usage: node-profile get_result|end_to_end COUNT [CONCURRENCY]
//        node-profile exec_100|exec_mock_consumer COUNT     (the engine alone: one execute per count)
//        node-profile breakdown COUNT    (CPU per job of each part of the core's work, as JSON)

import BenchSupport
import Coprocessor
import CoprocessorWire
import Ethereum
import Foundation
import Logging
import Synchronization
import ZKVM

let arguments = CommandLine.arguments
guard arguments.count >= 3, let count = Int(arguments[2]),
      ["get_result", "end_to_end", "exec_100", "exec_mock_consumer", "breakdown"].contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: node-profile get_result|end_to_end|exec_100|exec_mock_consumer|breakdown COUNT [CONCURRENCY]\n".utf8))
    exit(2)
}
let mode = arguments[1]
let concurrency = arguments.count > 3 ? Int(arguments[3]) ?? 64 : 64

struct Signed: Sendable {
    let request: [UInt8], signature: [UInt8], id: [UInt8]
}

func sign(_ nonce: UInt64, consumer: Address, programID: [UInt8]) -> Signed {
    let signer = try! PrivateKey(hex: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba")
    let empty = Keccak256.hash([])
    let r = OffchainJobRequest(nonce: nonce, maxCycles: 1_000_000, consumer: consumer, programID: programID,
                               onchainInput: [UInt8](repeating: 0, count: 12) + [UInt8](repeating: 0x45, count: 20),
                               offchainInputHash: empty, stateHash: empty)
    let bytes = r.abiEncoded()
    return Signed(request: bytes, signature: try! signer.signPersonalMessage(bytes).bytes, id: r.jobID.bytes)
}

/// Runs `op` on 0..<n with `width` in flight.
func forEachConcurrently(_ n: Int, width: Int, _ op: @escaping @Sendable (Int) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        for _ in 0..<min(width, n) {
            let i = next
            next += 1
            group.addTask { try await op(i) }
        }
        while try await group.next() != nil {
            if next < n {
                let i = next
                next += 1
                group.addTask { try await op(i) }
            }
        }
    }
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

func run() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("node-profile-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try SQLiteJobStore(directory: dir)
    // As node-load starts the node: --log-level warning (info logs one line per job).
    var logger = Logger(label: "coprocessor")
    logger.logLevel = .warning
    let service = CoprocessorService(store: store, operatorKey: try OperatorKeySource.load(hex: OperatorKeySource.developmentKeyHex),
                                     logger: logger)
    try await service.start()
    let programID = try await service.submitProgram(
        SubmitProgramRequest(programELF: try Repo.guestELF("mock-consumer"), vmType: .sp1)).programID
    let consumer = try Address(hex: "0x5FbDB2315678afecb367f032d93F642f64180aa3")

    @Sendable func waitDone(_ id: [UInt8]) async throws {
        while try await service.getResult(GetResultRequest(jobID: id)).jobResult?.status?.status == .pending {
            try await Task.sleep(for: .microseconds(200))
        }
    }

    let clock = ContinuousClock()
    switch mode {
    case "get_result":
        let job = sign(1, consumer: consumer, programID: programID)
        _ = try await service.submitJob(SubmitJobRequest(request: job.request, signature: job.signature))
        try await waitDone(job.id)
        let cpu0 = cpuSeconds(), t0 = clock.now
        try await forEachConcurrently(count, width: concurrency) { _ in
            _ = try await service.getResult(GetResultRequest(jobID: job.id))
        }
        let wall = seconds(clock.now - t0), cpu = cpuSeconds() - cpu0
        print(String(format: "get_result: %d calls, %.0f/s, %.1f µs CPU per call", count, Double(count) / wall, cpu / Double(count) * 1e6))
    default:
        let jobs = (0..<count).map { sign(UInt64($0) + 1, consumer: consumer, programID: programID) }
        let cpu0 = cpuSeconds(), t0 = clock.now
        try await forEachConcurrently(count, width: concurrency) { i in
            _ = try await service.submitJob(SubmitJobRequest(request: jobs[i].request, signature: jobs[i].signature))
            try await waitDone(jobs[i].id)
        }
        let wall = seconds(clock.now - t0), cpu = cpuSeconds() - cpu0
        print(String(format: "end_to_end: %d jobs, %.0f/s, %.1f µs CPU per job (submit, execute, sign, store, polls)",
                     count, Double(count) / wall, cpu / Double(count) * 1e6))
    }
    await service.shutdown()
    store.close()
}

// The engine alone: per-execution cost of a 100-instruction program or of one mock-consumer job.
if mode.hasPrefix("exec_") {
    let mock = mode == "exec_mock_consumer"
    let program = try! Program(elf: mock ? try! Repo.guestELF("mock-consumer") : SyntheticPrograms.hundredInstructions())
    let stdin: [[UInt8]] = mock ? [[UInt8](repeating: 0, count: 12) + [UInt8](repeating: 0x45, count: 20), [], []] : []
    let t0 = ContinuousClock.now
    for _ in 0..<count { _ = try! program.execute(stdin: stdin, maxCycles: 1_000_000) }
    print(String(format: "%@: %.2f µs per execute", mode, seconds(ContinuousClock.now - t0) / Double(count) * 1e6))
    exit(0)
}

// The core's work for one job, part by part, each timed on its own (CPU time of this process over
// COUNT repetitions): what node-load's CPU per end-to-end job is made of. What the parts do not
// account for is the transports, the thread hops and the bookkeeping between the parts.
if mode == "breakdown" {
    let program = try! Program(elf: try! Repo.guestELF("mock-consumer"))
    let consumer = try! Address(hex: "0x5FbDB2315678afecb367f032d93F642f64180aa3")
    let operatorKey = try! OperatorKeySource.load(hex: OperatorKeySource.developmentKeyHex)
    let jobs = (0..<count).map { sign(UInt64($0) + 1, consumer: consumer, programID: program.id.bytes) }
    let stdin: [[UInt8]] = [[UInt8](repeating: 0, count: 12) + [UInt8](repeating: 0x45, count: 20), [], []]
    let output = try! program.execute(stdin: stdin, maxCycles: 1_000_000).publicValues
    func perJob(_ body: (Int) -> Void) -> Double {
        let cpu0 = cpuSeconds()
        for i in 0..<count { body(i) }
        return (cpuSeconds() - cpu0) / Double(count) * 1e6
    }
    var parts: [(String, Double)] = []
    parts.append(("json", perJob { i in
        let body = JSONWriter.encode(SubmitJobRequest(request: jobs[i].request, signature: jobs[i].signature))
        _ = try! JSONReader.decode(SubmitJobRequest.self, from: body)
    }))
    parts.append(("abi_and_hashes", perJob { i in
        let request = try! OffchainJobRequest(abiEncoded: jobs[i].request)
        try! request.validate(offchainInput: [], state: [])
        let result = OffchainResultWithMetadata(jobID: request.jobID, onchainInputHash: Keccak256.hash(request.onchainInput),
                                                offchainInputHash: request.offchainInputHash, stateHash: request.stateHash,
                                                maxCycles: request.maxCycles, programID: request.programID, result: output)
        _ = result.abiEncoded()
    }))
    parts.append(("signature_recovery", perJob { i in
        _ = try! Signature(bytes: jobs[i].signature).recoverPersonalMessageSigner(jobs[i].request)
    }))
    let encodedResult = [UInt8](repeating: 7, count: 448)
    parts.append(("result_signing", perJob { i in
        var message = encodedResult
        message[0] = UInt8(truncatingIfNeeded: i)
        _ = try! operatorKey.signPersonalMessage(message)
    }))
    parts.append(("execution", perJob { _ in _ = try! program.execute(stdin: stdin, maxCycles: 1_000_000) }))
    // Storage: a durable insert and the outcome update per job through the store (group commit,
    // writer thread included), 64 in flight.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("node-profile-\(UUID().uuidString)").path
    let store = try! SQLiteJobStore(directory: dir)
    let storeDone = DispatchSemaphore(value: 0)
    let storage = Mutex(0.0)
    Task.detached {
        let cpu0 = cpuSeconds()
        try! await forEachConcurrently(count, width: 64) { i in
            let id = try Bytes32(jobs[i].id)
            let empty = Keccak256.hash([])
            let job = Job(id: id, nonce: UInt64(i + 1), maxCycles: 1_000_000, consumer: consumer, programID: program.id.bytes,
                          onchainInput: stdin[0], offchainInputHash: empty, stateHash: empty, requestSignature: jobs[i].signature,
                          origin: .offchain, offchainInput: [], state: [], request: jobs[i].request, signer: consumer)
            _ = try await store.insertJob(job)
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                store.finishJob(id: id, outcome: .done(resultWithMetadata: encodedResult, operatorSignature: jobs[i].signature),
                                relay: nil) { _ in c.resume() }
            }
        }
        storage.withLock { $0 = (cpuSeconds() - cpu0) / Double(count) * 1e6 }
        storeDone.signal()
    }
    storeDone.wait()
    store.close()
    try? FileManager.default.removeItem(atPath: dir)
    parts.append(("storage", storage.withLock { $0 }))
    let fields = parts.map { "\"\($0.0)\": \(String(format: "%.2f", $0.1))" }.joined(separator: ", ")
    print("{\"count\": \(count), \"cpu_us_per_job\": {\(fields)}}")
    exit(0)
}

// A synchronous main that waits for the work: an async main never returns its main thread, and
// valgrind 3.19 crashes on that path.
let done = DispatchSemaphore(value: 0)
Task.detached {
    do { try await run() } catch {
        FileHandle.standardError.write(Data("node-profile: \(error)\n".utf8))
        exit(1)
    }
    done.signal()
}
done.wait()
