import Coprocessor
import CoprocessorGRPC
import CoprocessorHTTP
import Ethereum
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

/// The real node in-process: the service core with SQLite, workers and the engine, behind the real
/// gRPC server and HTTP gateway on loopback ports, driven by real clients.
@Suite("End to end")
struct EndToEndTests {
    /// A running node: core + both front ends.
    struct Running: Sendable {
        let grpcPort: Int
        let httpPort: Int
        let grpc: CoprocessorClient
    }

    func withNode<T: Sendable>(config: CoprocessorConfig = CoprocessorConfig(),
                               _ body: @escaping @Sendable (Running, TestNode) async throws -> T) async throws -> T {
        let node = try await TestNode(config: config)
        defer { node.stop(); node.removeFiles() }
        var logger = Logger(label: "e2e")
        logger.logLevel = .warning
        let frontEnd = GRPCFrontEnd(api: node.service, configuration: .init(host: "127.0.0.1", port: 0))
        let gateway = HTTPGateway(api: node.service, configuration: .init(host: "127.0.0.1", port: 0), logger: logger)
        let services = ServiceGroup(services: [gateway], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await frontEnd.serve() }
            group.addTask { try await services.run() }
            do {
                let grpcPort = try await frontEnd.boundPort, httpPort = try await gateway.boundPort
                let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: grpcPort),
                                                              transportSecurity: .plaintext)
                let result = try await withGRPCClient(transport: transport) { client in
                    try await body(Running(grpcPort: grpcPort, httpPort: httpPort, grpc: CoprocessorClient(wrapping: client)),
                                   node)
                }
                frontEnd.beginGracefulShutdown()
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
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

    func grpcSubmitProgram(_ client: CoprocessorClient, _ name: String) async throws -> [UInt8] {
        var request = CoprocessorNode_V1_SubmitProgramRequest()
        request.programElf = Data(try Repo.guest(name))
        request.vmType = .sp1
        return [UInt8](try await client.submitProgram(request).programID)
    }

    func grpcSubmitJob(_ client: CoprocessorClient, _ s: SignedJob) async throws -> [UInt8] {
        var request = CoprocessorNode_V1_SubmitJobRequest()
        request.request = Data(s.requestBytes)
        request.signature = Data(s.signature)
        request.offchainInput = Data(s.offchainInput)
        request.state = Data(s.state)
        return [UInt8](try await client.submitJob(request).jobID)
    }

