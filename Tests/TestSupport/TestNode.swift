import Coprocessor
import CoprocessorWire
import Ethereum
import Foundation
import Logging

/// The service core (SQLite store, program library, workers, engine) on a fresh folder, without
/// any transport.
public final class TestNode: Sendable {
    public let directory: String
    public let store: SQLiteJobStore
    public let service: CoprocessorService

    /// - Parameters:
    ///   - directory: an existing node's folder (a restart), else a new one.
    ///   - wrapStore: the store the service uses, around the SQLite one (to inject failures).
    ///   - start: false leaves the workers off (jobs are accepted and stay PENDING).
    public init(directory: String? = nil, config: CoprocessorConfig = CoprocessorConfig(),
                operatorKey: PrivateKey = TestKeys.operatorKey,
                wrapStore: (SQLiteJobStore) -> any JobStore = { $0 },
                onJobFinished: @escaping @Sendable (Job) -> Void = { _ in }, start: Bool = true) async throws {
        self.directory = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("node-test-\(UUID().uuidString)").path
        store = try SQLiteJobStore(directory: self.directory)
        var logger = Logger(label: "test-node")
        logger.logLevel = .warning
        service = CoprocessorService(store: wrapStore(store), operatorKey: operatorKey, config: config, logger: logger,
                                     onJobFinished: onJobFinished)
        if start { try await service.start() }
    }

    /// Lets running jobs finish and closes the database (the files stay).
    public func stop() async {
        await service.shutdown()
        store.close()
    }

    public func removeFiles() { try? FileManager.default.removeItem(atPath: directory) }

    /// Runs `body` with a started node, then stops it and removes its files, whatever happens.
    public static func run<T>(config: CoprocessorConfig = CoprocessorConfig(), start: Bool = true,
                              wrapStore: (SQLiteJobStore) -> any JobStore = { $0 },
                              onJobFinished: @escaping @Sendable (Job) -> Void = { _ in },
                              _ body: (TestNode) async throws -> T) async throws -> T {
        let node = try await TestNode(config: config, wrapStore: wrapStore, onJobFinished: onJobFinished, start: start)
        defer { node.removeFiles() }
        return try await withCleanup { try await body(node) } cleanup: { await node.stop() }
    }

    // MARK: Calls

    /// SubmitProgram of a committed guest (as Sp1); returns the program ID.
    public func submitProgram(_ guest: String) async throws -> [UInt8] {
        try await service.submitProgram(SubmitProgramRequest(programELF: try Repo.guest(guest), vmType: .sp1)).programID
    }

    /// SubmitJob; returns the job ID.
    public func submit(_ job: SignedJob) async throws -> [UInt8] {
        try await service.submitJob(job.submitRequest).jobID
    }

    /// The stored job (with what the wire's JobResult leaves out: origin, inputs, request, signer).
    public func job(_ id: [UInt8]) async throws -> Job {
        try await store.job(id: try Bytes32(id)).orThrow("job 0x\(Hex.encode(id, prefixed: false)) is not stored")
    }

    /// Polls the store until the job exists and `done` holds for it.
    public func wait(for id: [UInt8], timeout: Duration = .seconds(30),
                     until done: (Job) -> Bool = { $0.status != .pending }) async throws -> Job {
        let key = try Bytes32(id)
        return try await eventually("job \(key)", timeout: timeout) { state in
            guard let job = try await store.job(id: key) else {
                state = "not stored"
                return nil
            }
            state = "\(job.status) \(job.failureReason ?? "")"
            return done(job) ? job : nil
        }
    }

    /// Polls the store until the job exists and has `status`.
    public func wait(for id: [UInt8], status: JobStatusType, timeout: Duration = .seconds(30)) async throws -> Job {
        try await wait(for: id, timeout: timeout) { $0.status == status }
    }
}
