import CoprocessorWire
import Foundation
import TestSupport
import Testing

/// The gateway's JSON output, byte for byte: fields in field-number order under their
/// lowerCamelCase names, bytes as lowercase hex, uint64 as decimal strings, uint32 and enums as
/// numbers, an absent optional string or nested message left out, everything else always written.
@Suite("JSON writer")
struct JSONWriterTests {
    func json<M: WireMessage>(_ message: M) -> String { String(decoding: JSONWriter.encode(message), as: UTF8.self) }

    static let jobResultFields = #"{"id":"0102","nonce":"18446744073709551615","maxCycles":"1000000","consumerAddress":"ab","#
        + #""programId":"cdef","onchainInput":"","offchainInputHash":"00","stateHash":"ff","requestSignature":"0a","#
        + #""resultWithMetadata":"0b0c","zkvmOperatorSignature":"0d","#

    @Test("JobResult and GetResultResponse: every field, failureReason present or absent")
    func jobResult() {
        let failed = Messages.shortJobResult(JobStatus(status: .failed, failureReason: "cycle limit", retries: 2))
        #expect(json(failed) == Self.jobResultFields
            + #""status":{"status":3,"failureReason":"cycle limit","retries":2},"relayTxHash":"ee"}"#)
        let done = Messages.shortJobResult(JobStatus(status: .done))
        #expect(json(done) == Self.jobResultFields + #""status":{"status":2,"retries":0},"relayTxHash":"ee"}"#)
        // proto3 `optional`: an empty reason is present, unlike an absent one.
        let empty = Messages.shortJobResult(JobStatus(status: .done, failureReason: "", retries: 1))
        #expect(json(empty) == Self.jobResultFields
            + #""status":{"status":2,"failureReason":"","retries":1},"relayTxHash":"ee"}"#)
        // No status message: the field is left out.
        #expect(json(Messages.shortJobResult(nil)) == Self.jobResultFields + #""relayTxHash":"ee"}"#)
        #expect(json(GetResultResponse(jobResult: done))
            == #"{"jobResult":"# + Self.jobResultFields + #""status":{"status":2,"retries":0},"relayTxHash":"ee"}}"#)
        #expect(json(GetResultResponse(jobResult: nil)) == "{}")
        #expect(json(JobResult()) == #"{"id":"","nonce":"0","maxCycles":"0","consumerAddress":"","programId":"","#
            + #""onchainInput":"","offchainInputHash":"","stateHash":"","requestSignature":"","resultWithMetadata":"","#
            + #""zkvmOperatorSignature":"","relayTxHash":""}"#)
    }

    @Test("every other message, with values and at its defaults")
    func otherMessages() {
        #expect(json(SubmitJobRequest(request: [0xde, 0xad], signature: [0x01], offchainInput: [0xff, 0x00], state: []))
            == #"{"request":"dead","signature":"01","offchainInput":"ff00","state":""}"#)
        #expect(json(SubmitJobRequest()) == #"{"request":"","signature":"","offchainInput":"","state":""}"#)
        #expect(json(SubmitJobResponse(jobID: [0xab, 0xcd])) == #"{"jobId":"abcd"}"#)
        #expect(json(GetResultRequest(jobID: [0x0f])) == #"{"jobId":"0f"}"#)
        #expect(json(SubmitProgramRequest(programELF: [0x7f, 0x45, 0x4c, 0x46], vmType: .sp1))
            == #"{"programElf":"7f454c46","vmType":1}"#)
        #expect(json(SubmitProgramRequest()) == #"{"programElf":"","vmType":0}"#)
        // Open enums: numbers without a name are written as they are.
        #expect(json(SubmitProgramRequest(programELF: [], vmType: VmType(rawValue: 7))) == #"{"programElf":"","vmType":7}"#)
        #expect(json(SubmitProgramRequest(programELF: [], vmType: VmType(rawValue: -2))) == #"{"programElf":"","vmType":-2}"#)
        #expect(json(SubmitProgramResponse(programID: [0x12, 0x34])) == #"{"programId":"1234"}"#)
        #expect(json(GetPendingJobsRequest(consumerAddress: [0x5f, 0xbd])) == #"{"consumerAddress":"5fbd"}"#)
        #expect(json(GetPendingJobsResponse(pendingJobs: [0, 1, .max]))
            == #"{"pendingJobs":["0","1","18446744073709551615"]}"#)
        #expect(json(GetPendingJobsResponse()) == #"{"pendingJobs":[]}"#)
        #expect(json(ContainsProgramRequest(programID: [0x99])) == #"{"programId":"99"}"#)
        #expect(json(ContainsProgramResponse(contains: true)) == #"{"contains":true}"#)
        #expect(json(ContainsProgramResponse()) == #"{"contains":false}"#)
        #expect(json(JobStatus(status: JobStatusType(rawValue: 4), retries: .max))
            == #"{"status":4,"retries":4294967295}"#)
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
        #expect(parsed["nonce"] == "18446744073709551615")
        #expect(parsed["status"] == ["status": 3, "failureReason": "a \"b\" \u{01} 🚀", "retries": 0])
        #expect(parsed.object?.count == 13)
    }
}
