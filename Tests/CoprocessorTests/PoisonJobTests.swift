import Coprocessor
import CoprocessorWire
import Foundation
import Testing
import TestSupport

/// Poison jobs (issue 17): a guest looping on an expensive precompile costs one cycle a call, so
/// the cycle cap alone let it hold a worker for hours. The work meter fails it once its host work
/// passes the budget its max_cycles buys, with a deterministic reason, and the workers go on.
@Suite("Poison jobs: the work meter fails them and the workers go on")
struct PoisonJobTests {
    /// precompile-loop with mode 1 (onchain input) and n = 2^32 - 1 (offchain input): a loop of
    /// SECP256K1_DECOMPRESS calls, ~7,000 units of work for 4 cycles each; at max_cycles 10^6
    /// the budget (1.32 × 10^8 units) ends it after ~18,000 calls, about a tenth of a second.
    static func poison(nonce: UInt64, programID: [UInt8]) -> SignedJob {
        SignedJob(nonce: nonce, programID: programID, onchainInput: [1, 0, 0, 0], offchainInput: [0xFF, 0xFF, 0xFF, 0xFF],
                  maxCycles: 1_000_000)
    }

    static let address = [UInt8](repeating: 0, count: 12) + [UInt8](repeating: 0x45, count: 20)

    /// Waits for the normal job (DONE within seconds) and the poison ones (FAILED with the
    /// work-budget reason within a minute, the same reason for both: same program and inputs).
    static func expectOutcomes(_ node: TestNode, poison: [[UInt8]], normal: [UInt8], since start: ContinuousClock.Instant)
        async throws
    {
        let clock = ContinuousClock()
        // Seconds when the machine is quiet; the bound leaves room for a test process busy with
        // other suites (the poison jobs would hold both workers for hours without the meter).
        let done = try await node.wait(for: normal, status: .done, timeout: .seconds(60))
        #expect(!done.resultWithMetadata.isEmpty)
        #expect(clock.now - start < .seconds(60), "the normal job waited \(clock.now - start)")
        var reasons: [String] = []
        for id in poison {
            let job = try await node.wait(for: id, timeout: .seconds(60))
            #expect(job.status == .failed)
            #expect(job.resultWithMetadata.isEmpty && job.operatorSignature.isEmpty)
            let reason = job.failureReason ?? ""
            #expect(reason.hasPrefix("execution failed (workLimitExceeded): work limit exceeded: "), "\(reason)")
            #expect(reason.contains(" units of host work (precompile, hook and I/O calls) at SECP256K1_DECOMPRESS, over "
                                        + "the budget of 132000000 units for max_cycles = 1000000 (pc 0x"), "\(reason)")
            reasons.append(reason)
        }
        #expect(reasons.count == 2 && reasons[0] == reasons[1], "deterministic: \(reasons)")
        #expect(clock.now - start < .seconds(90))
    }

    @Test("two poison jobs and a normal one on two workers: the normal job DONE within seconds, the poison ones FAILED with the work-budget reason")
    func poisonJobs() async throws {
        var config = CoprocessorConfig()
        config.workerCount = 2
        try await TestNode.run(config: config) { node in
            let loop = try await node.submitProgram("precompile-loop")
            let mock = try await node.submitProgram("mock-consumer")
            let start = ContinuousClock().now
            let poison = [try await node.submit(Self.poison(nonce: 1, programID: loop)),
                          try await node.submit(Self.poison(nonce: 2, programID: loop))]
            let normal = try await node.submit(SignedJob(nonce: 3, programID: mock, onchainInput: Self.address))
            try await Self.expectOutcomes(node, poison: poison, normal: normal, since: start)
        }
    }

    @Test("after a restart, the PENDING poison jobs run again and fail the same way; the normal job is DONE")
    func poisonJobsAfterRestart() async throws {
        let first = try await TestNode(start: false)  // accepts, never executes
        let loop = try await first.submitProgram("precompile-loop")
        let mock = try await first.submitProgram("mock-consumer")
        let poison = [try await first.submit(Self.poison(nonce: 1, programID: loop)),
                      try await first.submit(Self.poison(nonce: 2, programID: loop))]
        let normal = try await first.submit(SignedJob(nonce: 3, programID: mock, onchainInput: Self.address))
        await first.stop()

        var config = CoprocessorConfig()
        config.workerCount = 2
        let start = ContinuousClock().now
        let second = try await TestNode(directory: first.directory, config: config)
        defer { second.removeFiles() }
        try await withCleanup {
            try await Self.expectOutcomes(second, poison: poison, normal: normal, since: start)
        } cleanup: {
            await second.stop()
        }
    }
}
