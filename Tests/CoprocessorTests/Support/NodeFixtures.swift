import Coprocessor
import Ethereum
import Foundation
import Logging
import ZKVM

/// Paths of the repository and its bundled guest programs.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func guest(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent("guest-programs/bin/\(name).elf")))
    }

    /// Expected outputs from guest-programs/vectors.json (computed independently of the engine).
    static func guestVector(program: String, name: String) throws -> (stdin: [[UInt8]], publicValues: [UInt8]) {
        struct File: Decodable {
            struct Case: Decodable {
                let program: String, name: String, stdin_hex: [String], public_values_hex: String
            }
            let cases: [Case]
        }
        let data = try Data(contentsOf: root.appendingPathComponent("guest-programs/vectors.json"))
        guard let c = try JSONDecoder().decode(File.self, from: data).cases.first(where: { $0.program == program && $0.name == name })
        else { throw StorageError("no vector \(program)/\(name)") }
        return (try c.stdin_hex.map { try Hex.decode($0) }, try Hex.decode(c.public_values_hex))
    }
}

/// Fixed public test keys (the ones of ../shared/eth/vectors.json; Hardhat's well-known accounts).
enum TestKeys {
    /// InfinityVM's DEV_SECRET: the operator.
    static let operatorKey = try! PrivateKey(hex: "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6")
    /// The vectors' offchain request signer.
    static let requestSigner = try! PrivateKey(hex: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba")
    static let consumer = try! Address(hex: "0x5FbDB2315678afecb367f032d93F642f64180aa3")
}

/// A signed SubmitJob request.
struct SignedJob {
    var request: OffchainJobRequest
    var requestBytes: [UInt8]
    var signature: [UInt8]
    var offchainInput: [UInt8]
    var state: [UInt8]

    init(nonce: UInt64, programID: [UInt8], onchainInput: [UInt8], offchainInput: [UInt8] = [], state: [UInt8] = [],
         maxCycles: UInt64 = 10_000_000, consumer: Address = TestKeys.consumer, signer: PrivateKey = TestKeys.requestSigner) {
        request = OffchainJobRequest(nonce: nonce, maxCycles: maxCycles, consumer: consumer, programID: programID,
                                     onchainInput: onchainInput, offchainInputHash: Keccak256.hash(offchainInput),
                                     stateHash: Keccak256.hash(state))
        requestBytes = request.abiEncoded()
        signature = try! signer.signPersonalMessage(requestBytes).bytes
        self.offchainInput = offchainInput
        self.state = state
    }

    var jobID: [UInt8] { request.jobID.bytes }
}

/// A service core on a fresh SQLite folder.
final class TestNode {
    let directory: String
    let store: SQLiteJobStore
    let service: CoprocessorService

    init(directory: String? = nil, config: CoprocessorConfig = CoprocessorConfig(), start: Bool = true) async throws {
        self.directory = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("node-test-\(UUID().uuidString)").path
        store = try SQLiteJobStore(directory: self.directory)
        service = CoprocessorService(store: store, operatorKey: TestKeys.operatorKey, config: config,
                                     logger: Logger(label: "test-node"))
        if start { try await service.start() }
    }

    /// Wraps an existing store and service (started here).
    init(store: SQLiteJobStore, service: CoprocessorService, directory: String) async throws {
        self.directory = directory
        self.store = store
        self.service = service
        try await service.start()
    }

    func stop(finishQueued: Bool = false) {
        service.shutdown(finishQueued: finishQueued)
        store.close()
    }

    func removeFiles() { try? FileManager.default.removeItem(atPath: directory) }

    /// Polls until the job leaves PENDING (or times out).
    func waitForCompletion(_ jobID: [UInt8], timeout: Duration = .seconds(30)) async throws -> Job {
        let deadline = ContinuousClock.now + timeout
        while true {
            let job = try await service.getResult(jobID: jobID)
            if job.status != .pending { return job }
            if ContinuousClock.now > deadline { throw StorageError("job still pending after \(timeout)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
