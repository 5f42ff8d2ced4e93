import Coprocessor
import CoprocessorClient
import CoprocessorPostgres
import CoprocessorWire
import Ethereum
import EthereumRPC
import Foundation
import Logging
import PostgresNIO
import Synchronization
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Several node processes on one PostgreSQL database and one dev chain, killed and stalled while
/// they work: nothing acknowledged is lost, nothing is relayed twice.
@Suite("Cluster", .enabled(if: NodeProcess.binary != nil && TestDatabases.serverURL != nil,
                           "needs the coprocessor-node executable and ZKVM_TEST_DATABASE_URL (make test starts a server)"))
struct ClusterTests {
    /// Nodes by name; a killed node is replaced by a new process under the same name.
    final class Nodes: Sendable {
        let url: PostgresURL
        let chain: DevChain
        let running = Mutex<[String: NodeProcess]>([:])
        init(url: PostgresURL, chain: DevChain) {
            self.url = url
            self.chain = chain
        }

        @discardableResult
        func start(_ name: String) async throws -> NodeProcess {
            let node = try NodeProcess(dbDir: "/nonexistent-unused", arguments: [
                "--database-url", "\(url)", "--node-name", name, "--lease-seconds", "2", "--log-level", "info",
                "--eth-rpc-url", chain.rpcURL, "--job-manager-address", chain.jobManager.checksummed,
                "--start-block", "0", "--poll-interval-ms", "100",
            ], environment: ["RELAYER_PRIVATE_KEY": DevChain.relayerKeyHex])
            try await node.waitUntilListening()
            running.withLock { $0[name] = node }
            return node
        }

