import CoprocessorWire
import Foundation
import TestSupport
import Testing

/// The gateway's JSON output, byte for byte, as InfinityVM's gateway (serde on its prost types)
/// writes it: fields in field-number order under their lowerCamelCase names; every field present,
/// an absent optional string or nested message as null; bytes as lowercase hex or as an integer
/// array, as each field declares; uint64, uint32 and enums as numbers.
@Suite("JSON writer")
struct JSONWriterTests {
    func json<M: WireMessage>(_ message: M) -> String { String(decoding: JSONWriter.encode(message), as: UTF8.self) }

    static let jobResultFields = #"{"id":"0102","nonce":18446744073709551615,"maxCycles":1000000,"consumerAddress":"ab","#
        + #""programId":"cdef","onchainInput":"","offchainInputHash":"00","stateHash":"ff","requestSignature":"0a","#
        + #""resultWithMetadata":"0b0c","zkvmOperatorSignature":"0d","#

    @Test("JobResult and GetResultResponse: every field, failureReason a string or null")
    func jobResult() {
        let failed = Messages.shortJobResult(JobStatus(status: .failed, failureReason: "cycle limit", retries: 2))
        #expect(json(failed) == Self.jobResultFields
            + #""status":{"status":3,"failureReason":"cycle limit","retries":2},"relayTxHash":"ee"}"#)
        let done = Messages.shortJobResult(JobStatus(status: .done))
        #expect(json(done) == Self.jobResultFields
            + #""status":{"status":2,"failureReason":null,"retries":0},"relayTxHash":"ee"}"#)
        // proto3 `optional`: an empty reason is present, unlike an absent one.
        let empty = Messages.shortJobResult(JobStatus(status: .done, failureReason: "", retries: 1))
        #expect(json(empty) == Self.jobResultFields
            + #""status":{"status":2,"failureReason":"","retries":1},"relayTxHash":"ee"}"#)
        // No status message: null, as serde writes a None.
        #expect(json(Messages.shortJobResult(nil)) == Self.jobResultFields + #""status":null,"relayTxHash":"ee"}"#)
        #expect(json(GetResultResponse(jobResult: done)) == #"{"jobResult":"# + Self.jobResultFields
            + #""status":{"status":2,"failureReason":null,"retries":0},"relayTxHash":"ee"}}"#)
        #expect(json(GetResultResponse(jobResult: nil)) == #"{"jobResult":null}"#)
        #expect(json(JobResult()) == #"{"id":"","nonce":0,"maxCycles":0,"consumerAddress":"","programId":"","#
            + #""onchainInput":"","offchainInputHash":"","stateHash":"","requestSignature":"","resultWithMetadata":"","#
            + #""zkvmOperatorSignature":"","status":null,"relayTxHash":""}"#)
    }

