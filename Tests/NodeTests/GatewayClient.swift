import Ethereum
import Foundation
import HummingbirdTesting
import NIOCore
import TestSupport

/// POSTs JSON bodies to a gateway on loopback and parses the JSON answers (every gateway answer,
/// errors included, is a JSON object).
struct GatewayClient: Sendable {
    let port: Int

    func post(_ method: String, _ body: [String: Any]) async throws -> (status: Int, json: [String: Any]) {
        try await post(method, raw: [UInt8](try JSONSerialization.data(withJSONObject: body)))
    }

    /// SubmitProgram of a committed guest as Sp1; the program ID as the gateway spells it ("" if none).
    func submitProgram(_ guest: String) async throws -> String {
        try await post("submit_program", ["programElf": Hex.encode(try Repo.guest(guest)), "vmType": 1])
            .json["programId"] as? String ?? ""
    }

    /// SubmitJob; the job ID as hex ("" if none). The gateway answers it as an array of byte
    /// values, as InfinityVM's gateway does.
    func submitJob(_ job: SignedJob) async throws -> String {
        Hex.encode(byteArray(try await post("submit_job", job.gatewayBody).json["jobId"]) ?? [], prefixed: false)
    }

    /// POSTs `raw` as the body as it is.
    func post(_ method: String, raw: [UInt8]) async throws -> (status: Int, json: [String: Any]) {
        let (status, bytes) = try await exchange(method, raw)
        let json = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] ?? [:]
        return (status, json)
    }

    /// POSTs `raw` as the body as it is; the answer's status and body bytes.
    func exchange(_ method: String, _ raw: [UInt8]) async throws -> (status: Int, body: [UInt8]) {
        let response = try await TestClient.withClient(host: "127.0.0.1", port: port,
                                                       configuration: .init(timeout: .seconds(120))) { client in
            try await client.execute(TestClient.Request(
                "/v1/coprocessor_node/\(method)", method: .post, authority: "127.0.0.1",
                headers: [.contentType: "application/json"], body: ByteBuffer(bytes: raw)))
        }
        return (Int(response.head.status.code), response.body.map { Array($0.readableBytesView) } ?? [])
    }

    /// GetResult until the job's status is none of `statuses` (PENDING by default); returns its jobResult.
    func poll(_ jobID: String, while statuses: Set<Int> = [1], timeout: Duration = .seconds(60)) async throws -> [String: Any] {
        try await eventually("job \(jobID) to leave status \(statuses)", timeout: timeout, interval: .milliseconds(10)) { state in
            let (code, json) = try await post("get_result", ["jobId": jobID])
            let result = json["jobResult"] as? [String: Any] ?? [:]
            let current = (result["status"] as? [String: Any])?["status"] as? Int
            state = "HTTP \(code), status \(current.map(String.init) ?? "none")"
            return code == 200 && !statuses.contains(current ?? 1) ? result : nil
        }
    }
}

/// A JSON array of byte values (0-255) as bytes; nil if it is anything else.
func byteArray(_ value: Any?) -> [UInt8]? {
    guard let numbers = value as? [Int] else { return nil }
    let bytes = numbers.compactMap { UInt8(exactly: $0) }
    return bytes.count == numbers.count ? bytes : nil
}

extension Dictionary where Key == String, Value == Any {
    /// `status.status` of a jobResult.
    var jobStatus: Int? { (self["status"] as? [String: Any])?["status"] as? Int }
}