    func grpcPoll(_ client: CoprocessorClient, _ id: [UInt8]) async throws -> CoprocessorNode_V1_JobResult {
        var request = CoprocessorNode_V1_GetResultRequest()
        request.jobID = Data(id)
        for _ in 0..<3000 {
            let result = try await client.getResult(request).jobResult
            if result.status.status != .pending { return result }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw StorageError("job still pending")
    }

    @Test("gRPC: mock-consumer, stateful and over-limit jobs")
    func grpcJobs() async throws {
        try await withNode { node, _ in
            let client = node.grpc
            let mock = try await grpcSubmitProgram(client, "mock-consumer")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x0123..")
            let job = SignedJob(nonce: 1, programID: mock, onchainInput: vector.stdin[0])
            let id = try await grpcSubmitJob(client, job)
            #expect(id == job.jobID)
            let done = try await grpcPoll(client, id)
            #expect(done.status.status == .done)
            #expect(!done.status.hasFailureReason)
            #expect([UInt8](done.id) == id)
            #expect(done.nonce == 1)
            #expect(done.maxCycles == job.request.maxCycles)
            #expect([UInt8](done.consumerAddress) == TestKeys.consumer.bytes)
            #expect([UInt8](done.programID) == mock)
            #expect([UInt8](done.onchainInput) == vector.stdin[0])
            #expect([UInt8](done.requestSignature) == job.signature)
            try checkDone(resultWithMetadata: [UInt8](done.resultWithMetadata),
                          operatorSignature: [UInt8](done.zkvmOperatorSignature), signed: job, output: vector.publicValues)

            let counter = try await grpcSubmitProgram(client, "stateful-counter")
            let sv = try Repo.guestVector(program: "stateful-counter", name: "wraps mod 2^64")
            let stateful = SignedJob(nonce: 2, programID: counter, onchainInput: sv.stdin[0], offchainInput: sv.stdin[1],
                                     state: sv.stdin[2])
            let statefulDone = try await grpcPoll(client, try await grpcSubmitJob(client, stateful))
            #expect(statefulDone.status.status == .done)
            try checkDone(resultWithMetadata: [UInt8](statefulDone.resultWithMetadata),
                          operatorSignature: [UInt8](statefulDone.zkvmOperatorSignature), signed: stateful,
                          output: sv.publicValues)

            let heavy = try await grpcSubmitProgram(client, "intensity-test")
            let over = SignedJob(nonce: 3, programID: heavy, onchainInput: [0x10, 0x27, 0, 0], maxCycles: 50_000)
            let failed = try await grpcPoll(client, try await grpcSubmitJob(client, over))
            #expect(failed.status.status == .failed)
            #expect(failed.status.failureReason.contains("cycle limit exceeded"), "\(failed.status.failureReason)")
            #expect(failed.resultWithMetadata.isEmpty)
        }
    }

    @Test("gRPC: intake rejections carry their status codes and store nothing")
    func grpcRejections() async throws {
        try await withNode { node, test in
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
            var risc0 = CoprocessorNode_V1_SubmitProgramRequest()
            risc0.programElf = Data(try Repo.guest("mock-consumer"))
            risc0.vmType = .risc0
            #expect(await code { _ = try await client.submitProgram(risc0) } == .invalidArgument)
            let ok = SignedJob(nonce: 7, programID: mock, onchainInput: input)
            _ = try await grpcSubmitJob(client, ok)
            #expect(await code { _ = try await grpcSubmitJob(client, ok) } == .alreadyExists)
            var shortID = CoprocessorNode_V1_GetResultRequest()
            shortID.jobID = Data([1, 2, 3])
            #expect(await code { _ = try await client.getResult(shortID) } == .invalidArgument)
            for s in [bad, unknown] {
                await #expect(throws: NodeError.self) { _ = try await test.service.getResult(jobID: s.jobID) }
            }
        }
    }

    // MARK: HTTP

    struct HTTP {
        let port: Int

        func post(_ method: String, _ body: [String: Any]) async throws -> (status: Int, json: [String: Any]) {
            try await GatewayClient.post(port: port, method, body)
        }

        func poll(_ id: String) async throws -> [String: Any] {
            for _ in 0..<3000 {
                let (status, json) = try await post("get_result", ["jobId": id])
                #expect(status == 200)
                let result = json["jobResult"] as? [String: Any] ?? [:]
                let state = (result["status"] as? [String: Any])?["status"] as? Int
                if state != JobStatusType.pending.rawValue { return result }
                try await Task.sleep(for: .milliseconds(5))
            }
            throw StorageError("job still pending")
        }
    }

    @Test("HTTP: a full job in JSON, and the rejections' HTTP statuses")
    func httpJobs() async throws {
        try await withNode { node, _ in
            let http = HTTP(port: node.httpPort)
            let elf = try Repo.guest("mock-consumer")
            let (status, program) = try await http.post("submit_program", ["program_elf": "0x" + Hex.encode(elf, prefixed: false), "vm_type": 1])
            #expect(status == 200)
            let programID = try Hex.decode(program["programId"] as? String ?? "")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            let job = SignedJob(nonce: 11, programID: programID, onchainInput: vector.stdin[0])
            let body: [String: Any] = ["request": Hex.encode(job.requestBytes), "signature": Hex.encode(job.signature),
                                       "offchainInput": "", "state": ""]
            let (submitted, reply) = try await http.post("submit_job", body)
            #expect(submitted == 200)
            #expect(reply["jobId"] as? String == Hex.encode(job.jobID, prefixed: false))
            let result = try await http.poll(Hex.encode(job.jobID, prefixed: false))
            #expect((result["status"] as? [String: Any])?["status"] as? Int == 2)
            #expect(result["nonce"] as? String == "11")
            #expect(result["failureReason"] == nil)
            try checkDone(resultWithMetadata: try Hex.decode(result["resultWithMetadata"] as? String ?? ""),
                          operatorSignature: try Hex.decode(result["zkvmOperatorSignature"] as? String ?? ""),
                          signed: job, output: vector.publicValues)

            #expect(try await http.post("submit_job", body).status == 409)
            #expect(try await http.post("get_result", ["jobId": "00"]).status == 400)
            #expect(try await http.post("get_result", ["jobId": String(repeating: "ab", count: 32)]).status == 404)
            let (risc0, error) = try await http.post("submit_program", ["programElf": Hex.encode(elf), "vmType": 0])
            #expect(risc0 == 400)
            #expect(error["code"] as? Int == 3)
            #expect((error["message"] as? String)?.contains("Sp1") == true)
            #expect(try await http.post("get_pending_jobs", ["consumerAddress": TestKeys.consumer.lowercaseHex]).json["pendingJobs"] as? [String] == [])
            #expect(try await http.post("contains_program", ["programId": Hex.encode(programID)]).json["contains"] as? Bool == true)
        }
    }

    // MARK: clients no one here wrote

    @Test("curl does one full job over HTTP")
    func curl() async throws {
        let curl = ["/usr/bin/curl", "/bin/curl"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(curl != nil, "curl is not installed")
        try await withNode { node, _ in
            let url = "http://127.0.0.1:\(node.httpPort)/v1/coprocessor_node/"
            func run(_ method: String, _ body: String) async throws -> [String: Any] {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString).json")
                try Data(body.utf8).write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                let out = try await Subprocess.run(curl!, ["-sS", "--fail-with-body", "-d", "@\(file.path)", url + method])
                #expect(out.status == 0, "\(out.stderr)")
                return (try JSONSerialization.jsonObject(with: out.stdout)) as? [String: Any] ?? [:]
            }
            let elf = Hex.encode(try Repo.guest("mock-consumer"), prefixed: false)
            let programID = try Hex.decode(try await run("submit_program", #"{"programElf": "\#(elf)", "vmType": 1}"#)["programId"] as? String ?? "")
            let job = SignedJob(nonce: 21, programID: programID, onchainInput: [UInt8](repeating: 0x45, count: 32))
            let submitted = try await run("submit_job", """
                {"request": "\(Hex.encode(job.requestBytes))", "signature": "\(Hex.encode(job.signature))"}
                """)
            let id = submitted["jobId"] as? String ?? ""
            #expect(id == Hex.encode(job.jobID, prefixed: false))
            var result: [String: Any] = [:]
            for _ in 0..<1000 {
                result = try await run("get_result", #"{"job_id": "0x\#(id)"}"#)["jobResult"] as? [String: Any] ?? [:]
                if (result["status"] as? [String: Any])?["status"] as? Int != 1 { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect((result["status"] as? [String: Any])?["status"] as? Int == 2)
            let signature = try Hex.decode(result["zkvmOperatorSignature"] as? String ?? "")
            let signed = try Hex.decode(result["resultWithMetadata"] as? String ?? "")
            #expect(try Signature(bytes: signature).recoverPersonalMessageSigner(signed) == TestKeys.operatorKey.address)
        }
    }

    @Test("a Python grpcio client generated from our .proto does one full job")
    func pythonClient() async throws {
        try #require(PythonGRPC.python != nil, "no Python with grpcio/grpcio-tools (make test installs them into .venv)")
        try await withNode { node, _ in
            let programID = try await grpcSubmitProgram(node.grpc, "mock-consumer")
            let job = SignedJob(nonce: 31, programID: programID, onchainInput: [UInt8](repeating: 0x11, count: 32))
            let elfPath = Repo.root.appendingPathComponent("guest-programs/bin/mock-consumer.elf").path
            let out = try await PythonGRPC.runClient([
                "--target", "127.0.0.1:\(node.grpcPort)", "--elf", elfPath,
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