    @Test("every other message, with values and at its defaults")
    func otherMessages() {
        // InfinityVM's plain Vec<u8> fields: integer arrays (every byte value's width, empty).
        #expect(json(SubmitJobRequest(request: [0xde, 0xad], signature: [0x01], offchainInput: [0xff, 0x00, 9, 10, 99, 100],
                                      state: [], relayStrategy: .ordered))
            == #"{"request":[222,173],"signature":[1],"offchainInput":[255,0,9,10,99,100],"state":[],"relayStrategy":1}"#)
        #expect(json(SubmitJobRequest()) == #"{"request":[],"signature":[],"offchainInput":[],"state":[],"relayStrategy":0}"#)
        #expect(json(SubmitJobResponse(jobID: [0xab, 0xcd])) == #"{"jobId":[171,205]}"#)
        #expect(json(SubmitJobResponse()) == #"{"jobId":[]}"#)
        #expect(json(GetResultRequest(jobID: [0x0f])) == #"{"jobId":[15]}"#)
        // serde_as(Hex) fields: lowercase hex.
        #expect(json(SubmitProgramRequest(programELF: [0x7f, 0x45, 0x4c, 0x46], vmType: .sp1))
            == #"{"programElf":"7f454c46","vmType":1}"#)
        #expect(json(SubmitProgramRequest()) == #"{"programElf":"","vmType":0}"#)
        // Open enums: numbers without a name are written as they are.
        #expect(json(SubmitProgramRequest(programELF: [], vmType: VmType(rawValue: 7))) == #"{"programElf":"","vmType":7}"#)
        #expect(json(SubmitProgramRequest(programELF: [], vmType: VmType(rawValue: -2))) == #"{"programElf":"","vmType":-2}"#)
        #expect(json(SubmitProgramResponse(programID: [0x12, 0x34])) == #"{"programId":"1234"}"#)
        #expect(json(GetPendingJobsRequest(consumerAddress: [0x5f, 0xbd])) == #"{"consumerAddress":"5fbd"}"#)
        #expect(json(GetPendingJobsResponse(pendingJobs: [0, 1, .max]))
            == #"{"pendingJobs":[0,1,18446744073709551615]}"#)
        #expect(json(GetPendingJobsResponse()) == #"{"pendingJobs":[]}"#)
        #expect(json(ContainsProgramRequest(programID: [0x99])) == #"{"programId":"99"}"#)
        #expect(json(ContainsProgramResponse(contains: true)) == #"{"contains":true}"#)
        #expect(json(ContainsProgramResponse()) == #"{"contains":false}"#)
        #expect(json(JobStatus(status: JobStatusType(rawValue: 4), retries: .max))
            == #"{"status":4,"failureReason":null,"retries":4294967295}"#)
    }

    @Test("each bytes field's JSON shape is InfinityVM's: integer arrays exactly where its serde types have no Hex")
    func bytesShapes() {
        var arrays: [String] = [], hex: [String] = []
        for message in CoprocessorNodeService.messages {
            for field in message.fields {
                switch field.type {
                case .bytes(.integerArray): arrays.append("\(message.name).\(field.name)")
                case .bytes(.hex): hex.append("\(message.name).\(field.name)")
                default: break
                }
            }
        }
        #expect(arrays.sorted() == ["GetResultRequest.job_id", "SubmitJobRequest.offchain_input", "SubmitJobRequest.request",
                                    "SubmitJobRequest.signature", "SubmitJobRequest.state", "SubmitJobResponse.job_id"])
        // InfinityVM's proto build annotates fields by name, in whichever message they are.
        let annotated: Set<String> = ["id", "program_elf", "program_id", "onchain_input", "offchain_input_hash", "state_hash",
                                      "request_signature", "result_with_metadata", "zkvm_operator_signature",
                                      "consumer_address", "relay_tx_hash"]
        #expect(hex.count == 14)
        for name in hex { #expect(annotated.contains(String(name.split(separator: ".")[1])), "\(name)") }
    }

    @Test("failure reasons are escaped as JSON strings", arguments: [
        ("execution failed (cycleLimitExceeded): cycle limit exceeded", #""execution failed (cycleLimitExceeded): cycle limit exceeded""#),
        (#"quote " and backslash \ and slash /"#, #""quote \" and backslash \\ and slash /""#),
        ("line\nbreak\ttab\r\u{08}\u{0C}", #""line\nbreak\ttab\r\b\f""#),
        ("control \u{00}\u{01}\u{1F} chars, DEL \u{7F} as is", #""control \u0000\u0001\u001f chars, DEL "# + "\u{7F}" + #" as is""#),
        ("ünïcödé ✓ 🚀 \u{2028}", "\"ünïcödé ✓ 🚀 \u{2028}\""),
    ])
    func escaping(reason: String, expected: String) {
        #expect(json(JobStatus(status: .failed, failureReason: reason)) == #"{"status":3,"failureReason":"# + expected + #","retries":0}"#)
    }

    @Test("the reader reads back what the writer wrote, for random messages of every type")
    func readBack() throws {
        for message in Messages.random(count: 60, seed: 0x5EED_0001) {
            let type = try #require(Messages.type(named: message.name))
            func roundTrip<M: WireMessage>(_: M.Type) throws -> [UInt8] {
                JSONWriter.encode(try JSONReader.decode(M.self, from: message.json))
            }
            #expect(try roundTrip(type) == message.json, "\(message)")
        }
    }

    @Test("the writer's output parses as JSON with the same values (Foundation's parser)")
    func foundationParses() throws {
        let parsed = try TestJSON(parsing: JSONWriter.encode(Messages.shortJobResult(JobStatus(status: .failed,
                                                                                     failureReason: "a \"b\" \u{01} 🚀"))))
        #expect(parsed["nonce"] == .uint(.max))
        #expect(parsed["maxCycles"] == 1_000_000)
        #expect(parsed["status"] == ["status": 3, "failureReason": "a \"b\" \u{01} 🚀", "retries": 0])
        #expect(parsed.object?.count == 13)
        let request = try TestJSON(parsing: JSONWriter.encode(SubmitJobRequest(request: [0, 127, 255], signature: [])))
        #expect(request == ["request": [0, 127, 255], "signature": [], "offchainInput": [], "state": [], "relayStrategy": 0])
    }
}
