// The stack's ceiling: the node's own service definition and HTTP paths, answered by trivial
// handlers that return a canned response (captured from the real node by node-load, so the
// response sizes match). Runs as its own process, configured as the node configures its
// transports, so "node / ceiling" isolates what the node's handlers cost.

import ArgumentParser
import CoprocessorProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Hummingbird

struct CannedService: CoprocessorNode_V1_CoprocessorNode.SimpleServiceProtocol {
    let getResultResponse: CoprocessorNode_V1_GetResultResponse
    let submitJobResponse: CoprocessorNode_V1_SubmitJobResponse

    func submitJob(request: CoprocessorNode_V1_SubmitJobRequest, context: ServerContext) async throws
        -> CoprocessorNode_V1_SubmitJobResponse { submitJobResponse }

    func getResult(request: CoprocessorNode_V1_GetResultRequest, context: ServerContext) async throws
        -> CoprocessorNode_V1_GetResultResponse { getResultResponse }

    func submitProgram(request: CoprocessorNode_V1_SubmitProgramRequest, context: ServerContext) async throws
        -> CoprocessorNode_V1_SubmitProgramResponse { throw RPCError(code: .unimplemented, message: "ceiling server") }

    func getPendingJobs(request: CoprocessorNode_V1_GetPendingJobsRequest, context: ServerContext) async throws
        -> CoprocessorNode_V1_GetPendingJobsResponse { throw RPCError(code: .unimplemented, message: "ceiling server") }

    func containsProgram(request: CoprocessorNode_V1_ContainsProgramRequest, context: ServerContext) async throws
        -> CoprocessorNode_V1_ContainsProgramResponse { CoprocessorNode_V1_ContainsProgramResponse.with { $0.contains = true } }
}

@main
struct CeilingServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ceiling-server",
        abstract: "Trivial gRPC and Hummingbird handlers with canned responses (the load test's ceiling).")

    @Option(help: "gRPC port on 127.0.0.1 (0: no gRPC server).") var grpcPort = 0
    @Option(help: "HTTP port on 127.0.0.1 (0: no HTTP server).") var httpPort = 0
    @Option(help: "Binary GetResultResponse (protobuf) to answer GetResult with.") var getResultProto: String
    @Option(help: "JSON body to answer get_result with.") var getResultJson: String
    @Option(help: "Job ID (hex) to answer SubmitJob with.") var jobId: String

    func run() async throws {
        let getResult = try CoprocessorNode_V1_GetResultResponse(serializedBytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: getResultProto))))
        let getResultJSON = try Data(contentsOf: URL(fileURLWithPath: getResultJson))
        let idBytes = hexBytes(jobId)
        let submit = CoprocessorNode_V1_SubmitJobResponse.with { $0.jobID = Data(idBytes) }
        let submitJSON = Data("{\"jobId\":\"\(jobId)\"}".utf8)

        // Same transport settings as the node's GRPCFrontEnd.
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: "127.0.0.1", port: grpcPort), transportSecurity: .plaintext,
            config: .defaults { $0.rpc.maxRequestPayloadSize = 32 << 20 })
        let grpcServer = GRPCServer(transport: transport,
                                    services: [CannedService(getResultResponse: getResult, submitJobResponse: submit)])

        // The same paths as the node's gateway; the body is read, as the gateway reads it.
        let router = Router()
        router.post("/v1/coprocessor_node/get_result") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: getResultJSON)))
        }
        router.post("/v1/coprocessor_node/submit_job") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: submitJSON)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: httpPort)))

        // node-load runs one process per transport, so neither shares threads with the other.
        try await withThrowingDiscardingTaskGroup { group in
            if grpcPort != 0 { group.addTask { try await grpcServer.serve() } }
            if httpPort != 0 { group.addTask { try await app.run() } }
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
