import CoprocessorWire

/// What the transports have in common: one generic call per `WireMethod`. The five methods of
/// `CoprocessorNodeAPI` are written here once, as forwards to it.
protocol WireCaller: CoprocessorNodeAPI {
    func call<Request, Response>(_ method: WireMethod<Request, Response>, _ request: Request)
        async throws(NodeError) -> Response
}

extension WireCaller {
    public func submitJob(_ request: SubmitJobRequest) async throws(NodeError) -> SubmitJobResponse {
        try await call(CoprocessorNodeService.submitJob, request)
    }

    public func getResult(_ request: GetResultRequest) async throws(NodeError) -> GetResultResponse {
        try await call(CoprocessorNodeService.getResult, request)
    }

    public func submitProgram(_ request: SubmitProgramRequest) async throws(NodeError) -> SubmitProgramResponse {
        try await call(CoprocessorNodeService.submitProgram, request)
    }

    public func getPendingJobs(_ request: GetPendingJobsRequest) async throws(NodeError) -> GetPendingJobsResponse {
        try await call(CoprocessorNodeService.getPendingJobs, request)
    }

    public func containsProgram(_ request: ContainsProgramRequest) async throws(NodeError) -> ContainsProgramResponse {
        try await call(CoprocessorNodeService.containsProgram, request)
    }
}
