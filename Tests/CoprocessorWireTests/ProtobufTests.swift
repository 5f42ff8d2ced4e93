import CoprocessorWire
import Testing

/// The protobuf binary codec (gRPC): hand-computed encodings, round trips, what the decoder
/// accepts from other encoders, and its errors.
@Suite("Protobuf codec")
struct ProtobufTests {
    func decode<M: WireMessage>(_: M.Type, _ hex: String) throws -> M { try ProtobufReader.decode(M.self, from: hexBytes(hex)) }

    func error<M: WireMessage>(_: M.Type, _ hex: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        do {
            let message = try ProtobufReader.decode(M.self, from: hexBytes(hex))
            Issue.record("\(hex) decoded to \(message)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error.description
        }
    }

    func roundTrip<M: WireMessage>(_ message: M, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try ProtobufReader.decode(M.self, from: ProtobufWriter.encode(message)) == message,
                sourceLocation: sourceLocation)
    }

    // MARK: encodings

    @Test("known encodings, computed by hand")
    func knownEncodings() {
        let jobResult = Messages.shortJobResult(JobStatus(status: .failed, failureReason: "cycle limit", retries: 2))
        let expected = hexBytes("0a02 0102")                   // id
            + hexBytes("10 ffffffffffffffffff01")                      // nonce 2^64 - 1: ten bytes
            + hexBytes("18 c0843d")                                    // max_cycles 1000000
            + hexBytes("2201ab 2a02cdef")                              // consumer_address, program_id
            + hexBytes("3a0100 4201ff 4a010a")                         // (onchain_input empty: absent), hashes, request_signature
            + hexBytes("52020b0c 5a010d")                              // result_with_metadata, zkvm_operator_signature
            + hexBytes("62 11 0803 120b 6379636c65206c696d6974 1802")  // status (tag 98) {FAILED, "cycle limit", 2}
            + hexBytes("6a01ee")                                       // relay_tx_hash (tag 106)
        #expect(ProtobufWriter.encode(jobResult) == expected)
        #expect(ProtobufWriter.encode(SubmitProgramRequest(programELF: [0x7f, 0x45], vmType: .sp1)) == hexBytes("0a027f45 1001"))
        #expect(ProtobufWriter.encode(SubmitProgramRequest(programELF: [], vmType: VmType(rawValue: -1)))
            == hexBytes("10 ffffffffffffffffff01"), "a negative enum takes ten bytes")
        #expect(ProtobufWriter.encode(GetPendingJobsResponse(pendingJobs: [1, 300, .max]))
            == hexBytes("0a 0d 01 ac02 ffffffffffffffffff01"), "repeated scalars are packed")
        #expect(ProtobufWriter.encode(ContainsProgramResponse(contains: true)) == hexBytes("0801"))
        #expect(ProtobufWriter.encode(JobStatus(status: .done, failureReason: "")) == hexBytes("0802 1200"),
                "an empty optional string is present")
        #expect(ProtobufWriter.encode(JobStatus(status: .unspecified, retries: .max)) == hexBytes("18 ffffffff0f"))
        #expect(ProtobufWriter.encode(GetResultResponse(jobResult: JobResult())) == hexBytes("0a00"),
                "an empty nested message is present")
        let request = SubmitJobRequest(request: [UInt8](repeating: 0x11, count: 200), signature: [])
        #expect(ProtobufWriter.encode(request) == hexBytes("0a c801") + request.request, "a two-byte length")
        #expect(ProtobufWriter.encode(SubmitJobRequest(request: [1], signature: [], state: [2], relayStrategy: .ordered))
            == hexBytes("0a0101 220102 2801"), "relay_strategy is field 5 (state keeps the seed's 4)")
    }

    @Test("defaults encode to nothing and nothing decodes to the defaults, for every message")
    func defaults() throws {
        func check<M: WireMessage>(_: M.Type) throws {
            #expect(ProtobufWriter.encode(M()).isEmpty, "\(M.wireName)")
            #expect(try ProtobufReader.decode(M.self, from: []) == M(), "\(M.wireName)")
        }
        for type in Messages.types { try check(type) }
    }

    @Test("every message with every field set survives a round trip")
    func fullRoundTrips() throws {
        for message in Messages.full {
            let encoded = ProtobufWriter.encode(message)
            #expect(!encoded.isEmpty)
            try roundTrip(message)
        }
        let covered = Messages.full.map { type(of: $0).wireName }.sorted()
        let all = Messages.types.map { $0.wireName }.sorted()
        #expect(covered == all)
    }

    @Test("random messages of every type: decoding then encoding gives the same bytes")
    func randomRoundTrips() throws {
        for message in Messages.random(count: 100, seed: 0x5EED_0002) {
            let recoded = try message.recode(message.protobuf)
            #expect(recoded.protobuf == message.protobuf, "\(message)")
            #expect(recoded.json == message.json, "\(message)")
        }
    }

    // MARK: what other encoders send

    @Test("repeated uint64: packed, unpacked, both, and an empty packed run")
    func repeatedForms() throws {
        #expect(try decode(GetPendingJobsResponse.self, "08 01 08 ac02").pendingJobs == [1, 300])
        #expect(try decode(GetPendingJobsResponse.self, "0a 03 01 ac02").pendingJobs == [1, 300])
        #expect(try decode(GetPendingJobsResponse.self, "08 05 0a 02 0102 08 07").pendingJobs == [5, 1, 2, 7])
        #expect(try decode(GetPendingJobsResponse.self, "0a 00").pendingJobs == [])
    }

    @Test("unknown fields of every wire type are skipped")
    func unknownFields() throws {
        let status = try decode(JobStatus.self, """
            78 9601
            08 03
            8101 0102030405060708
            12 02 6162
            8a01 03 aabbcc
            9501 01020304
            f8ffffff0f 00
            18 03
            """)
        #expect(status == JobStatus(status: .failed, failureReason: "ab", retries: 3))
        // Inside a nested message too.
        let response = try decode(GetResultResponse.self, "0a 06 78 01 10 05 7801")
        #expect(response.jobResult?.nonce == 5)
    }

    @Test("a repeated field occurrence: scalars take the last value, nested messages merge")
    func repeatedOccurrences() throws {
        #expect(try decode(JobStatus.self, "0801 0802").status == .done)
        #expect(try decode(SubmitJobResponse.self, "0a01aa 0a01bb").jobID == [0xbb])
        let merged = try decode(GetResultResponse.self, "0a02 1005 0a02 1807")
        #expect(merged.jobResult?.nonce == 5)
        #expect(merged.jobResult?.maxCycles == 7)
        let status = try decode(JobResult.self, "6202 0803 6202 1804").status
        #expect(status == JobStatus(status: .failed, retries: 4))
    }

    @Test("varint values: bool is any non-zero, uint32 and enums truncate like C++ casts")
    func varintValues() throws {
        #expect(try decode(ContainsProgramResponse.self, "0802").contains == true)
        #expect(try decode(ContainsProgramResponse.self, "0800").contains == false)
        #expect(try decode(JobStatus.self, "18 8580808010").retries == 5, "2^32 + 5 as uint32")
        #expect(try decode(SubmitProgramRequest.self, "10 ffffffffffffffffff01").vmType.rawValue == -1)
        #expect(try decode(SubmitProgramRequest.self, "10 feffffff0f").vmType.rawValue == -2, "a five-byte negative int32")
        #expect(try decode(JobStatus.self, "08 07").status.rawValue == 7, "an enum number without a name")
    }

    // MARK: errors

    @Test("truncated and invalid input: each refused with its reason")
    func errors() {
        #expect(error(JobStatus.self, "08 80") == "protobuf: truncated varint")
        #expect(error(JobStatus.self, "80") == "protobuf: truncated varint")
        #expect(error(JobStatus.self, "08 ffffffffffffffffffff01") == "protobuf: varint longer than ten bytes")
        #expect(error(SubmitJobRequest.self, "0a 05 0102") == "protobuf: a length of 5 runs past the end of the message")
        #expect(error(GetResultResponse.self, "0a 03 0a0501") == "protobuf: a length of 5 runs past the end of the message")
        #expect(error(SubmitJobRequest.self, "0a ffffffffffffffffff01") != nil, "a huge length")
        #expect(error(JobStatus.self, "8101 010203") == "protobuf: truncated field")
        #expect(error(JobStatus.self, "9501 0102") == "protobuf: truncated field")
        #expect(error(JobStatus.self, "00") == "protobuf: invalid tag 0")
        #expect(error(JobStatus.self, "02 00") == "protobuf: invalid tag 2")
        #expect(error(JobStatus.self, "0e") == "protobuf: invalid tag 14")
        #expect(error(JobStatus.self, "0f") == "protobuf: invalid tag 15")
        #expect(error(JobStatus.self, "8080808010 00") == "protobuf: invalid tag 4294967296")
        #expect(error(JobStatus.self, "a301") == "protobuf: groups are not supported")
        #expect(error(JobStatus.self, "a401") == "protobuf: groups are not supported")
        #expect(error(SubmitJobRequest.self, "08 01") == "protobuf: field request (1) has wire type 0")
        // InfinityVM's later SubmitJobRequest puts relay_strategy Ordered at field 4, our `state`.
        #expect(error(SubmitJobRequest.self, "0a0101 2001") == "protobuf: field state (4) has wire type 0")
        #expect(error(JobStatus.self, "10 01") == "protobuf: field failure_reason (2) has wire type 0")
        #expect(error(JobStatus.self, "0a 00") == "protobuf: field status (1) has wire type 2")
        #expect(error(GetResultResponse.self, "08 01") == "protobuf: field job_result (1) has wire type 0")
        #expect(error(GetPendingJobsResponse.self, "0d 01020304") == "protobuf: field pending_jobs (1) has wire type 5")
        #expect(error(JobStatus.self, "12 01 ff") == "protobuf: field failure_reason is not valid UTF-8")
        #expect(error(GetPendingJobsResponse.self, "0a 01 80") == "protobuf: truncated varint")
    }
}