        func all() -> [(String, NodeProcess)] { running.withLock { $0.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } } }
        func node(_ i: Int) -> NodeProcess { let all = all(); return all[i % all.count].1 }
    }

    /// The chain leader's name and epoch, from the lease row.
    static func leader(_ url: PostgresURL) async throws -> (name: String, epoch: Int64)? {
        try await TestDatabases.withClient(url) { client in
            try await client.query("SELECT holder, epoch FROM leases WHERE name = 'chain' AND expires_at > now()")
                .decode((String, Int64).self).first { _ in true }
                .map { (String($0.0.split(separator: "/").first ?? ""), $0.1) }
        }
    }

    /// SubmitJob on node `i` (HTTP or gRPC), moving on to the next node when one does not answer
    /// (it was just killed); ALREADY_EXISTS after such a retry means the first call was stored.
    /// For a first submission: nil when stored. For a duplicate: `.alreadyExists` when refused,
    /// whether or not a retry was needed (a duplicate answered nil would have been stored twice).
    static func submit(_ job: SignedJob, from i: Int, nodes: Nodes, grpc: Bool, duplicate: Bool = false) async throws
        -> StatusCode?
    {
        var retried = false
        for attempt in 0..<20 {
            let node = nodes.node(i + attempt)
            do {
                if grpc {
                    _ = try await CoprocessorClient.withGRPC(host: "127.0.0.1", port: node.grpcPort) { client in
                        try await client.api.submitJob(job.submitRequest)
                    }
                } else {
                    _ = try await CoprocessorClient.http("http://127.0.0.1:\(node.httpPort)").api.submitJob(job.submitRequest)
                }
                return nil
            } catch let error as NodeError where error.code == .alreadyExists {
                return retried && !duplicate ? nil : .alreadyExists
            } catch let error as NodeError where !([StatusCode.unavailable, .internal] as [StatusCode]).contains(error.code) {
                return error.code
            } catch {
                retried = true
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw TestFailure("no node took job \(job.request.nonce)")
    }

    @Test("3 nodes on one PostgreSQL, jobs over HTTP and gRPC (a burst, then 10% duplicates) while leader and followers are killed, the leader stalled and every database connection cut: every job RELAYED once, results identical, one transaction each",
          .enabled(if: Peers.devChain.isRequired, Comment(rawValue: Peers.devChain.detail)))
    func killRounds() async throws {
        let url = try await TestDatabases.create()
        try await DevChain.with { chain in
            let nodes = Nodes(url: url, chain: chain)
            try await withCleanup {
                let eth = try EthereumClient(url: chain.rpcURL, logger: Logger(label: "test"))
                defer { Task { try? await eth.shutdown() } }
                let relayer = DevChain.relayerKey.address
                let firstNonce = try await eth.transactionCount(relayer, block: .latest)
                for name in ["node-a", "node-b", "node-c"] { try await nodes.start(name) }
                let programID = try await CoprocessorClient.http("http://127.0.0.1:\(nodes.node(0).httpPort)")
                    .submitProgram(elf: try Repo.guest("mock-consumer"), vm: .sp1)
                let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
                // 300 in `make test`; ZKVM_CLUSTER_JOBS=5000 for the issue's full size (minutes of relaying).
                let count = Int(ProcessInfo.processInfo.environment["ZKVM_CLUSTER_JOBS"] ?? "") ?? 300
                let jobs = (1...count).map { SignedJob(nonce: UInt64($0), programID: programID, onchainInput: vector.stdin[0]) }

                // Kill rounds every 3 s while the jobs go in (at least four): the leader; every
                // database connection cut and a follower; the leader stalled past its lease
                // (SIGSTOP, then SIGCONT); the leader again; and so on.
                let submitting = Mutex(true)
                let killer = Task { () throws -> (leaderRounds: Int, log: [String]) in
                    var log: [String] = []
                    var leaderRounds = 0
                    var round = 0
                    while round < 4 || submitting.withLock({ $0 }) {
                        defer { round += 1 }
                        try await Task.sleep(for: .seconds(3))
                        let kind = round % 4
                        if kind == 1 {
                            // The server ends every connection of the nodes, the LISTEN ones
                            // included: statements in flight fail (a SubmitJob whose insert
                            // committed answers an error, and its retry finds ALREADY_EXISTS),
                            // the pools reconnect, and polling picks jobs up until LISTEN is back.
                            let ended = try await TestDatabases.withClient(url) { client in
                                try await client.query("""
                                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                    WHERE datname = current_database() AND pid <> pg_backend_pid()
                                    """).collect().count
                            }
                            log.append("round \(round): ended all \(ended) connections of the nodes")
                        }
                        guard let leader = try await Self.leader(url) else { log.append("round \(round): no leader"); continue }
                        let victim = kind == 1 ? (nodes.all().map(\.0).first { $0 != leader.name } ?? leader.name) : leader.name
                        guard let process = nodes.running.withLock({ $0[victim] }) else { continue }
                        if kind == 2 {
                            let stepDowns = { process.logText.components(separatedBy: "stepped down as chain leader").count }
                            let before = stepDowns()
                            try await process.send(SIGSTOP)
                            // Not cancellable: a stopped node must always be continued.
                            try? await Task.sleep(for: .seconds(5))
                            try await process.send(SIGCONT)
                            // Its lease ran out while it was stopped: a new term (epoch) has begun,
                            // under which its writes are refused, whether another node took over or
                            // it took the lease back itself.
                            _ = try await eventually("a new term after the stalled leader's", timeout: .seconds(30),
                                                     interval: .milliseconds(100)) { state -> Bool? in
                                let now = try await Self.leader(url)
                                state = "lease \(now.map { "\($0.name) epoch \($0.epoch)" } ?? "free")"
                                return (now?.epoch ?? 0) > leader.epoch ? true : nil
                            }
                            // It steps down once it notices (its own renewal fails or finds another
                            // epoch); a node that had already stepped down (the lease row outlives a
                            // release that failed) has nothing to notice.
                            try? await Task.sleep(for: .seconds(3))
                            log.append("round \(round): stalled leader \(victim) (epoch \(leader.epoch)); a new term began"
                                + (stepDowns() > before ? ", it stepped down" : ""))
                        } else {
                            try await process.send(SIGKILL)
                            log.append("round \(round): killed \(victim)\(victim == leader.name ? " (leader, epoch \(leader.epoch))" : "")")
                            try await nodes.start(victim)
                        }
                        if victim == leader.name { leaderRounds += 1 }
                    }
                    return (leaderRounds, log)
                }
                // A failure below must not leave the rounds going.
                defer {
                    submitting.withLock { $0 = false }
                    killer.cancel()
                }

                // A burst to one node first: its workers fall behind, and it shares the overflow
                // with the others.
                let burst = count / 5
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (i, job) in jobs.prefix(burst).enumerated() {
                        group.addTask {
                            let answer = try await Self.submit(job, from: 0, nodes: nodes, grpc: i % 3 == 2)
                            #expect(answer == nil, "job \(job.request.nonce)")
                        }
                    }
                    try await group.waitForAll()
                }
                var duplicatesRefused = 0
                for (i, job) in jobs.enumerated() where i >= burst {
                    #expect(try await Self.submit(job, from: i, nodes: nodes, grpc: i % 3 == 2) == nil, "job \(job.request.nonce)")
                    if i % 10 == 9 {  // a duplicate, to another node
                        let answer = try await Self.submit(jobs[i - 4], from: i + 1, nodes: nodes, grpc: i % 20 == 9,
                                                           duplicate: true)
                        if answer == .alreadyExists { duplicatesRefused += 1 }
                    }
                    if i % 50 == 0 { try await Task.sleep(for: .milliseconds(200)) }  // spread over the kill rounds
                }
                submitting.withLock { $0 = false }
                #expect(duplicatesRefused == (count - burst) / 10)
                let rounds = try await killer.value
                print("cluster kill rounds: \(rounds.log)")

                // Every job RELAYED, with the reference executor's output, each by its own transaction.
                var hashes = Set<[UInt8]>()
                var signed: [[UInt8]] = []  // result + signature of each job, in order
                for (i, job) in jobs.enumerated() {
                    let result = try await eventually("job \(job.request.nonce) RELAYED", timeout: .seconds(240),
                                                      interval: .milliseconds(50)) { state -> JobResult? in
                        let node = nodes.node(i)
                        guard let result = try? await CoprocessorClient.http("http://127.0.0.1:\(node.httpPort)")
                            .result(jobID: job.jobID) else { return nil }
                        state = "status \(result.status?.status.rawValue ?? 0)"
                        return result.status?.status == .relayed ? result : nil
                    }
                    let decoded = try OffchainResultWithMetadata(abiEncoded: result.resultWithMetadata)
                    #expect(decoded.result == vector.publicValues)
                    #expect(try Secp256k1.recoverPersonalMessageSigner(message: result.resultWithMetadata, signature: result.zkvmOperatorSignature) == TestKeys.operatorKey.address)
                    hashes.insert(result.relayTxHash)
                    signed.append(result.resultWithMetadata + result.zkvmOperatorSignature)
                    if i % 25 == 0 {
                        let receipt = try await eth.transactionReceipt(try Bytes32(result.relayTxHash))
                        #expect(receipt?.status == 1)
                    }
                }
                #expect(hashes.count == count, "one relay transaction per job")
                // The same jobs on one node with SQLite (in-process): byte-identical results and signatures.
                let single = try await TestNode.run { node in
                    _ = try await node.submitProgram("mock-consumer")
                    var out: [[UInt8]] = []
                    for job in jobs {
                        let done = try await node.wait(for: try await node.submit(job), status: .done)
                        out.append(done.resultWithMetadata + done.operatorSignature)
                    }
                    return out
                }
                #expect(signed == single, "the cluster's results equal a single node's, byte for byte")
                let lastNonce = try await eth.transactionCount(relayer, block: .latest)
                #expect(lastNonce - firstNonce == UInt64(count), "no transaction beyond one per job (kill rounds: \(rounds.log))")
                let epoch = try #require(try await Self.leader(url)?.epoch)
                #expect(epoch >= Int64(1 + rounds.leaderRounds), "the epoch rose with every leader change: \(rounds.log)")
                for (name, node) in nodes.all() { #expect(try await node.stop() == 0, "\(name) exits cleanly") }
            } cleanup: {
                for (_, node) in nodes.all() { _ = try? await node.stop() }
            }
        }
        await TestDatabases.drop(url.database)
    }
}
