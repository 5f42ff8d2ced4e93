import CoprocessorWire
import Testing

/// The gateway's JSON input: what it accepts, what it makes of it, and the exact message (with
/// the field, or the byte position) of what it refuses.
@Suite("JSON reader")
struct JSONReaderTests {
    func decode<M: WireMessage>(_: M.Type, _ json: String) throws -> M {
        try JSONReader.decode(M.self, from: Array(json.utf8))
    }

    /// The decoding error's message, or nil (and an issue) if `json` decodes.
    func error<M: WireMessage>(_: M.Type, _ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        do {
            let message = try JSONReader.decode(M.self, from: Array(json.utf8))
            Issue.record("\(json) decoded to \(message)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error.description
        }
    }

    // MARK: bytes

    @Test("bytes as hex: with or without 0x/0X, any case, empty; escaped hex digits too")
    func hexBytes() throws {
        for (text, bytes) in [("0xABcd01", [0xab, 0xcd, 0x01]), ("0XAB", [0xab]), ("abcd", [0xab, 0xcd]),
                              ("ABCD", [0xab, 0xcd]), ("", []), ("0x", []), (#"\u0061b"#, [0xab])] as [(String, [UInt8])] {
            #expect(try decode(GetResultRequest.self, #"{"jobId": "\#(text)"}"#).jobID == bytes, "\(text)")
        }
        #expect(error(GetResultRequest.self, #"{"jobId": "abc"}"#)
            == #"invalid field "jobId": hex string has an odd number of digits (3)"#)
        #expect(error(GetResultRequest.self, #"{"jobId": "0x12zz"}"#)
            == #"invalid field "jobId": invalid hex character 'z' at position 4"#)
        #expect(error(GetResultRequest.self, #"{"jobId": "é00"}"#)
            == #"invalid field "jobId": invalid hex character byte 0xc3 at position 0"#)
        #expect(error(GetResultRequest.self, #"{"jobId": "0x 1"}"#)
            == #"invalid field "jobId": invalid hex character byte 0x20 at position 2"#)
    }

    @Test("bytes as an array of integers 0-255 (JSON numbers only)")
    func integerArrayBytes() throws {
        #expect(try decode(GetResultRequest.self, #"{"jobId": [0, 1, 127, 255]}"#).jobID == [0, 1, 127, 255])
        #expect(try decode(GetResultRequest.self, #"{"jobId": [ ]}"#).jobID == [])
        // Every byte value, with and without spaces; leading zeros as JSON's digits allow them here.
        let all = (0...255).map(String.init)
        #expect(try decode(GetResultRequest.self, #"{"jobId": [\#(all.joined(separator: ","))]}"#).jobID == Array(0...255))
        #expect(try decode(GetResultRequest.self, #"{"jobId": [ \#(all.joined(separator: " , ")) ]}"#).jobID == Array(0...255))
        #expect(try decode(GetResultRequest.self, #"{"jobId": [007, 0255, 10,200]}"#).jobID == [7, 255, 10, 200])
        #expect(error(GetResultRequest.self, #"{"jobId": [1, 1000]}"#)
            == #"invalid field "jobId[1]": 1000 is not a byte value (0-255)"#)
        #expect(error(GetResultRequest.self, #"{"jobId": [1, 256]}"#)
            == #"invalid field "jobId[1]": 256 is not a byte value (0-255)"#)
        #expect(error(GetResultRequest.self, #"{"jobId": [18446744073709551616]}"#)
            == #"invalid field "jobId[0]": expected a byte value 0-255 (a JSON number)"#)
        for element in ["-1", "1.5", "1e2", #""1""#, #""ff""#, "true", "null", "[1]", "{}"] {
            #expect(error(GetResultRequest.self, #"{"jobId": [7, \#(element)]}"#)
                == #"invalid field "jobId[1]": expected a byte value 0-255 (a JSON number)"#, "\(element)")
        }
        #expect(error(GetResultRequest.self, #"{"jobId": 12}"#)
            == #"invalid field "jobId": expected a hex string or an array of byte values"#)
        #expect(error(GetPendingJobsRequest.self, #"{"consumer_address": {}}"#)
            == #"invalid field "consumerAddress": expected a hex string or an array of byte values"#)
    }

    // MARK: integers

    @Test("uint64 as a number or a decimal string, up to 2^64 - 1")
    func uint64() throws {
        let max = try decode(JobResult.self, #"{"nonce": 18446744073709551615, "maxCycles": "18446744073709551615"}"#)
        #expect(max.nonce == .max)
        #expect(max.maxCycles == .max)
        #expect(try decode(JobResult.self, #"{"nonce": 0, "max_cycles": "1000000"}"#).maxCycles == 1_000_000)
        let overflow = #"invalid field "nonce": expected an unsigned 64-bit integer (number or decimal string)"#
        #expect(error(JobResult.self, #"{"nonce": "18446744073709551616"}"#) == overflow)
        #expect(error(JobResult.self, #"{"nonce": 18446744073709551616}"#) == overflow)
        #expect(error(JobResult.self, #"{"nonce": 99999999999999999999999}"#) == overflow)
        for value in ["-1", "1.5", "1e3", #""""#, #"" 1""#, #""0x10""#, #""-1""#, "true", "[1]", "{}"] {
            #expect(error(JobResult.self, #"{"maxCycles": \#(value)}"#)
                == #"invalid field "maxCycles": expected an unsigned 64-bit integer (number or decimal string)"#,
                "\(value)")
        }
    }

    @Test("uint32 as a number or a decimal string, up to 2^32 - 1")
    func uint32() throws {
        #expect(try decode(JobStatus.self, #"{"retries": 4294967295}"#).retries == .max)
        #expect(try decode(JobStatus.self, #"{"retries": "4"}"#).retries == 4)
        #expect(error(JobStatus.self, #"{"retries": "4294967296"}"#)
            == #"invalid field "retries": expected an unsigned 32-bit integer (number or decimal string)"#)
        #expect(error(JobStatus.self, #"{"retries": 4294967296}"#)
            == #"invalid field "retries": expected an unsigned 32-bit integer (number or decimal string)"#)
    }

    @Test("repeated uint64: numbers and decimal strings mixed")
    func repeatedUInt64() throws {
        #expect(try decode(GetPendingJobsResponse.self, #"{"pending_jobs": [1, "2", 18446744073709551615]}"#)
            .pendingJobs == [1, 2, .max])
        #expect(try decode(GetPendingJobsResponse.self, #"{"pendingJobs": []}"#).pendingJobs == [])
        #expect(error(GetPendingJobsResponse.self, #"{"pendingJobs": [1, "x"]}"#)
            == #"invalid field "pendingJobs[1]": expected an unsigned 64-bit integer (number or decimal string)"#)
        #expect(error(GetPendingJobsResponse.self, #"{"pendingJobs": "1"}"#)
            == #"invalid field "pendingJobs": expected an array"#)
    }

    // MARK: enums

    @Test("enums by number (named or not, negative too) or by name, ignoring case")
    func enums() throws {
        let cases: [(String, Int32)] = [("1", 1), (#""Sp1""#, 1), (#""sp1""#, 1), (#""SP1""#, 1), (#""Risc0""#, 0),
                                        ("0", 0), ("9", 9), ("-3", -3), (#""7""#, 7), ("2147483647", .max)]
        for (value, number) in cases {
            #expect(try decode(SubmitProgramRequest.self, #"{"vmType": \#(value)}"#).vmType.rawValue == number, "\(value)")
        }
        #expect(try decode(JobStatus.self, #"{"status": "JOB_STATUS_TYPE_DONE"}"#).status == .done)
        // InfinityVM's later SubmitJob field, as its clients send it (a number) or by name.
        #expect(try decode(SubmitJobRequest.self, #"{"relayStrategy": 1}"#).relayStrategy == .ordered)
        #expect(try decode(SubmitJobRequest.self, #"{"relay_strategy": "Ordered"}"#).relayStrategy == .ordered)
        #expect(try decode(SubmitJobRequest.self, #"{"relayStrategy": 0}"#).relayStrategy == .unordered)
        #expect(try decode(SubmitJobRequest.self, #"{}"#).relayStrategy == .unordered)
        #expect(try decode(JobStatus.self, #"{"status": "job_status_type_relayed"}"#).status == .relayed)
        #expect(error(SubmitProgramRequest.self, #"{"vmType": "Sp9"}"#)
            == #"invalid field "vmType": unknown value "Sp9" (expected a number or one of Risc0, Sp1)"#)
        #expect(error(JobStatus.self, #"{"status": "DONE"}"#) == #"invalid field "status": unknown value "DONE" "#
            + "(expected a number or one of JOB_STATUS_TYPE_UNSPECIFIED, JOB_STATUS_TYPE_PENDING, JOB_STATUS_TYPE_DONE, "
            + "JOB_STATUS_TYPE_FAILED, JOB_STATUS_TYPE_RELAYED)")
        for value in ["2147483648", "-2147483649", "1.0", "true", "[1]", "{}"] {
            #expect(error(SubmitProgramRequest.self, #"{"programElf": "00", "vmType": \#(value)}"#)
                == #"invalid field "vmType": expected an enum number or name"#, "\(value)")
        }
    }

    // MARK: presence and defaults

    @Test("null or a missing field is the proto3 default")
    func nullAndMissing() throws {
        #expect(try decode(SubmitJobRequest.self, #"{"request": null, "signature": null, "offchainInput": null, "state": null}"#)
            == SubmitJobRequest())
        #expect(try decode(SubmitJobRequest.self, #"{"signature": "01"}"#)
            == SubmitJobRequest(request: [], signature: [1]))
        #expect(try decode(SubmitProgramRequest.self, #"{"programElf": "00", "vmType": null}"#).vmType == .risc0)
        #expect(try decode(JobStatus.self, #"{"status": null, "failureReason": null, "retries": null}"#) == JobStatus())
        #expect(try decode(JobStatus.self, #"{"status": 3}"#).failureReason == nil)
        #expect(try decode(JobStatus.self, #"{"failureReason": ""}"#).failureReason == "", "an empty reason is present")
        #expect(try decode(GetResultResponse.self, #"{"jobResult": null}"#).jobResult == nil)
        #expect(try decode(GetResultResponse.self, #"{"jobResult": {}}"#).jobResult == JobResult(), "present but empty")
        #expect(try decode(ContainsProgramResponse.self, #"{"contains": null}"#).contains == false)
        #expect(try decode(ContainsProgramResponse.self, #"{"contains": true}"#).contains == true)
        #expect(try decode(GetPendingJobsResponse.self, #"{"pendingJobs": null}"#).pendingJobs == [])
        #expect(try decode(JobResult.self, #"{"nonce": null}"#).nonce == 0)
        // A later null resets an earlier value; of two names for one field, the later wins.
        #expect(try decode(GetResultRequest.self, #"{"jobId": "ab", "job_id": null}"#).jobID == [])
        #expect(try decode(GetResultRequest.self, #"{"job_id": "ab", "jobId": "cd"}"#).jobID == [0xcd])
        // A nested message given twice merges, as protobuf does.
        let merged = try decode(GetResultResponse.self, #"{"jobResult": {"nonce": "1"}, "jobResult": {"maxCycles": 2}}"#)
        #expect(merged.jobResult?.nonce == 1)
        #expect(merged.jobResult?.maxCycles == 2)
    }

    @Test("lowerCamelCase or snake_case names, exactly; other keys are unknown fields")
    func names() throws {
        var expected = JobResult()
        expected.zkvmOperatorSignature = [1]
        expected.offchainInputHash = [2]
        expected.relayTxHash = [3]
        #expect(try decode(JobResult.self, #"{"zkvm_operator_signature": "01", "offchainInputHash": "02", "relay_tx_hash": "03"}"#)
            == expected)
        #expect(try decode(GetResultRequest.self, #"{"JobId": "ab", "jobid": "cd", "JOB_ID": "ef"}"#).jobID == [])
    }

    @Test("unknown fields of every JSON type are skipped, at any level")
    func unknownFields() throws {
        let body = #"""
            {"a": 1, "b": -2.5e+3, "c": "x\"y\\\u00e9", "d": true, "e": false, "f": null, "g": [1, [2, {"h": []}]],
             "i": {"j": {"k": "l"}, "m": [{}]}, "jobId": "ab", "z": {}, "y": [], "x": 0.0, "w": 1E-7}
            """#
        #expect(try decode(GetResultRequest.self, body).jobID == [0xab])
        let nested = try decode(GetResultResponse.self,
                                #"{"jobResult": {"unknown": [1, {"a": null}], "nonce": "5", "status": {"x": "y", "retries": 2}}}"#)
        #expect(nested.jobResult?.nonce == 5)
        #expect(nested.jobResult?.status == JobStatus(status: .unspecified, retries: 2))
        // An unknown field's value must still be valid JSON.
        #expect(error(GetResultRequest.self, #"{"x": tru}"#) == "malformed JSON: expected a value at byte 6")
        #expect(error(GetResultRequest.self, #"{"x": [1 2]}"#) == "malformed JSON: expected ']' at byte 9")
    }

    @Test("a value of the wrong JSON type names its field")
    func wrongTypes() {
        #expect(error(ContainsProgramResponse.self, #"{"contains": "true"}"#) == #"invalid field "contains": expected true or false"#)
        #expect(error(ContainsProgramResponse.self, #"{"contains": 1}"#) == #"invalid field "contains": expected true or false"#)
        #expect(error(JobStatus.self, #"{"failureReason": 5}"#) == #"invalid field "failureReason": expected a string"#)
        #expect(error(GetResultResponse.self, #"{"jobResult": []}"#) == #"invalid field "jobResult": expected a JSON object"#)
        #expect(error(GetResultResponse.self, #"{"jobResult": "x"}"#) == #"invalid field "jobResult": expected a JSON object"#)
    }

    // MARK: strings

    @Test("string escapes, \\u surrogate pairs included, and raw UTF-8")
    func stringEscapes() throws {
        let body = #"{"failureReason": "q\" b\\ s\/ \b\f\n\r\t \u00e9 \u20AC \ud83d\ude80 \u0000 é🚀"}"#
        #expect(try decode(JobStatus.self, body).failureReason == "q\" b\\ s/ \u{08}\u{0C}\n\r\t é € 🚀 \u{00} é🚀")
        // Escapes in keys too.
        #expect(try decode(GetResultRequest.self, #"{"job\u0049d": "01"}"#).jobID == [1])
    }

    @Test("malformed strings: the reason and the byte position")
    func malformedStrings() {
        let cases: [(String, String)] = [
            (#"{"failureReason": "\ud83d"}"#, "malformed JSON: unpaired surrogate at byte 25"),
            (#"{"failureReason": "\ud83d\u0041"}"#, "malformed JSON: unpaired surrogate at byte 31"),
            (#"{"failureReason": "\udc00"}"#, #"malformed JSON: invalid \u escape at byte 25"#),
            (#"{"failureReason": "\u12"}"#, #"malformed JSON: invalid \u escape at byte 23"#),
            (#"{"failureReason": "\u12"#, #"malformed JSON: truncated \u escape at byte 21"#),
            (#"{"failureReason": "\x"}"#, #"malformed JSON: invalid escape '\x' at byte 21"#),
            ("{\"failureReason\": \"a\u{01}b\"}", "malformed JSON: control character in a string at byte 20"),
            // After an escape the reader has consumed the offending byte when it reports it.
            ("{\"failureReason\": \"a\\n\u{0A}\"}", "malformed JSON: control character in a string at byte 23"),
            (#"{"failureReason": "abc"#, "malformed JSON: unterminated string at byte 22"),
            (#"{"failureReason": "a\"#, "malformed JSON: unterminated string at byte 21"),
        ]
        for (body, message) in cases {
            #expect(error(JobStatus.self, body) == message, "\(body)")
        }
    }

    // MARK: documents

    @Test("malformed JSON: the reason and the byte position")
    func malformedJSON() {
        let cases: [(String, String)] = [
            (#"{"jobId" "ab"}"#, "malformed JSON: expected ':' at byte 9"),
            (#"{"jobId": "ab",}"#, #"malformed JSON: expected '"' at byte 15"#),
            (#"{"jobId": "ab""#, "malformed JSON: unexpected end of input, expected '}' at byte 14"),
            (#"{"jobId": "ab"} x"#, "malformed JSON: unexpected data after the JSON object at byte 16"),
            (#"{"jobId": "ab"}{}"#, "malformed JSON: unexpected data after the JSON object at byte 15"),
            (#"{"a": }"#, "malformed JSON: expected a value at byte 6"),
            ("{not json", #"malformed JSON: expected '"' at byte 1"#),
            ("{", #"malformed JSON: unexpected end of input, expected '"' at byte 1"#),
            (#"{"jobId": "ab" "x": 1}"#, "malformed JSON: expected '}' at byte 15"),
        ]
        for (body, message) in cases {
            #expect(error(GetResultRequest.self, body) == message, "\(body)")
        }
    }

    @Test("nesting is limited to 64 levels")
    func nestingDepth() throws {
        func body(arrays: Int) -> String {
            #"{"x": "# + String(repeating: "[", count: arrays) + String(repeating: "]", count: arrays) + #", "jobId": "01"}"#
        }
        #expect(try decode(GetResultRequest.self, body(arrays: 63)).jobID == [1], "the object and 63 arrays: 64 levels")
        #expect(error(GetResultRequest.self, body(arrays: 64)) == "malformed JSON: nesting deeper than 64 levels at byte 69")
        let objects = #"{"x": "# + String(repeating: #"{"y": "#, count: 64) + "1" + String(repeating: "}", count: 65)
        #expect(error(GetResultRequest.self, objects)?.contains("nesting deeper than 64 levels") == true)
        #expect(error(GetResultRequest.self, String(repeating: "[", count: 100_000))
            == "request body must be a JSON object")
    }

    @Test("an empty body is the empty message; any other non-object body is refused")
    func wholeBodies() throws {
        #expect(try decode(SubmitJobRequest.self, "") == SubmitJobRequest())
        #expect(try decode(JobResult.self, " \n\t\r ") == JobResult())
        #expect(try decode(GetResultResponse.self, " {} ") == GetResultResponse())
        for body in ["[1, 2]", #""text""#, "1", "null", "true", "x"] {
            #expect(error(SubmitJobRequest.self, body) == "request body must be a JSON object", "\(body)")
        }
    }
}
