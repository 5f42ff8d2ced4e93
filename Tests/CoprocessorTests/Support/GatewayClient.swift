import Foundation
import HummingbirdTesting
import NIOCore

/// POSTs a JSON body to a gateway on loopback and parses the JSON answer (every gateway answer,
/// errors included, is a JSON object).
enum GatewayClient {
    static func post(port: Int, _ method: String, _ body: [String: Any]) async throws -> (status: Int, json: [String: Any]) {
        let data = try JSONSerialization.data(withJSONObject: body)
        let response = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            try await client.execute(TestClient.Request(
                "/v1/coprocessor_node/\(method)", method: .post, authority: "127.0.0.1",
                headers: [.contentType: "application/json"], body: ByteBuffer(bytes: [UInt8](data))))
        }
        let bytes = response.body.map { Array($0.readableBytesView) } ?? []
        let json = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] ?? [:]
        return (Int(response.head.status.code), json)
    }
}
