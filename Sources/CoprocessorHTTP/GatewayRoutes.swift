import Coprocessor
import Foundation
import Hummingbird

/// `POST /v1/coprocessor_node/<snake_case_method>` for every call of `CoprocessorAPI`, answered
/// in-process. Handlers never throw: every outcome, including bad input, is a JSON response.
struct GatewayRoutes: Sendable {
    static let pathPrefix = "/v1/coprocessor_node/"
    static let methods = ["submit_job", "get_result", "submit_program", "get_pending_jobs", "contains_program"]
    static var paths: [String] { methods.map { pathPrefix + $0 } }

    let api: any CoprocessorAPI
    let maxBodyBytes: Int

    func register<Context: RequestContext>(on router: Router<Context>) {
        // First, so that it also wraps the router's not-found responder.
        router.add(middleware: GatewayNotFoundMiddleware<Context>(gatewayPaths: Set(Self.paths)))

        let api = self.api
        router.post(RouterPath(Self.pathPrefix + "submit_job")) { request, _ in
            await self.respond(to: request, encode: \.jsonBytes) { (input: GatewayJSON.SubmitJobRequest) async throws(NodeError) in
                GatewayJSON.SubmitJobResponse(jobID: try await api.submitJob(
                    request: input.request, signature: input.signature,
                    offchainInput: input.offchainInput, state: input.state
                ))
            }
        }
        router.post(RouterPath(Self.pathPrefix + "get_result")) { request, _ in
            await self.respond(to: request, encode: \.jsonBytes) { (input: GatewayJSON.GetResultRequest) async throws(NodeError) in
                GatewayJSON.GetResultResponse(jobResult: GatewayJSON.JobResult(try await api.getResult(jobID: input.jobID)))
            }
        }
        router.post(RouterPath(Self.pathPrefix + "submit_program")) { request, _ in
            await self.respond(to: request) { (input: GatewayJSON.SubmitProgramRequest) async throws(NodeError) in
                GatewayJSON.SubmitProgramResponse(
                    programID: try await api.submitProgram(elf: input.programELF, vmType: input.vmType))
            }
        }
        router.post(RouterPath(Self.pathPrefix + "get_pending_jobs")) { request, _ in
            await self.respond(to: request) { (input: GatewayJSON.GetPendingJobsRequest) async throws(NodeError) in
                GatewayJSON.GetPendingJobsResponse(
                    pendingJobs: try await api.getPendingJobs(consumer: input.consumerAddress))
            }
        }
        router.post(RouterPath(Self.pathPrefix + "contains_program")) { request, _ in
            await self.respond(to: request) { (input: GatewayJSON.ContainsProgramRequest) async throws(NodeError) in
                GatewayJSON.ContainsProgramResponse(contains: try await api.containsProgram(programID: input.programID))
            }
        }
    }

    /// Body → request JSON → core call → response JSON, with every failure as a JSON error.
    /// `encode` (the hot responses' direct writer) replaces the generic encoder when given.
    private func respond<Input: Decodable, Output: Encodable>(
        to request: Request,
        encode: ((Output) -> [UInt8])? = nil,
        _ call: (Input) async throws(NodeError) -> Output
    ) async -> Response {
        do {
            let input = try Self.decode(Input.self, from: try await readBody(request))
            let output: Output
            do {
                output = try await call(input)
            } catch {
                throw GatewayError(error)
            }
            if let encode { return Self.jsonResponse(status: 200, bytes: encode(output)) }
            return Self.jsonResponse(status: 200, output)
        } catch {
            return Self.errorResponse(error)
        }
    }

    private func readBody(_ request: Request) async throws(GatewayError) -> ByteBuffer {
        // Refuse a declared oversized body before reading any of it.
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
            throw .bodyTooLarge(limit: maxBodyBytes)
        }
        do {
            return try await request.body.collect(upTo: maxBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw .bodyTooLarge(limit: maxBodyBytes)  // chunked bodies: found out while reading
        } catch {
            throw .badRequest("could not read the request body: \(error)")
        }
    }

    /// An empty body is the empty message, as for grpc-gateway.
    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer) throws(GatewayError) -> T {
        var data = Data(body.readableBytesView)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) {
            data = Data("{}".utf8)
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as GatewayJSON.InvalidField {
            throw .badRequest(error.description)
        } catch let error as GatewayJSON.NotAnObject {
            throw .badRequest(error.description)
        } catch let DecodingError.dataCorrupted(context) {
            let detail = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            throw .badRequest("malformed JSON: \(context.debugDescription)\(detail)")
        } catch {
            throw .badRequest("malformed JSON: \(error)")
        }
    }

    static func jsonResponse<T: Encodable>(status: Int, _ value: T) -> Response {
        let encoder = JSONEncoder()
        // Sorted keys: the same bytes for the same answer (diffable, cacheable, easy to document).
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            // Unreachable for our types (no floats); answer rather than crash.
            return errorResponse(GatewayError(httpStatus: 500, code: StatusCode.internal.rawValue,
                                              message: "could not encode the response"))
        }
        return jsonResponse(status: status, bytes: data)
    }

    static func jsonResponse<Bytes: Sequence<UInt8>>(status: Int, bytes: Bytes) -> Response {
        Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    static func errorResponse(_ error: any Error) -> Response {
        let gatewayError = error as? GatewayError
            ?? GatewayError(httpStatus: 500, code: StatusCode.internal.rawValue, message: "\(error)")
        return jsonResponse(status: gatewayError.httpStatus, gatewayError.body)
    }
}

/// Hummingbird answers unknown paths, and known paths with another method, with an empty 404.
/// This turns them into JSON errors: 404 for an unknown path, 405 (with `Allow: POST`) for a
/// gateway path called with a method other than POST.
struct GatewayNotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    let gatewayPaths: Set<String>

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            guard gatewayPaths.contains(path) else {
                return GatewayRoutes.errorResponse(GatewayError.notFound(path: path))
            }
            var response = GatewayRoutes.errorResponse(GatewayError.methodNotAllowed(request.method.rawValue, path: path))
            response.headers[.allow] = "POST"
            return response
        }
    }
}
