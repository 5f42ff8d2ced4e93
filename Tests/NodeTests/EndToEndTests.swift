import Coprocessor
import CoprocessorGRPC
import CoprocessorHTTP
import CoprocessorWire
import Ethereum
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle
import TestSupport
import Testing
import ZKVM

/// The real node in-process: the service core with SQLite, workers and the engine, behind the real
/// gRPC server and HTTP gateway on loopback ports, driven by real clients.
@Suite("End to end")
struct EndToEndTests {
    typealias Client = GRPCClient<HTTP2ClientTransport.Posix>
    typealias Node = CoprocessorNodeService

    typealias Running = InProcessNode.Running

    func withNode<T: Sendable>(config: CoprocessorConfig = CoprocessorConfig(),
                               _ body: @escaping @Sendable (Running) async throws -> T) async throws -> T {
        try await InProcessNode.with(config: config, body)
    }

    /// Checks a DONE offchain job's signed result: fields, output and the operator's signature.
    func checkDone(resultWithMetadata: [UInt8], operatorSignature: [UInt8], signed: SignedJob, output: [UInt8]) throws {
        let result = try OffchainResultWithMetadata(abiEncoded: resultWithMetadata)
        #expect(result.jobID == signed.request.jobID)
        #expect(result.onchainInputHash == Keccak256.hash(signed.request.onchainInput))
        #expect(result.offchainInputHash == signed.request.offchainInputHash)
        #expect(result.stateHash == signed.request.stateHash)
        #expect(result.maxCycles == signed.request.maxCycles)
        #expect(result.programID == signed.request.programID)
        #expect(result.result == output)
        let signer = try Signature(bytes: operatorSignature).recoverPersonalMessageSigner(resultWithMetadata)
        #expect(signer == TestKeys.operatorKey.address)
    }

    // MARK: gRPC

    func grpcSubmitProgram(_ client: Client, _ name: String) async throws -> [UInt8] {
        try await client.call(Node.submitProgram, SubmitProgramRequest(programELF: try Repo.guest(name), vmType: .sp1)).programID
    }

    func grpcSubmitJob(_ client: Client, _ s: SignedJob) async throws -> [UInt8] {
        try await client.call(Node.submitJob, s.submitRequest).jobID
    }

    func grpcPoll(_ client: Client, _ id: [UInt8]) async throws -> JobResult {
        try await eventually("job to finish over gRPC", interval: .milliseconds(5)) { state in
            let result = try await client.call(Node.getResult, GetResultRequest(jobID: id)).jobResult
            state = "\(String(describing: result?.status))"
            return result?.status?.status == .pending ? nil : result
        }
    }

