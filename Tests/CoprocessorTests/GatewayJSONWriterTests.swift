import Coprocessor
@testable import CoprocessorHTTP
import Foundation
import Testing

/// The gateway's direct JSON writer must produce exactly the bytes of the generic encoder it
/// replaces on the hot paths.
@Suite("Gateway JSON writer")
struct GatewayJSONWriterTests {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    static let reasons: [String?] = [
        nil, "", "execution failed (cycleLimitExceeded): cycle limit exceeded", #"quote " and backslash \ and slash /"#,
        "line\nbreak\ttab\r\u{08}\u{0C}", "control \u{01}\u{1F} chars", "ünïcödé ✓ 🚀", String(repeating: "x", count: 2000),
    ]

    @Test("GetResult bytes equal JSONEncoder's", arguments: reasons)
    func getResult(reason: String?) throws {
        var rng = SystemRandomNumberGenerator()
        func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) } }
        let job = GatewayJSON.JobResult(
            id: bytes(32), nonce: .max, maxCycles: 1_000_000, consumerAddress: bytes(20), programID: bytes(32),
            onchainInput: bytes(37), offchainInputHash: bytes(32), stateHash: bytes(32), requestSignature: bytes(65),
            resultWithMetadata: bytes(320), zkvmOperatorSignature: bytes(65),
            status: GatewayJSON.JobStatus(status: 3, failureReason: reason, retries: 7), relayTxHash: [])
        let response = GatewayJSON.GetResultResponse(jobResult: job)
        #expect(response.jsonBytes == [UInt8](try Self.encoder().encode(response)))
        let empty = GatewayJSON.GetResultResponse(jobResult: GatewayJSON.JobResult())
        #expect(empty.jsonBytes == [UInt8](try Self.encoder().encode(empty)))
        let none = GatewayJSON.GetResultResponse(jobResult: nil)
        #expect(none.jsonBytes == [UInt8](try Self.encoder().encode(none)))
    }

    @Test("SubmitJob bytes equal JSONEncoder's")
    func submitJob() throws {
        let response = GatewayJSON.SubmitJobResponse(jobID: (0..<32).map { UInt8($0 * 7 & 0xFF) })
        #expect(response.jsonBytes == [UInt8](try Self.encoder().encode(response)))
    }
}
