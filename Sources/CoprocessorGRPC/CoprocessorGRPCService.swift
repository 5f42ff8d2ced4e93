import Coprocessor
import Foundation
import GRPCCore

/// The generated `CoprocessorNode` service, answered by a `CoprocessorAPI`. Pure translation:
/// validation and every decision stay in the core, so both front ends behave the same.
public struct CoprocessorGRPCService: CoprocessorNode_V1_CoprocessorNode.SimpleServiceProtocol {
    private let api: any CoprocessorAPI

    public init(api: any CoprocessorAPI) {
        self.api = api
    }

    public func submitJob(
        request: CoprocessorNode_V1_SubmitJobRequest,
        context: ServerContext
    ) async throws -> CoprocessorNode_V1_SubmitJobResponse {
        let jobID = try await translatingErrors { () async throws(NodeError) in
            try await api.submitJob(
                request: [UInt8](request.request),
                signature: [UInt8](request.signature),
                offchainInput: [UInt8](request.offchainInput),
                state: [UInt8](request.state)
            )
        }
        var response = CoprocessorNode_V1_SubmitJobResponse()
        response.jobID = Data(jobID)
        return response
    }

    public func getResult(
        request: CoprocessorNode_V1_GetResultRequest,
        context: ServerContext
    ) async throws -> CoprocessorNode_V1_GetResultResponse {
        let job = try await translatingErrors { () async throws(NodeError) in
            try await api.getResult(jobID: [UInt8](request.jobID))
        }
        var response = CoprocessorNode_V1_GetResultResponse()
        response.jobResult = CoprocessorNode_V1_JobResult(job)
        return response
    }

    public func submitProgram(
        request: CoprocessorNode_V1_SubmitProgramRequest,
        context: ServerContext
    ) async throws -> CoprocessorNode_V1_SubmitProgramResponse {
        // Unknown enum numbers arrive as `.UNRECOGNIZED(n)`; pass n on so the core can name it.
        let programID = try await translatingErrors { () async throws(NodeError) in
            try await api.submitProgram(elf: [UInt8](request.programElf), vmType: request.vmType.rawValue)
        }
        var response = CoprocessorNode_V1_SubmitProgramResponse()
        response.programID = Data(programID)
        return response
    }

    public func getPendingJobs(
        request: CoprocessorNode_V1_GetPendingJobsRequest,
        context: ServerContext
    ) async throws -> CoprocessorNode_V1_GetPendingJobsResponse {
        let nonces = try await translatingErrors { () async throws(NodeError) in
            try await api.getPendingJobs(consumer: [UInt8](request.consumerAddress))
        }
        var response = CoprocessorNode_V1_GetPendingJobsResponse()
        response.pendingJobs = nonces
        return response
    }

    public func containsProgram(
        request: CoprocessorNode_V1_ContainsProgramRequest,
        context: ServerContext
    ) async throws -> CoprocessorNode_V1_ContainsProgramResponse {
        let contains = try await translatingErrors { () async throws(NodeError) in
            try await api.containsProgram(programID: [UInt8](request.programID))
        }
        var response = CoprocessorNode_V1_ContainsProgramResponse()
        response.contains = contains
        return response
    }

    /// Runs a core call and turns its `NodeError` into the matching gRPC status.
    private func translatingErrors<T>(
        _ call: () async throws(NodeError) -> T
    ) async throws(RPCError) -> T {
        do {
            return try await call()
        } catch {
            throw RPCError(error)
        }
    }
}
