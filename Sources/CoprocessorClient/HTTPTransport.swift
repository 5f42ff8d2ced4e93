import AsyncHTTPClient
import CoprocessorWire
import Foundation
import NIOCore

/// The node's API over its JSON/HTTP gateway (`POST /v1/coprocessor_node/<method>`). Bodies are
/// coded by the same wire description as the node's; an error answer's `{"code", "message"}`
/// becomes the `NodeError` the node gave.
public struct HTTPNodeTransport: WireCaller {
    /// The gateway's base URL, e.g. `http://127.0.0.1:8080`.
    public let baseURL: String
    public let client: HTTPClient
    /// Sent as `Authorization: Bearer <token>` on the operator-only method (SubmitProgram).
    public let operatorToken: String?
    public let timeout: TimeAmount

    public init(baseURL: String, client: HTTPClient = .shared, operatorToken: String? = nil,
                timeout: TimeAmount = .seconds(60)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.client = client
        self.operatorToken = operatorToken
        self.timeout = timeout
    }

    /// The largest answer read (a JobResult carries the guest's public values).
    static let maxResponseBytes = CoprocessorNodeService.defaultMaxMessageBytes

    func call<Request, Response>(_ method: WireMethod<Request, Response>, _ request: Request)
        async throws(NodeError) -> Response
    {
        var http = HTTPClientRequest(url: baseURL + method.httpPath)
        http.method = .POST
        http.headers.add(name: "content-type", value: "application/json")
        if method.operatorOnly, let operatorToken {
            http.headers.add(name: "authorization", value: "\(OperatorToken.scheme) \(operatorToken)")
        }
        http.body = .bytes(JSONWriter.encode(request))
        let status: UInt, body: [UInt8]
        do {
            let response = try await client.execute(http, timeout: timeout)
            status = response.status.code
            body = Array(buffer: try await response.body.collect(upTo: Self.maxResponseBytes))
        } catch {
            throw NodeError(.unavailable, "HTTP call \(method.httpName) failed: \(error)")
        }
        guard status == 200 else { throw Self.error(status: status, body: body) }
        do {
            return try JSONReader.decode(Response.self, from: body)
        } catch {
            throw NodeError(.internal, "the node's \(method.httpName) answer does not parse: \(error)")
        }
    }

    /// A gateway error answer: `{"code": n, "grpc_code": n, "message": "..."}`; anything else (a
    /// proxy's page) keeps its HTTP status in the message.
    static func error(status: UInt, body: [UInt8]) -> NodeError {
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
           let message = object["message"] as? String,
           let number = (object["code"] ?? object["grpc_code"]) as? Int, let code = StatusCode(rawValue: number) {
            return NodeError(code, message)
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return NodeError(status == 503 ? .unavailable : .internal, "HTTP \(status): \(text)")
    }
}
