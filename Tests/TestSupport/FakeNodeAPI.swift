import CoprocessorWire
import Synchronization

/// A `CoprocessorNodeAPI` for front-end tests: records every call with its request and answers
/// with canned values, or throws a chosen `NodeError` from every call.
public final class FakeNodeAPI: CoprocessorNodeAPI {
    public enum Call: Equatable, Sendable {
        case submitProgram(SubmitProgramRequest)
        case submitJob(SubmitJobRequest)
        case getResult(GetResultRequest)
        case getPendingJobs(GetPendingJobsRequest)
        case containsProgram(ContainsProgramRequest)
    }

    public struct Answers: Sendable {
        public var programID = pattern(32, from: 0xa0)
        public var jobID = pattern(32, from: 0xc0)
        public var jobResult: JobResult? = FakeNodeAPI.sampleJobResult()
        public var pendingJobs: [UInt64] = [1, 2, .max]
        public var contains = true
        /// Thrown by every call instead of answering, when set.
        public var error: NodeError?

        public init() {}
    }

    private let state: Mutex<(calls: [Call], answers: Answers)>

    public init(_ answers: Answers = Answers()) {
        state = Mutex((calls: [], answers: answers))
    }

    public var calls: [Call] { state.withLock { $0.calls } }

    public func update(_ change: (inout Answers) -> Void) {
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

    public func submitProgram(_ request: SubmitProgramRequest) async throws(NodeError) -> SubmitProgramResponse {
        try record(.submitProgram(request)) { SubmitProgramResponse(programID: $0.programID) }
    }

    public func submitJob(_ request: SubmitJobRequest) async throws(NodeError) -> SubmitJobResponse {
        try record(.submitJob(request)) { SubmitJobResponse(jobID: $0.jobID) }
    }

    public func getResult(_ request: GetResultRequest) async throws(NodeError) -> GetResultResponse {
        try record(.getResult(request)) { GetResultResponse(jobResult: $0.jobResult) }
    }

    public func getPendingJobs(_ request: GetPendingJobsRequest) async throws(NodeError) -> GetPendingJobsResponse {
        try record(.getPendingJobs(request)) { GetPendingJobsResponse(pendingJobs: $0.pendingJobs) }
    }

    public func containsProgram(_ request: ContainsProgramRequest) async throws(NodeError) -> ContainsProgramResponse {
        try record(.containsProgram(request)) { ContainsProgramResponse(contains: $0.contains) }
    }

    /// A job result with every field set to a distinct, non-default value. The nonce is above
    /// 2^53, where a JSON number would lose precision.
    public static func sampleJobResult(status: JobStatusType = .failed,
                                       failureReason: String? = "cycle limit exceeded: 1001 > 1000") -> JobResult {
        var result = JobResult()
        result.id = pattern(32, from: 0x10)
        result.nonce = UInt64.max - 1
        result.maxCycles = 1 << 60 | 7
        result.consumerAddress = pattern(20, from: 0x30)
        result.programID = pattern(32, from: 0x50)
        result.onchainInput = [0xde, 0xad, 0xbe, 0xef, 0x00]
        result.offchainInputHash = pattern(32, from: 0x70)
        result.stateHash = pattern(32, from: 0x90)
        result.requestSignature = pattern(65, from: 0xb0)
        result.resultWithMetadata = pattern(200, from: 0x01)
        result.zkvmOperatorSignature = pattern(65, from: 0xd0)
        result.status = JobStatus(status: status, failureReason: failureReason, retries: 3)
        result.relayTxHash = pattern(32, from: 0xf0)
        return result
    }
}
