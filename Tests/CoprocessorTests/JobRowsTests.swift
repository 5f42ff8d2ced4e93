import Coprocessor
import CoprocessorWire
import Ethereum
import Foundation
import TestSupport
import Testing

/// The jobs table's row mapping: every field of a job comes back as it was stored.
@Suite("Job rows")
struct JobRowsTests {
    @Test("an onchain and an offchain job round-trip through a fresh store (no cache)", arguments: [JobOrigin.onchain, .offchain])
    func roundTrip(origin: JobOrigin) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rows-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let job = Job(id: try Bytes32([UInt8](repeating: 7, count: 32)), nonce: 9, maxCycles: 1_234, consumer: TestKeys.consumer,
                      programID: [1, 2, 3], onchainInput: [4, 5], offchainInputHash: try Bytes32([UInt8](repeating: 8, count: 32)),
                      stateHash: try Bytes32([UInt8](repeating: 9, count: 32)), requestSignature: [6], origin: origin,
                      offchainInput: [10], state: [11], request: [12], signer: origin == .offchain ? TestKeys.consumer : nil,
                      createdAt: 1_700_000_000.5, relayStrategy: .ordered)
        let store = try SQLiteJobStore(directory: directory)
        #expect(try await store.insertJob(job))
        store.close()
        let reopened = try SQLiteJobStore(directory: directory)
        defer { reopened.close() }
        let read = try #require(try await reopened.job(id: job.id))
        #expect(read == job)
        #expect(read.origin == origin)
    }
}
