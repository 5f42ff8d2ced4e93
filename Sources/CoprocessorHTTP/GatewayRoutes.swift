import CoprocessorWire
import Foundation
import Hummingbird

/// `POST /v1/coprocessor_node/<snake_case_method>` for every method of the wire description,
/// answered in-process by a `CoprocessorNodeAPI`. Handlers never throw: every outcome, including
/// bad input, is a JSON response.
struct GatewayRoutes: Sendable {
    let api: any CoprocessorNodeAPI
    let maxBodyBytes: Int
    /// Required by the operator-only methods when set.
    var operatorToken: OperatorToken? = nil
    /// Bytes of bodies held at once, across requests.
    var bodies = BodyBudget(limit: .max)
    /// What `/readyz` reports.
    var readiness = ReadinessMonitor(.alwaysReady)
    /// Told about every call of a method.
    var observer: (any RPCObserver)? = nil

    static var paths: [String] {
        struct Paths: WireMethodVisitor {
            var paths: [String] = []
            mutating func visit<Request, Response>(_ method: WireMethod<Request, Response>) { paths.append(method.httpPath) }
        }
        var collector = Paths()
        CoprocessorNodeService.visitMethods(&collector)
        return collector.paths
    }

    /// The method each path of the gateway answers.
    static var allowedMethods: [String: String] {
        var allowed = [String: String](uniqueKeysWithValues: paths.map { ($0, "POST") })
        for path in [HealthRoutes.healthPath, HealthRoutes.readyPath, openAPIPath] { allowed[path] = "GET" }
        return allowed
    }

    func register<Context: RequestContext>(on router: Router<Context>) {
        // First, so that it also wraps the router's not-found responder.
        router.add(middleware: GatewayNotFoundMiddleware<Context>(allowedMethods: Self.allowedMethods))

        var registrar = Registrar(routes: self, router: router)
        CoprocessorNodeService.visitMethods(&registrar)
        HealthRoutes(monitor: readiness).register(on: router)
        router.get(RouterPath(Self.openAPIPath)) { _, _ in Self.jsonResponse(status: 200, bytes: OpenAPIDocument.json) }
    }

    /// The gateway's OpenAPI document.
    static let openAPIPath = "/openapi.json"

    /// Adds one route per method.
    private struct Registrar<Context: RequestContext>: WireMethodVisitor {
        let routes: GatewayRoutes
        let router: Router<Context>

        func visit<Request, Response>(_ method: WireMethod<Request, Response>) {
            let routes = self.routes
            router.post(RouterPath(method.httpPath)) { request, _ in
                await routes.respond(to: request, method)
            }
        }
    }

    /// Body → request message → core call → response JSON, with every failure as a JSON error.
    func respond<Input, Output>(to request: Request, _ method: WireMethod<Input, Output>) async -> Response {
        let started = ContinuousClock.now
        let response = await answer(request, method)
        if let observer {
            observer.callFinished(RPCCall(transport: .http, method: method.name, code: response.code,
                                          duration: ContinuousClock.now - started))
        }
        return response.response
    }

    /// The answer and its gRPC status code (0 OK).
    private func answer<Input, Output>(_ request: Request, _ method: WireMethod<Input, Output>) async
        -> (response: Response, code: Int) {
        if let refusal = OperatorToken.refusal(of: method, token: operatorToken, authorization: request.headers[.authorization]) {
            var response = Self.errorResponse(GatewayError(refusal))
            response.headers[.wwwAuthenticate] = OperatorToken.scheme
            return (response, refusal.code.rawValue)
        }
        let held = Held(budget: bodies)
        defer { held.release() }
        do {
            let body = try await readBody(request, held: held)
            let input: Input
            do {
                input = try body.withUnsafeReadableBytes { bytes in try JSONReader.decode(Input.self, from: bytes) }
            } catch let error as WireDecodingError {
                throw GatewayError(error)
            }
            let output: Output
            do {
                output = try await method.call(api, input)
            } catch {
                throw GatewayError(error)
            }
            return (Self.jsonResponse(status: 200, bytes: JSONWriter.encode(output)), 0)
        } catch {
            return (Self.errorResponse(error), Self.gatewayError(error).code)
        }
    }

    /// The bytes one request holds of the body budget, given back when it is answered.
    final class Held: @unchecked Sendable {  // used by one request's task only
        let budget: BodyBudget
        var bytes = 0

        init(budget: BodyBudget) { self.budget = budget }

        func take(_ count: Int) -> Bool {
            guard budget.take(count) else { return false }
            bytes += count
            return true
        }

        func release() {
            budget.give(bytes)
            bytes = 0
        }
    }

    private func readBody(_ request: Request, held: Held) async throws(GatewayError) -> ByteBuffer {
        // Refuse a declared oversized body before reading any of it.
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
            throw .bodyTooLarge(limit: maxBodyBytes)
        }
        var body = ByteBuffer()
        do {
            for try await chunk in request.body {
                // Chunked bodies (no declared length) are found out while reading.
                guard body.readableBytes + chunk.readableBytes <= maxBodyBytes else {
                    throw GatewayError.bodyTooLarge(limit: maxBodyBytes)
                }
                guard held.take(chunk.readableBytes) else {
                    let limit = bodies.limit % (1 << 20) == 0 ? "\(bodies.limit >> 20) MiB" : "\(bodies.limit) bytes"
                    throw GatewayError.bodyBudgetExhausted(limit: limit)
                }
                body.writeImmutableBuffer(chunk)
            }
        } catch let error as GatewayError {
            throw error
        } catch {
            throw .badRequest("could not read the request body: \(error)")
        }
        return body
    }

    /// `error` as the gateway answers it.
    static func gatewayError(_ error: any Error) -> GatewayError {
        error as? GatewayError ?? GatewayError(httpStatus: 500, code: StatusCode.internal.rawValue, message: "\(error)")
    }

    static func jsonResponse(status: Int, bytes: [UInt8]) -> Response {
        Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    static func errorResponse(_ error: any Error) -> Response {
        let gatewayError = gatewayError(error)
        return jsonResponse(status: gatewayError.httpStatus, bytes: gatewayError.jsonBody)
    }
}

/// Hummingbird answers unknown paths, and known paths with another method, with an empty 404.
/// This turns them into JSON errors: 404 for an unknown path, 405 (with `Allow: POST`, or `GET`)
/// for a gateway path called with another method.
struct GatewayNotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Path → the one method it answers.
    let allowedMethods: [String: String]

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            guard let allowed = allowedMethods[path] else {
                return GatewayRoutes.errorResponse(GatewayError.notFound(path: path))
            }
            var response = GatewayRoutes.errorResponse(
                GatewayError.methodNotAllowed(request.method.rawValue, path: path, allowed: allowed))
            response.headers[.allow] = allowed
            return response
        }
    }
}
