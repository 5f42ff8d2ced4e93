import Coprocessor
import Ethereum
import Foundation
import TestSupport
import Testing

/// InfinityVM's own Rust clients against our HTTP gateway, unchanged: requests byte for byte as
/// serde_json writes them from InfinityVM's types, answers read back as strictly as serde reads
/// them into those types. The types below are written from InfinityVM's source (not from our wire
/// schema, which would make the test circular):
/// - crates/sdk/proto/src/coprocessor_node.v1.rs at d0fdb477: prost structs with
///   `#[serde(rename_all = "camelCase")]`; `#[serde_as(as = "Hex")]` on the fields named id,
///   program_elf, program_id, onchain_input, offchain_input_hash, state_hash, request_signature,
///   result_with_metadata, zkvm_operator_signature, consumer_address and relay_tx_hash
///   (crates/scripts/src/proto_build.rs); every other `Vec<u8>` is a plain serde `Vec<u8>`, a JSON
///   array of numbers; `#[serde(default)]` on JobStatus.failure_reason and retries only.
/// - crates/coprocessor-node/src/gateway.rs: `ErrorResponse { message: String, grpc_code: i32 }`.
/// - test/load-test/src/{main,lib}.rs and crates/scripts/src/node_test.rs: its clients POST
///   `SubmitJobRequest` and `GetResultRequest` with reqwest/goose `.json(...)` and parse the answer
///   into `GetResultResponse`.
/// - At its latest commit (e17316f5) the same crate (crates/sdk/proto) drops `state` from
///   SubmitJobRequest and adds `relay_strategy: i32` (0 Unordered, 1 Ordered), and drops
///   `state_hash` from JobResult; the gateway (crates/coproc/src/gateway.rs) is unchanged.
/// Foundation's JSONDecoder is as strict as serde_json where it matters here: a number field
/// refuses a string, a non-optional key may not be missing or null, `[UInt8]` takes only an array
/// of integers 0-255, and `Hex` below takes only a string of hex digit pairs.
@Suite("InfinityVM client compatibility")
struct InfinityVMCompatibilityTests {
    /// The Rust types of InfinityVM's clients, as serde reads them.
    enum Serde {
        /// serde_with's `Hex` (the `hex` crate): pairs of hex digits, either case, no `0x`.
        struct Hex: Decodable, Equatable {
            let bytes: [UInt8]

