// The stack's ceiling: the node's own front ends (CoprocessorGRPCService, HTTPGateway: same
// transports, same codecs, same settings) over a trivial `CoprocessorNodeAPI` that answers with a
// canned response (captured from the real node by node-load, so the response sizes match). Runs as
// its own process, so "node / ceiling" isolates what the node's service core costs.

import ArgumentParser
import CoprocessorGRPC
import CoprocessorHTTP
import CoprocessorWire
import Foundation

struct CannedAPI: CoprocessorNodeAPI {
    let getResultResponse: GetResultResponse
    let submitJobResponse: SubmitJobResponse

    func submitJob(_ request: SubmitJobRequest) async throws(NodeError) -> SubmitJobResponse { submitJobResponse }
    func getResult(_ request: GetResultRequest) async throws(NodeError) -> GetResultResponse { getResultResponse }
    func submitProgram(_ request: SubmitProgramRequest) async throws(NodeError) -> SubmitProgramResponse {
        throw .unavailable("ceiling server")
    }
    func getPendingJobs(_ request: GetPendingJobsRequest) async throws(NodeError) -> GetPendingJobsResponse {
        throw .unavailable("ceiling server")
    }
    func containsProgram(_ request: ContainsProgramRequest) async throws(NodeError) -> ContainsProgramResponse {
        ContainsProgramResponse(contains: true)
    }
}

@main
struct CeilingServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ceiling-server",
        abstract: "The node's gRPC and HTTP front ends over canned answers (the load test's ceiling).")

    @Option(help: "gRPC port on 127.0.0.1 (0: no gRPC server).") var grpcPort = 0
    @Option(help: "HTTP port on 127.0.0.1 (0: no HTTP server).") var httpPort = 0
    @Option(help: "Binary GetResultResponse (protobuf) to answer GetResult with.") var getResultProto: String
    @Option(help: "Job ID (hex) to answer SubmitJob with.") var jobId: String

    func run() async throws {
        let getResult = try ProtobufReader.decode(
            GetResultResponse.self, from: [UInt8](Data(contentsOf: URL(fileURLWithPath: getResultProto))))
        let api = CannedAPI(getResultResponse: getResult, submitJobResponse: SubmitJobResponse(jobID: hexBytes(jobId)))
        // The node's default settings.
        let grpc = GRPCFrontEnd(api: api, configuration: .init(host: "127.0.0.1", port: grpcPort))
        let http = HTTPGateway(api: api, configuration: .init(host: "127.0.0.1", port: httpPort))
        // node-load runs one process per transport, so neither shares threads with the other.
        try await withThrowingDiscardingTaskGroup { group in
            if grpcPort != 0 { group.addTask { try await grpc.serve() } }
            if httpPort != 0 { group.addTask { try await http.run() } }
        }
    }
}

func hexBytes(_ hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var high: UInt8?
    for c in hex.utf8 {
        let v: UInt8 = c <= 57 ? c &- 48 : (c | 0x20) &- 87
        if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
    }
    return out
}