    @Test("gRPC: mock-consumer, stateful and over-limit jobs")
    func grpcJobs() async throws {
        try await withNode { node in
            let client = node.grpc
            let mock = try await grpcSubmitProgram(client, "mock-consumer")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x0123..")
            let job = SignedJob(nonce: 1, programID: mock, onchainInput: vector.stdin[0])
            let id = try await grpcSubmitJob(client, job)
            #expect(id == job.jobID)
            let done = try await grpcPoll(client, id)
            #expect(done.status?.status == .done)
            #expect(done.status?.failureReason == nil)
            #expect(done.id == id)
            #expect(done.nonce == 1)
            #expect(done.maxCycles == job.request.maxCycles)
            #expect(done.consumerAddress == TestKeys.consumer.bytes)
            #expect(done.programID == mock)
            #expect(done.onchainInput == vector.stdin[0])
            #expect(done.requestSignature == job.signature)
            try checkDone(resultWithMetadata: done.resultWithMetadata, operatorSignature: done.zkvmOperatorSignature,
                          signed: job, output: vector.publicValues)

            let counter = try await grpcSubmitProgram(client, "stateful-counter")
            let sv = try Repo.guestVector(program: "stateful-counter", name: "wraps mod 2^64")
            let stateful = SignedJob(nonce: 2, programID: counter, onchainInput: sv.stdin[0], offchainInput: sv.stdin[1],
                                     state: sv.stdin[2])
            let statefulDone = try await grpcPoll(client, try await grpcSubmitJob(client, stateful))
            #expect(statefulDone.status?.status == .done)
            try checkDone(resultWithMetadata: statefulDone.resultWithMetadata,
                          operatorSignature: statefulDone.zkvmOperatorSignature, signed: stateful, output: sv.publicValues)

            let heavy = try await grpcSubmitProgram(client, "intensity-test")
            let over = SignedJob(nonce: 3, programID: heavy, onchainInput: [0x10, 0x27, 0, 0], maxCycles: 50_000)
            let failed = try await grpcPoll(client, try await grpcSubmitJob(client, over))
            #expect(failed.status?.status == .failed)
            #expect(failed.status?.failureReason?.contains("cycle limit exceeded") == true,
                    "\(failed.status?.failureReason ?? "")")
            #expect(failed.resultWithMetadata.isEmpty)
        }
    }

    @Test("gRPC: intake rejections carry their status codes and store nothing")
    func grpcRejections() async throws {
        try await withNode { node in
            let client = node.grpc
            let mock = try await grpcSubmitProgram(client, "mock-consumer")
            let input = [UInt8](repeating: 0, count: 32)
            func code(_ body: () async throws -> Void) async -> RPCError.Code? {
                do { try await body(); return nil } catch let e as RPCError { return e.code } catch { return nil }
            }
            var bad = SignedJob(nonce: 5, programID: mock, onchainInput: input)
            bad.offchainInput = [1]
            #expect(await code { _ = try await grpcSubmitJob(client, bad) } == .invalidArgument)
            let unknown = SignedJob(nonce: 6, programID: [UInt8](repeating: 1, count: 32), onchainInput: input)
            #expect(await code { _ = try await grpcSubmitJob(client, unknown) } == .notFound)
            let unknownVM = SubmitProgramRequest(programELF: try Repo.guest("mock-consumer"), vmType: VmType(rawValue: 7))
            #expect(await code { _ = try await client.call(Node.submitProgram, unknownVM) } == .invalidArgument)
            let ok = SignedJob(nonce: 7, programID: mock, onchainInput: input)
            _ = try await grpcSubmitJob(client, ok)
            #expect(await code { _ = try await grpcSubmitJob(client, ok) } == .alreadyExists)
            #expect(await code { _ = try await client.call(Node.getResult, GetResultRequest(jobID: [1, 2, 3])) }
                == .invalidArgument)
            for s in [bad, unknown] {
                await #expect(throws: NodeError.self) {
                    _ = try await node.core.service.getResult(GetResultRequest(jobID: s.jobID))
                }
            }
        }
    }

    // MARK: HTTP

    @Test("HTTP: a full job in JSON, and the rejections' HTTP statuses")
    func httpJobs() async throws {
        try await withNode { node in
            let http = node.http
            let elf = try Repo.guest("mock-consumer")
            let (status, program) = try await http.post("submit_program", [
                "program_elf": "0x" + Hex.encode(elf, prefixed: false), "vm_type": 1,
            ])
            #expect(status == 200)
            let programID = try Hex.decode(program["programId"] as? String ?? "")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            let job = SignedJob(nonce: 11, programID: programID, onchainInput: vector.stdin[0])
            let (submitted, reply) = try await http.post("submit_job", job.gatewayBody)
            #expect(submitted == 200)
            #expect(byteArray(reply["jobId"]) == job.jobID)
            let result = try await http.poll(Hex.encode(job.jobID, prefixed: false))
            #expect(result.jobStatus == 2)
            #expect(result["nonce"] as? Int == 11)
            #expect((result["status"] as? [String: Any])?["failureReason"] is NSNull)
            try checkDone(resultWithMetadata: try Hex.decode(result["resultWithMetadata"] as? String ?? ""),
                          operatorSignature: try Hex.decode(result["zkvmOperatorSignature"] as? String ?? ""),
                          signed: job, output: vector.publicValues)

            #expect(try await http.post("submit_job", job.gatewayBody).status == 409)
            #expect(try await http.post("get_result", ["jobId": "00"]).status == 400)
            #expect(try await http.post("get_result", ["jobId": String(repeating: "ab", count: 32)]).status == 404)
            let (unknownVM, error) = try await http.post("submit_program", ["programElf": Hex.encode(elf), "vmType": 7])
            #expect(unknownVM == 400)
            #expect(error["code"] as? Int == 3)
            #expect((error["message"] as? String)?.contains("Risc0 (0) and Sp1 (1)") == true)
            #expect(try await http.post("get_pending_jobs", ["consumerAddress": TestKeys.consumer.lowercaseHex])
                .json["pendingJobs"] as? [Int] == [])
            #expect(try await http.post("contains_program", ["programId": Hex.encode(programID)]).json["contains"] as? Bool == true)
            // Bytes as an array of integers work end to end too.
            #expect(try await http.post("contains_program", ["programId": programID.map(Int.init)]).json["contains"] as? Bool
                == true)
        }
    }

    @Test("RISC Zero (vm_type 0): the image ID as program ID, jobs over gRPC and HTTP, signed journals")
    func risc0Jobs() async throws {
        try await withNode { node in
            let elf = try Repo.risc0Guest("mock-consumer")
            let imageID = try Risc0.image(elf: elf).id.bytes
            // gRPC: SubmitProgram with vm_type Risc0 answers the RISC Zero v1 image ID.
            let programID = try await node.grpc.call(Node.submitProgram,
                                                     SubmitProgramRequest(programELF: elf, vmType: .risc0)).programID
            #expect(programID == imageID)
            #expect(try await node.grpc.call(Node.containsProgram, ContainsProgramRequest(programID: imageID)).contains)
            let vector = try Repo.risc0Vector(program: "mock-consumer", name: "address 0x4545..45")
            let job = SignedJob(nonce: 60, programID: programID, onchainInput: vector.items[0],
                                offchainInput: vector.items[1], state: vector.items[2])
            let done = try await grpcPoll(node.grpc, try await grpcSubmitJob(node.grpc, job))
            #expect(done.status?.status == .done, "\(done.status?.failureReason ?? "")")
            try checkDone(resultWithMetadata: done.resultWithMetadata, operatorSignature: done.zkvmOperatorSignature,
                          signed: job, output: vector.journal)

            // HTTP: the same program (idempotent), another job, the same journal for the same input.
            let (status, program) = try await node.http.post("submit_program", ["programElf": Hex.encode(elf), "vmType": 0])
            #expect(status == 200)
            #expect(program["programId"] as? String == Hex.encode(imageID, prefixed: false))
            let second = SignedJob(nonce: 61, programID: programID, onchainInput: vector.items[0])
            #expect(try await node.http.post("submit_job", second.gatewayBody).status == 200)
            let result = try await node.http.poll(Hex.encode(second.jobID, prefixed: false))
            #expect(result.jobStatus == 2)
            try checkDone(resultWithMetadata: try Hex.decode(result["resultWithMetadata"] as? String ?? ""),
                          operatorSignature: try Hex.decode(result["zkvmOperatorSignature"] as? String ?? ""),
                          signed: second, output: vector.journal)

            // A RISC Zero program over its user-cycle limit fails with the reason.
            let over = SignedJob(nonce: 62, programID: programID, onchainInput: vector.items[0], maxCycles: 100)
            let failed = try await grpcPoll(node.grpc, try await grpcSubmitJob(node.grpc, over))
            #expect(failed.status?.status == .failed)
            #expect(failed.status?.failureReason?.contains("cycle limit") == true, "\(failed.status?.failureReason ?? "")")
        }
    }

    @Test("SP1 v6 (RV64IM, vm_type 1): ELF64 programs, jobs over gRPC and HTTP, a non-zero exit code fails the job")
    func sp1V6Jobs() async throws {
        try await withNode { node in
            let elf = try Repo.rv64Guest("mock-consumer")
            let expectedID = try Program(elf: elf).id.bytes
            #expect(try Program(elf: elf).isa == .rv64im)
            // gRPC: SubmitProgram with vm_type Sp1 takes the ELF64 as it takes an ELF32.
            let programID = try await node.grpc.call(Node.submitProgram,
                                                     SubmitProgramRequest(programELF: elf, vmType: .sp1)).programID
            #expect(programID == expectedID)
            let vector = try Repo.vectorCase(file: "vectors-rv64.json", program: "mock-consumer", name: "address 0x4545..45")
            #expect(vector.exitCode == 0)
            let job = SignedJob(nonce: 70, programID: programID, onchainInput: vector.stdin[0])
            let done = try await grpcPoll(node.grpc, try await grpcSubmitJob(node.grpc, job))
            #expect(done.status?.status == .done, "\(done.status?.failureReason ?? "")")
            try checkDone(resultWithMetadata: done.resultWithMetadata, operatorSignature: done.zkvmOperatorSignature,
                          signed: job, output: vector.publicValues)

            // HTTP: the guest panics on a 31-byte input; SP1 v6 reports exit code 1, the job fails with it.
            let (status, program) = try await node.http.post("submit_program", ["programElf": Hex.encode(elf), "vmType": 1])
            #expect(status == 200)
            #expect(program["programId"] as? String == Hex.encode(expectedID, prefixed: false))
            let panics = try Repo.vectorCase(file: "vectors-rv64.json", program: "mock-consumer", name: "31 bytes panics")
            #expect(panics.exitCode == 1)
            let bad = SignedJob(nonce: 71, programID: programID, onchainInput: panics.stdin[0])
            #expect(try await node.http.post("submit_job", bad.gatewayBody).status == 200)
            let result = try await node.http.poll(Hex.encode(bad.jobID, prefixed: false))
            #expect(result.jobStatus == 3)
            let reason = (result["status"] as? [String: Any])?["failureReason"] as? String ?? "\(result)"
            #expect(reason.contains("nonZeroExitCode") && reason.contains("exited with code 1"), "\(reason)")
            #expect(result["resultWithMetadata"] as? String ?? "" == "")
        }
    }

    @Test("an onchain job and an offchain job, through the same core, seen over both front ends")
    func onchainJobOverBothFrontEnds() async throws {
        try await withNode { node in
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x0123..")
            let event = jobCreatedEvent(nonce: 40, programID: try Repo.programID("mock-consumer"),
                                        onchainInput: vector.stdin[0])
            #expect(try await node.core.service.submitOnchainJob(event) == .waitingForProgram)
            // SubmitProgram over gRPC releases it.
            _ = try await grpcSubmitProgram(node.grpc, "mock-consumer")
            let overGRPC = try await grpcPoll(node.grpc, event.jobID.bytes)
            #expect(overGRPC.status?.status == .done)
            #expect(overGRPC.requestSignature.isEmpty)
            let result = try ResultWithMetadata(abiEncoded: overGRPC.resultWithMetadata)
            #expect(result.result == vector.publicValues)
            let overHTTP = try await node.http.poll(Hex.encode(event.jobID.bytes, prefixed: false))
            #expect(overHTTP["resultWithMetadata"] as? String == Hex.encode(overGRPC.resultWithMetadata, prefixed: false))
            #expect(overHTTP["requestSignature"] as? String == "")
        }
    }

    // MARK: clients no one here wrote

    @Test("curl does one full job over HTTP")
    func curl() async throws {
        let curl = try ["/usr/bin/curl", "/bin/curl"].first { FileManager.default.isExecutableFile(atPath: $0) }
            .orThrow("curl is not installed")
        try await withNode { node in
            let url = "http://127.0.0.1:\(node.http.port)/v1/coprocessor_node/"
            func run(_ method: String, _ body: String) async throws -> [String: Any] {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString).json")
                try Data(body.utf8).write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                let out = try await Subprocess.run(curl, ["-sS", "--fail-with-body", "-d", "@\(file.path)", url + method])
                #expect(out.status == 0, "\(out.stderr)")
                return (try JSONSerialization.jsonObject(with: out.stdout)) as? [String: Any] ?? [:]
            }
            let elf = Hex.encode(try Repo.guest("mock-consumer"), prefixed: false)
            let programID = try Hex.decode(try await run("submit_program", #"{"programElf": "\#(elf)", "vmType": 1}"#)["programId"] as? String ?? "")
            let job = SignedJob(nonce: 21, programID: programID, onchainInput: [UInt8](repeating: 0x45, count: 32))
            let submitted = try await run("submit_job", """
                {"request": "\(Hex.encode(job.requestBytes))", "signature": "\(Hex.encode(job.signature))"}
                """)
            let id = Hex.encode(byteArray(submitted["jobId"]) ?? [], prefixed: false)
            #expect(id == Hex.encode(job.jobID, prefixed: false))
            let result = try await eventually("curl: job \(id) done", interval: .milliseconds(10)) { _ in
                let result = try await run("get_result", #"{"job_id": "0x\#(id)"}"#)["jobResult"] as? [String: Any] ?? [:]
                return result.jobStatus == 1 ? nil : result
            }
            #expect(result.jobStatus == 2)
            let signature = try Hex.decode(result["zkvmOperatorSignature"] as? String ?? "")
            let signed = try Hex.decode(result["resultWithMetadata"] as? String ?? "")
            #expect(try Signature(bytes: signature).recoverPersonalMessageSigner(signed) == TestKeys.operatorKey.address)
        }
    }

    @Test("a Python grpcio client generated from our .proto does one full job",
          .enabled(if: Peers.grpc.isRequired, Comment(rawValue: Peers.grpc.detail)))
    func pythonClient() async throws {
        try await withNode { node in
            let programID = try await grpcSubmitProgram(node.grpc, "mock-consumer")
            let job = SignedJob(nonce: 31, programID: programID, onchainInput: [UInt8](repeating: 0x11, count: 32))
            let out = try await Peers.runGRPCClient([
                "--target", "127.0.0.1:\(node.grpcPort)", "--elf", Repo.guestPath("mock-consumer").path,
                "--request", Hex.encode(job.requestBytes), "--signature", Hex.encode(job.signature),
                "--offchain-input", "", "--state", "",
            ])
            #expect(out.status == 0, "\(out.stderr)")
            let json = (try JSONSerialization.jsonObject(with: out.stdout)) as? [String: Any] ?? [:]
            let result = json["jobResult"] as? [String: Any] ?? json
            #expect(result["id"] as? String == Hex.encode(job.jobID, prefixed: false))
            let signed = try Hex.decode(result["resultWithMetadata"] as? String ?? "")
            let signature = try Hex.decode(result["zkvmOperatorSignature"] as? String ?? "")
            #expect(try Signature(bytes: signature).recoverPersonalMessageSigner(signed) == TestKeys.operatorKey.address)
        }
    }
}