            init(from decoder: any Decoder) throws {
                let text = try decoder.singleValueContainer().decode(String.self)
                func nibble(_ c: UInt8) -> UInt8? {
                    switch c {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
                    default: nil
                    }
                }
                let digits = Array(text.utf8)
                var bytes: [UInt8] = []
                var i = 0
                while i + 1 < digits.count, let high = nibble(digits[i]), let low = nibble(digits[i + 1]) {
                    bytes.append(high << 4 | low)
                    i += 2
                }
                guard i == digits.count else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                            debugDescription: "not hex for serde_with's Hex: \"\(text)\""))
                }
                self.bytes = bytes
            }
        }

        struct JobStatus: Decodable {
            let status: Int32
            let failureReason: String?
            let retries: UInt32

            enum CodingKeys: String, CodingKey { case status, failureReason, retries }

            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                status = try c.decode(Int32.self, forKey: .status)
                // #[serde(default)]: may be missing; present, it must have the field's type (an
                // Option takes null).
                failureReason = try c.decodeIfPresent(String.self, forKey: .failureReason)
                retries = c.contains(.retries) ? try c.decode(UInt32.self, forKey: .retries) : 0
            }
        }

        struct JobResult: Decodable {
            let id: Hex
            let nonce: UInt64
            let maxCycles: UInt64
            let consumerAddress: Hex
            let programId: Hex
            let onchainInput: Hex
            let offchainInputHash: Hex
            let stateHash: Hex
            let requestSignature: Hex
            let resultWithMetadata: Hex
            let zkvmOperatorSignature: Hex
            let status: JobStatus?
            let relayTxHash: Hex
        }

        struct GetResultResponse: Decodable { let jobResult: JobResult? }

        /// Its latest JobResult: no stateHash (an extra key is ignored, as serde does by default).
        struct LatestJobResult: Decodable {
            let id: Hex
            let nonce: UInt64
            let maxCycles: UInt64
            let consumerAddress: Hex
            let programId: Hex
            let onchainInput: Hex
            let offchainInputHash: Hex
            let requestSignature: Hex
            let resultWithMetadata: Hex
            let zkvmOperatorSignature: Hex
            let status: JobStatus?
            let relayTxHash: Hex
        }

        struct LatestGetResultResponse: Decodable { let jobResult: LatestJobResult? }
        struct SubmitJobResponse: Decodable { let jobId: [UInt8] }
        struct SubmitProgramResponse: Decodable { let programId: Hex }

        struct ErrorResponse: Decodable {
            let message: String
            let grpc_code: Int32
        }

        /// serde_json's compact output of a `Vec<u8>`.
        static func vec(_ bytes: [UInt8]) -> String { "[" + bytes.map(String.init).joined(separator: ",") + "]" }

        /// `SubmitJobRequest` as its load test and node test script send it (fields in struct order).
        static func submitJob(_ job: SignedJob) -> String {
            #"{"request":\#(vec(job.requestBytes)),"signature":\#(vec(job.signature)),"#
                + #""offchainInput":\#(vec(job.offchainInput)),"state":\#(vec(job.state))}"#
        }

        /// Its latest `SubmitJobRequest`: no state, a relay strategy.
        static func latestSubmitJob(_ job: SignedJob, relayStrategy: Int32) -> String {
            #"{"request":\#(vec(job.requestBytes)),"signature":\#(vec(job.signature)),"#
                + #""offchainInput":\#(vec(job.offchainInput)),"relayStrategy":\#(relayStrategy)}"#
        }

        static func getResult(_ jobID: [UInt8]) -> String { #"{"jobId":\#(vec(jobID))}"# }

        /// `SubmitProgramRequest`: program_elf is a Hex field, vm_type an i32.
        static func submitProgram(_ elf: [UInt8], vmType: Int32) -> String {
            #"{"programElf":"\#(Ethereum.Hex.encode(elf, prefixed: false))","vmType":\#(vmType)}"#
        }
    }

    func decode<T: Decodable>(_: T.Type, _ body: [UInt8]) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(body)) } catch {
            throw TestFailure("serde would not read \(T.self) from \(String(decoding: body.prefix(600), as: UTF8.self)): \(error)")
        }
    }

    /// GetResult as the load test's `get_result_status` does it, until the job leaves PENDING;
    /// every answer on the way must parse.
    func poll(_ http: GatewayClient, _ jobID: [UInt8]) async throws -> (Serde.JobResult, [UInt8]) {
        try await eventually("job to leave PENDING", interval: .milliseconds(10)) { state in
            let (status, body) = try await http.exchange("get_result", Array(Serde.getResult(jobID).utf8))
            guard status == 200 else { throw TestFailure("get_result: HTTP \(status) \(String(decoding: body, as: UTF8.self))") }
            let result = try decode(Serde.GetResultResponse.self, body).jobResult
            state = "\(result?.status?.status ?? 0)"
            guard let result, let jobStatus = result.status, jobStatus.status != 1 else { return nil }
            return (result, body)
        }
    }

    /// Every key of a JobResult and of its status is present, failureReason as null when unset (a
    /// serde client reads a missing failureReason too, but writes null: we write what it writes).
    func checkKeys(_ body: [UInt8], failureReason: TestJSON) throws {
        let result = try #require(try TestJSON(parsing: body)["jobResult"]?.object)
        #expect(Set(result.keys) == ["id", "nonce", "maxCycles", "consumerAddress", "programId", "onchainInput",
                                     "offchainInputHash", "stateHash", "requestSignature", "resultWithMetadata",
                                     "zkvmOperatorSignature", "status", "relayTxHash"])
        let status = try #require(result["status"]?.object)
        #expect(Set(status.keys) == ["status", "failureReason", "retries"])
        #expect(status["failureReason"] == failureReason)
    }

    @Test("a full job as InfinityVM's load test and node test script run it: integer arrays in, serde's shapes out")
    func fullJob() async throws {
        try await InProcessNode.with { node in
            let http = node.http
            let elf = try Repo.guest("mock-consumer")
            let (programStatus, programBody) = try await http.exchange("submit_program",
                                                                       Array(Serde.submitProgram(elf, vmType: 1).utf8))
            #expect(programStatus == 200)
            let programID = try decode(Serde.SubmitProgramResponse.self, programBody).programId.bytes
            #expect(programID == (try Repo.programID("mock-consumer")))

            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            let job = SignedJob(nonce: 1, programID: programID, onchainInput: vector.stdin[0])
            let (submitStatus, submitBody) = try await http.exchange("submit_job", Array(Serde.submitJob(job).utf8))
            #expect(submitStatus == 200, "\(String(decoding: submitBody, as: UTF8.self))")
            // `jobId` is a plain Vec<u8> in InfinityVM's SubmitJobResponse: an array, not hex.
            #expect(try decode(Serde.SubmitJobResponse.self, submitBody).jobId == job.jobID)
            #expect(String(decoding: submitBody, as: UTF8.self) == #"{"jobId":\#(Serde.vec(job.jobID))}"#)

            let (done, doneBody) = try await poll(http, job.jobID)
            #expect(done.status?.status == 2)
            #expect(done.status?.failureReason == nil)
            #expect(done.status?.retries == 0)
            #expect(done.id.bytes == job.jobID)
            #expect(done.nonce == 1)
            #expect(done.maxCycles == job.request.maxCycles)
            #expect(done.consumerAddress.bytes == TestKeys.consumer.bytes)
            #expect(done.programId.bytes == programID)
            #expect(done.onchainInput.bytes == vector.stdin[0])
            #expect(done.offchainInputHash.bytes == Keccak256.hash([]).bytes)
            #expect(done.stateHash.bytes == Keccak256.hash([]).bytes)
            #expect(done.requestSignature.bytes == job.signature)
            #expect(done.relayTxHash.bytes == [])
            let result = try OffchainResultWithMetadata(abiEncoded: done.resultWithMetadata.bytes)
            #expect(result.result == vector.publicValues)
            #expect(try Signature(bytes: done.zkvmOperatorSignature.bytes)
                .recoverPersonalMessageSigner(done.resultWithMetadata.bytes) == TestKeys.operatorKey.address)
            try checkKeys(doneBody, failureReason: .null)

            // A job that FAILS: failureReason a string, resultWithMetadata and the signature "".
            let heavy = try decode(Serde.SubmitProgramResponse.self, try await http.exchange(
                "submit_program", Array(Serde.submitProgram(try Repo.guest("intensity-test"), vmType: 1).utf8)).body)
            let over = SignedJob(nonce: 2, programID: heavy.programId.bytes, onchainInput: [0x10, 0x27, 0, 0],
                                 maxCycles: 50_000)
            #expect(try await http.exchange("submit_job", Array(Serde.submitJob(over).utf8)).status == 200)
            let (failed, failedBody) = try await poll(http, over.jobID)
            #expect(failed.status?.status == 3)
            let reason = try #require(failed.status?.failureReason)
            #expect(reason.contains("cycle limit exceeded"), "\(reason)")
            #expect(failed.resultWithMetadata.bytes == [])
            #expect(failed.zkvmOperatorSignature.bytes == [])
            #expect(failed.nonce == 2)
            #expect(failed.maxCycles == 50_000)
            try checkKeys(failedBody, failureReason: .string(reason))
        }
    }

    @Test("InfinityVM's latest clients: SubmitJob with relayStrategy and no state; its latest JobResult reads our answer")
    func latestClients() async throws {
        try await InProcessNode.with { node in
            let http = node.http
            let programID = try await node.core.submitProgram("mock-consumer")
            let input = [UInt8](repeating: 0, count: 12) + TestKeys.consumer.bytes
            for (nonce, strategy, stored) in [(UInt64(5), Int32(1), RelayStrategy.ordered), (6, 0, .unordered)] {
                let job = SignedJob(nonce: nonce, programID: programID, onchainInput: input)
                let (status, body) = try await http.exchange("submit_job",
                                                              Array(Serde.latestSubmitJob(job, relayStrategy: strategy).utf8))
                #expect(status == 200, "\(String(decoding: body, as: UTF8.self))")
                #expect(try decode(Serde.SubmitJobResponse.self, body).jobId == job.jobID)
                #expect(try await node.core.job(job.jobID).relayStrategy == stored, "relayStrategy \(strategy)")
                _ = try await poll(http, job.jobID)
                let (_, resultBody) = try await http.exchange("get_result", Array(Serde.getResult(job.jobID).utf8))
                let result = try #require(try decode(Serde.LatestGetResultResponse.self, resultBody).jobResult)
                #expect(result.status?.status == 2)
                #expect(result.nonce == nonce)
                #expect(result.id.bytes == job.jobID)
            }
            // A strategy it does not have: INVALID_ARGUMENT, as its ErrorResponse.
            let bad = SignedJob(nonce: 7, programID: programID, onchainInput: input)
            let (status, body) = try await http.exchange("submit_job", Array(Serde.latestSubmitJob(bad, relayStrategy: 2).utf8))
            #expect(status == 400)
            #expect(try decode(Serde.ErrorResponse.self, body).grpc_code == 3)
        }
    }

    @Test("errors are InfinityVM's ErrorResponse (message, grpc_code) plus code, under the standard HTTP statuses")
    func errors() async throws {
        try await InProcessNode.with { node in
            let http = node.http
            let programID = try await node.core.submitProgram("mock-consumer")
            let job = SignedJob(nonce: 3, programID: programID, onchainInput: [UInt8](repeating: 0x45, count: 32))
            #expect(try await http.exchange("submit_job", Array(Serde.submitJob(job).utf8)).status == 200)
            // (body, gRPC code, our HTTP status; InfinityVM's gateway answers 409 for all three.)
            let cases: [(String, String, Int32, Int)] = [
                ("submit_job", Serde.submitJob(job), 6, 409),  // ALREADY_EXISTS
                ("get_result", Serde.getResult([UInt8](repeating: 0xab, count: 32)), 5, 404),  // NOT_FOUND
                ("get_result", Serde.getResult([1, 2, 3]), 3, 400),  // INVALID_ARGUMENT
            ]
            for (method, body, code, httpStatus) in cases {
                let (status, reply) = try await http.exchange(method, Array(body.utf8))
                #expect(status == httpStatus, "\(method)")
                let error = try decode(Serde.ErrorResponse.self, reply)
                #expect(error.grpc_code == code, "\(method): \(error.message)")
                #expect(!error.message.isEmpty)
                let json = try TestJSON(parsing: reply)
                #expect(json == ["code": .int(Int(code)), "grpc_code": .int(Int(code)), "message": .string(error.message)])
            }
        }
    }
}
