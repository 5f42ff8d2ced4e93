import Coprocessor
import CoprocessorWire
import Ethereum
import Foundation
import TestSupport
import Testing
import ZKVM

/// The program library: store → verify → parse → a bounded cache, one path for intake and
/// workers. Programs evicted from the cache, or stored by an earlier run, are loaded from the
/// store when a job needs them.
@Suite("Program library")
struct ProgramLibraryTests {
    @Test("programs evicted from a small cache are reloaded from the store when a job needs them")
    func evictedProgramsReload() async throws {
        var config = CoprocessorConfig()
        config.programCacheBytes = 1  // every new program evicts the others
        var instrumented: InstrumentedStore?
        try await TestNode.run(config: config, wrapStore: { store in
            let wrapped = InstrumentedStore(store)
            instrumented = wrapped
            return wrapped
        }) { node in
            let store = try #require(instrumented)
            let mock = try await node.submitProgram("mock-consumer")
            let counter = try await node.submitProgram("stateful-counter")  // evicts mock-consumer
            #expect(store.programReads.isEmpty, "submitted programs are cached, not read back")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            var ids: [[UInt8]] = []
            for nonce in UInt64(1)...6 {
                let s = nonce % 2 == 0
                    ? SignedJob(nonce: nonce, programID: counter, onchainInput: [])
                    : SignedJob(nonce: nonce, programID: mock, onchainInput: vector.stdin[0])
                ids.append(try await node.submit(s))
            }
            for (i, id) in ids.enumerated() {
                let job = try await node.wait(for: id)
                #expect(job.status == .done, "\(job.failureReason ?? "")")
                if i % 2 == 0 { #expect(try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata).result == vector.publicValues) }
            }
            #expect(store.programReads.contains(mock), "mock-consumer was loaded again from the store")
        }
    }

    @Test("after a restart, stored programs are known, load from the store and run")
    func programsAfterRestart() async throws {
        let first = try await TestNode()
        defer { first.removeFiles() }
        let programID = try await first.submitProgram("mock-consumer")
        await first.stop()

        var instrumented: InstrumentedStore?
        let second = try await TestNode(directory: first.directory, wrapStore: { store in
            let wrapped = InstrumentedStore(store)
            instrumented = wrapped
            return wrapped
        })
        let store = try #require(instrumented)
        #expect(try await second.service.containsProgram(ContainsProgramRequest(programID: programID)).contains)
        #expect(store.programReads.isEmpty, "ContainsProgram does not load the program")
        let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
        let job = try await second.wait(for: try await second.submit(SignedJob(nonce: 1, programID: programID,
                                                                                onchainInput: vector.stdin[0])))
        #expect(job.status == .done, "\(job.failureReason ?? "")")
        #expect(try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata).result == vector.publicValues)
        #expect(store.programReads == [programID], "loaded once from the store")
        // Submitting it again is idempotent: same ID, nothing new stored.
        #expect(try await second.submitProgram("mock-consumer") == programID)
        await second.stop()
    }
}
