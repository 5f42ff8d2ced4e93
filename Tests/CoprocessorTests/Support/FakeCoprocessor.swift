import Coprocessor
import Ethereum
import Synchronization

/// A `CoprocessorAPI` for front-end tests: records every call with its arguments and answers with
/// canned values, or throws a chosen `NodeError` from every call.
final class FakeCoprocessor: CoprocessorAPI {
    enum Call: Equatable, Sendable {
        case submitProgram(elf: [UInt8], vmType: Int)
        case submitJob(request: [UInt8], signature: [UInt8], offchainInput: [UInt8], state: [UInt8])
        case getResult(jobID: [UInt8])
        case getPendingJobs(consumer: [UInt8])
        case containsProgram(programID: [UInt8])
    }

    struct Answers: Sendable {
        var programID = FakeCoprocessor.pattern(32, from: 0xa0)
        var jobID = FakeCoprocessor.pattern(32, from: 0xc0)
        var job = FakeCoprocessor.sampleJob()
        var pendingJobs: [UInt64] = [1, 2, .max]
        var contains = true
        /// Thrown by every call instead of answering, when set.
        var error: NodeError?
    }

    private let state: Mutex<(calls: [Call], answers: Answers)>

    init(_ answers: Answers = Answers()) {
        state = Mutex((calls: [], answers: answers))
    }

    var calls: [Call] { state.withLock { $0.calls } }

    func update(_ change: (inout Answers) -> Void) {
        state.withLock { change(&$0.answers) }
    }

    private func record<T>(_ call: Call, _ answer: (Answers) -> T) throws(NodeError) -> T {
        let answers = state.withLock { state in
            state.calls.append(call)
            return state.answers
        }
        if let error = answers.error { throw error }
        return answer(answers)
    }

    func submitProgram(elf: [UInt8], vmType: Int) async throws(NodeError) -> [UInt8] {
        try record(.submitProgram(elf: elf, vmType: vmType)) { $0.programID }
    }

    func submitJob(request: [UInt8], signature: [UInt8], offchainInput: [UInt8], state: [UInt8])
        async throws(NodeError) -> [UInt8]
    {
        try record(.submitJob(request: request, signature: signature, offchainInput: offchainInput, state: state)) {
            $0.jobID
        }
    }

    func getResult(jobID: [UInt8]) async throws(NodeError) -> Job {
        try record(.getResult(jobID: jobID)) { $0.job }
    }

    func getPendingJobs(consumer: [UInt8]) async throws(NodeError) -> [UInt64] {
        try record(.getPendingJobs(consumer: consumer)) { $0.pendingJobs }
    }

    func containsProgram(programID: [UInt8]) async throws(NodeError) -> Bool {
        try record(.containsProgram(programID: programID)) { $0.contains }
    }

    // MARK: Fixtures

    /// `count` bytes counting up from `start` (wrapping), so swapped or shifted fields show.
    static func pattern(_ count: Int, from start: UInt8) -> [UInt8] {
        (0..<count).map { start &+ UInt8(truncatingIfNeeded: $0) }
    }

    /// A job with every wire field set to a distinct, non-default value. The nonce is above 2^53,
    /// where a JSON number would lose precision.
    static func sampleJob(status: JobStatusType = .failed, failureReason: String? = "cycle limit exceeded: 1001 > 1000")
        -> Job
    {
        Job(
            id: try! Bytes32(pattern(32, from: 0x10)),
            nonce: UInt64.max - 1,
            maxCycles: 1 << 60 | 7,
            consumer: try! Address(bytes: pattern(20, from: 0x30)),
            programID: pattern(32, from: 0x50),
            onchainInput: [0xde, 0xad, 0xbe, 0xef, 0x00],
            offchainInputHash: try! Bytes32(pattern(32, from: 0x70)),
            stateHash: try! Bytes32(pattern(32, from: 0x90)),
            requestSignature: pattern(65, from: 0xb0),
            resultWithMetadata: pattern(200, from: 0x01),
            operatorSignature: pattern(65, from: 0xd0),
            status: status,
            failureReason: failureReason,
            retries: 3,
            relayTxHash: pattern(32, from: 0xf0),
            origin: .offchain,
            offchainInput: [1, 2, 3],
            state: [4, 5],
            request: [6, 7],
            signer: nil
        )
    }
}
