// node-load: drives the real coprocessor-node over gRPC and HTTP on loopback, for a fixed time and
// a bounded number of requests per phase, and measures the same client code against a ceiling
// server (trivial handlers, one process per transport). Writes one JSON document (see README.md).

import ArgumentParser
import AsyncHTTPClient
import BenchSupport
import CoprocessorGRPC
import CoprocessorWire
import Ethereum
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Histogram
import NIOCore

@main
struct NodeLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node-load",
        abstract: "Load test of coprocessor-node: SubmitJob, GetResult and end-to-end jobs over gRPC and HTTP.")

    @Option(help: "coprocessor-node executable to start (default: <repo>/.build-bench-root/release/coprocessor-node).")
    var nodeBinary: String?
    @Option(help: "Use a running node's gRPC address (host:port) instead of starting one (needs --http-target too).")
    var grpcTarget: String?
    @Option(help: "Use a running node's HTTP address (host:port) instead of starting one.")
    var httpTarget: String?
    @Option(help: "ceiling-server executable (default: next to this executable).") var ceilingBinary: String?
    @Flag(help: "Skip the ceiling measurements.") var noCeiling = false
    @Option(help: "Requests in flight (closed loop: each worker waits for its answer).") var concurrency = 64
    @Option(help: "Seconds per phase round (a round also ends at its request bound).") var duration = 5.0
    @Option(help: "Rounds per phase; node and ceiling rounds alternate. Summaries use the median round.") var rounds = 3
    // Below the node's default --exec-queue-bound (10,000): when intake outpaces the workers, a larger
    // round would measure RESOURCE_EXHAUSTED answers instead of intake.
    @Option(help: "Most SubmitJob / end-to-end jobs per round (each is signed before the round).") var maxJobs = 9_000
    @Option(help: "Most GetResult requests per round.") var maxReads = 100_000
    @Option(help: "HTTP/2 connections the gRPC client spreads its streams over.") var grpcConnections = 1
    @Option(help: "Milliseconds between GetResult polls of an end-to-end job.") var pollIntervalMs = 1.0
    @Option(help: "Transports to test, comma-separated.") var transports = "grpc,http"
    @Option(help: "Phases to run, comma-separated: submit_job, get_result, end_to_end (get_result alone reads the probe job).")
    var phases = "submit_job,get_result,end_to_end"
    @Option(help: "--log-level of the started node (info logs one line per job).") var nodeLogLevel = "warning"
    @Option(help: "--worker-count of the started node (default: the node's default, one per core).") var workerCount: Int?
    @Option(help: "Seconds to wait for accepted jobs to become DONE after a phase.") var drainTimeout = 180.0
    @Option(help: "Write the results here as JSON.") var output: String?
    @Option(help: "Also measure GetResult with h2load / wrk (C clients) when installed: yes or no.") var externalTools = "yes"
    @Option(help: "Started nodes keep their data in this PostgreSQL database (postgres://…) instead of SQLite in a temporary folder.")
    var databaseURL: String?
    @Option(help: "Node processes to start on --database-url; requests are spread over them by job ID.") var nodes = 1

    func run() async throws {
        let started = Date()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("node-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var report = Report(started: ISO8601DateFormatter().string(from: started), concurrency: concurrency,
                            durationSeconds: duration, rounds: rounds, maxJobs: maxJobs, maxReads: maxReads,
                            grpcConnections: grpcConnections, pollIntervalMs: pollIntervalMs,
                            cores: ProcessInfo.processInfo.activeProcessorCount)

        // MARK: The node
        var node: ChildProcess?
        var others: [ChildProcess] = []  // --nodes: the second node on
        let grpcAddress: (String, Int), httpAddress: (String, Int)
        let dbDir = work.appendingPathComponent("db")
        guard nodes == 1 || databaseURL != nil else { throw LoadError("--nodes needs --database-url") }
        if let g = grpcTarget, let h = httpTarget {
            grpcAddress = try parseAddress(g)
            httpAddress = try parseAddress(h)
            report.node = .init(started: false, arguments: [], logLevel: nil)
        } else {
            let binary = nodeBinary ?? Repo.root.appendingPathComponent(".build-bench-root/release/coprocessor-node").path
            guard FileManager.default.isExecutableFile(atPath: binary) else {
                throw LoadError("no coprocessor-node at \(binary); build it with `swift build -c release --scratch-path .build-bench-root --product coprocessor-node` from the repository root")
            }
            func arguments(grpcPort: Int, httpPort: Int) -> [String] {
                var args = ["--dev", "--grpc-address", "127.0.0.1:\(grpcPort)",
                            "--http-address", "127.0.0.1:\(httpPort)", "--metrics-address", "off", "--log-level", nodeLogLevel]
                args += databaseURL.map { ["--database-url", $0] } ?? ["--db-dir", dbDir.path]
                if let workerCount { args += ["--worker-count", "\(workerCount)"] }
                return args
            }
            grpcAddress = ("127.0.0.1", try freePort())
            httpAddress = ("127.0.0.1", try freePort())
            let args = arguments(grpcPort: grpcAddress.1, httpPort: httpAddress.1)
            node = try ChildProcess(name: "coprocessor-node", executable: binary, arguments: args, logDirectory: work)
            report.node = .init(started: true, arguments: args.map { $0 == dbDir.path ? "<tmp>/db" : $0 == databaseURL ? "<postgres>" : $0 },
                                logLevel: nodeLogLevel)
            report.node?.processes = nodes
            log("started coprocessor-node pid \(node!.pid): gRPC \(grpcAddress.1), HTTP \(httpAddress.1)")
            for i in 1..<max(1, nodes) {
                let g = try freePort(), h = try freePort()
                others.append(try ChildProcess(name: "coprocessor-node-\(i + 1)", executable: binary,
                                               arguments: arguments(grpcPort: g, httpPort: h), logDirectory: work))
                log("started coprocessor-node \(i + 1) pid \(others.last!.pid): gRPC \(g), HTTP \(h)")
            }
        }

        let otherPorts = others.map { process -> (Int, Int) in
            func port(_ option: String) -> Int {
                let value = process.arguments[(process.arguments.firstIndex(of: option) ?? 0) + 1]
                return Int(value.split(separator: ":").last ?? "") ?? 0
            }
            return (port("--grpc-address"), port("--http-address"))
        }
        do {
            try await withGRPCClients(host: grpcAddress.0, ports: [grpcAddress.1] + otherPorts.map(\.0),
                                      count: grpcConnections) { grpcNodes in
                let grpcNode = grpcNodes[0]
                let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration())
                let httpNode = HTTPDriver(client: http, base: "http://\(httpAddress.0):\(httpAddress.1)/v1/coprocessor_node/")
                let httpNodes = [httpNode] + otherPorts.map {
                    HTTPDriver(client: http, base: "http://127.0.0.1:\($0.1)/v1/coprocessor_node/")
                }
                let spread: (any Driver, any Driver)? = grpcNodes.count > 1
                    ? (SpreadDriver(drivers: grpcNodes), SpreadDriver(drivers: httpNodes)) : nil
                do {
                    try await runAll(report: &report, node: node, others: others, grpcNode: grpcNode, httpNode: httpNode,
                                     spread: spread, work: work)
                } catch {
                    try? await http.shutdown()
                    throw error
                }
                try? await http.shutdown()
            }
        } catch {
            if let node { log("node log tail:\n\(node.logTail())") }
            await node?.stop()
            for other in others { await other.stop() }
            throw error
        }

        // MARK: Stop the node; count job states in its database (independent of the API)
        if let node {
            let status = await node.stop(timeout: .seconds(60))
            for other in others { await other.stop(timeout: .seconds(60)) }
            report.node?.exitStatus = status
            do {
                if let databaseURL {
                    report.jobs.database = try countJobs(postgresURL: databaseURL, consumer: report.consumer ?? "")
                } else {
                    report.jobs.database = try countJobs(databasePath: dbDir.appendingPathComponent("coprocessor.sqlite").path)
                }
            } catch {
                log("could not count jobs in the database: \(error)")
            }
            if let db = report.jobs.database {
                report.jobs.lost = max(0, report.jobs.accepted - (db.done - report.jobs.probeJobs))
            }
        }
        report.finished = ISO8601DateFormatter().string(from: Date())

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = try encoder.encode(report)
        if let output { try json.write(to: URL(fileURLWithPath: output)) } else { print(String(decoding: json, as: UTF8.self)) }
        log("jobs accepted \(report.jobs.accepted), lost \(report.jobs.lost.map(String.init) ?? "?"), database \(report.jobs.database.map { "\($0)" } ?? "not read")")
    }

    // MARK: - Phases

    func runAll(report: inout Report, node: ChildProcess?, others: [ChildProcess], grpcNode: GRPCDriver, httpNode: HTTPDriver,
                spread: (any Driver, any Driver)?, work: URL) async throws {
        // Every started node's CPU time together.
        let nodeCPU: @Sendable () -> Double? = {
            guard let first = node?.cpuSeconds else { return nil }
            return others.reduce(first) { $0 + ($1.cpuSeconds ?? 0) }
        }

        // Wait until both front ends answer, then load the program and run one probe job.
        let elf = try Repo.guestELF("mock-consumer")
        var programID: [UInt8] = []
        let readyDeadline = ContinuousClock.now + .seconds(120)
        while true {
            do {
                programID = try await grpcNode.submitProgram(elf)
                break
            } catch {
                if ContinuousClock.now > readyDeadline || node?.isRunning == false {
                    throw LoadError("the node did not answer on gRPC: \(error)\n\(node?.logTail() ?? "")")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        // A fresh consumer per run: job ids never collide with an earlier run on a running node.
        var consumerBytes = [UInt8](repeating: 0, count: 20)
        for i in 0..<20 { consumerBytes[i] = UInt8.random(in: 0...255) }
        let consumer = try Address(bytes: consumerBytes)
        report.consumer = consumer.checksummed
        var nextNonce: UInt64 = 1

        let probe = JobFactory.make(nonce: nextNonce, consumer: consumer, programID: programID)
        nextNonce += 1
        if let e = await httpNode.submit(probe) { throw LoadError("probe job rejected: \(e)") }
        report.jobs.probeJobs = 1
        var probeState = JobState.pending
        for _ in 0..<3000 where probeState == .pending {
            probeState = (try? await grpcNode.getResult(probe).get()) ?? .pending
            if probeState == .pending { try await Task.sleep(for: .milliseconds(10)) }
        }
        guard probeState == .done else { throw LoadError("probe job did not complete: \(probeState)") }
        log("program \(Hex.encode(programID, prefixed: false)) loaded, probe job DONE")

        // MARK: The ceiling server, answering with the probe's real responses
        var ceiling: (ChildProcess, GRPCDriver?, HTTPDriver)?
        var ceilingProcesses: [ChildProcess] = []
        var ceilingHTTPClient: HTTPClient?
        var ceilingGRPCTask: Task<Void, any Error>?
        if !noCeiling {
            let protoFile = work.appendingPathComponent("get_result.binpb"), jsonFile = work.appendingPathComponent("get_result.json")
            try Data(try await grpcNode.rawGetResult(probe)).write(to: protoFile)
            let binary = ceilingBinary ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
                .deletingLastPathComponent().appendingPathComponent("ceiling-server").path
            let gPort = try freePort(), hPort = try freePort()
            let common = ["--get-result-proto", protoFile.path,
                          "--job-id", Hex.encode(probe.jobID, prefixed: false)]
            // One process per transport, as the node would be if it served only one.
            let grpcProcess = try ChildProcess(name: "ceiling-server-grpc", executable: binary,
                                               arguments: ["--grpc-port", "\(gPort)"] + common, logDirectory: work)
            let httpProcess = try ChildProcess(name: "ceiling-server-http", executable: binary,
                                               arguments: ["--http-port", "\(hPort)"] + common, logDirectory: work)
            ceilingProcesses = [grpcProcess, httpProcess]
            let deadline = ContinuousClock.now + .seconds(30)
            while !(portAcceptsConnections(gPort) && portAcceptsConnections(hPort)) {
                guard ContinuousClock.now < deadline, grpcProcess.isRunning, httpProcess.isRunning else {
                    for p in ceilingProcesses { await p.stop(timeout: .seconds(2)) }
                    throw LoadError("ceiling-server did not start:\n\(grpcProcess.logTail())\n\(httpProcess.logTail())")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration())
            ceilingHTTPClient = client
            // The ceiling's gRPC clients live in a task of their own, handed out through a stream.
            let (stream, continuation) = AsyncStream<GRPCDriver>.makeStream()
            let connections = grpcConnections
            ceilingGRPCTask = Task {
                try await withGRPCClients(host: "127.0.0.1", port: gPort, count: connections) { driver in
                    continuation.yield(driver)
                    continuation.finish()
                    try await Task.sleep(for: .seconds(86_400))
                }
            }
            var iterator = stream.makeAsyncIterator()
            ceiling = (grpcProcess, await iterator.next(), HTTPDriver(client: client, base: "http://127.0.0.1:\(hPort)/v1/coprocessor_node/"))
            log("ceiling-server pids \(grpcProcess.pid) (gRPC \(gPort)), \(httpProcess.pid) (HTTP \(hPort))")
        }
        let ceilingProcessList = ceilingProcesses
        let ceilingCPU: @Sendable (String) -> Double? = { transport in
            ceilingProcessList.first { $0.name.hasSuffix(transport) }?.cpuSeconds
        }
        do {
            try await runPhases(report: &report, node: node, grpcNode: grpcNode, httpNode: httpNode, spread: spread, work: work,
                                nodeCPU: nodeCPU, ceiling: ceiling, ceilingCPU: ceilingCPU, probe: probe,
                                consumer: consumer, programID: programID, nextNonce: nextNonce)
        } catch {
            ceilingGRPCTask?.cancel()
            try? await ceilingHTTPClient?.shutdown()
            for p in ceilingProcesses { await p.stop(timeout: .seconds(5)) }
            throw error
        }
        ceilingGRPCTask?.cancel()
        try? await ceilingHTTPClient?.shutdown()
        for p in ceilingProcesses { await p.stop(timeout: .seconds(5)) }
    }

    /// The measured phases (after the node and the ceiling are up).
    func runPhases(report: inout Report, node: ChildProcess?, grpcNode: GRPCDriver, httpNode: HTTPDriver,
                   spread: (any Driver, any Driver)?, work: URL,
                   nodeCPU: @escaping @Sendable () -> Double?, ceiling: (ChildProcess, GRPCDriver?, HTTPDriver)?,
                   ceilingCPU: @escaping @Sendable (String) -> Double?, probe: SignedJob, consumer: Address,
                   programID: [UInt8], nextNonce firstNonce: UInt64) async throws {
        var nextNonce = firstNonce
        var lastAccepted: SignedJob?

        let wanted = Set(transports.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        for transport in ["grpc", "http"] where wanted.contains(transport) {
            let driver: any Driver = transport == "grpc" ? (spread?.0 ?? grpcNode) : (spread?.1 ?? httpNode)
            let ceilingDriver: (any Driver)? = transport == "grpc" ? ceiling?.1 : ceiling?.2
            let ceilingCPUNow: @Sendable () -> Double? = { ceilingCPU(transport) }
            // Node and ceiling alternate round by round, so a burst of other work on this shared
            // machine hits both sides alike; the summaries give the median round.
            var submitNode: [Measured] = [], submitCeiling: [Measured] = []
            var readNode: [Measured] = [], readCeiling: [Measured] = []
            var e2eNode: [Measured] = []
            var readable: [SignedJob] = []

            let wantedPhases = Set(phases.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            for round in 1...rounds where wantedPhases.contains("submit_job") {
                // SubmitJob: signed before the window; unique nonces.
                let submitJobs = await signed(count: maxJobs, nonce: &nextNonce, consumer: consumer, programID: programID)
                var phase = await measure(name: "\(transport) submit_job", round: round, target: "node", transport: transport,
                                          operation: "submit_job", serverCPU: nodeCPU, maxCount: maxJobs) { i in
                    let e = await driver.submit(submitJobs[i])
                    return Outcome(error: e, accepted: e == nil)
                }
                let accepted = phase.acceptedIndices.map { submitJobs[$0] }
                if let last = accepted.last { lastAccepted = last }
                phase.summary.verification = await verify(accepted, driver: grpcNode, phaseSeconds: phase.summary.seconds)
                report.jobs.accepted += accepted.count
                report.jobs.notDoneAfterDrain += accepted.count - (phase.summary.verification?.done ?? 0)
                submitNode.append(phase)
                readable += accepted
                if let ceilingDriver {
                    submitCeiling.append(await measure(name: "\(transport) submit_job (ceiling)", round: round, target: "ceiling",
                                                       transport: transport, operation: "submit_job", serverCPU: ceilingCPUNow,
                                                       maxCount: maxJobs) { i in
                        Outcome(error: await ceilingDriver.submit(submitJobs[i]))
                    })
                }
            }

            // GetResult on existing (DONE) jobs.
            if readable.isEmpty { readable = [probe] }
            let reads = readable
            for round in 1...rounds where wantedPhases.contains("get_result") {
                readNode.append(await measure(name: "\(transport) get_result", round: round, target: "node", transport: transport,
                                              operation: "get_result", serverCPU: nodeCPU, maxCount: maxReads) { i in
                    switch await driver.getResult(reads[i % reads.count]) {
                    case .success(.done): return .ok
                    case .success(let s): return Outcome(error: "status \(s)")
                    case .failure(let e): return Outcome(error: e.label)
                    }
                })
                if let ceilingDriver {
                    readCeiling.append(await measure(name: "\(transport) get_result (ceiling)", round: round, target: "ceiling",
                                                     transport: transport, operation: "get_result", serverCPU: ceilingCPUNow,
                                                     maxCount: maxReads) { i in
                        switch await ceilingDriver.getResult(reads[i % reads.count]) {
                        case .success(.done): return .ok
                        case .success(let s): return Outcome(error: "status \(s)")
                        case .failure(let e): return Outcome(error: e.label)
                        }
                    })
                }
            }

            // End to end: submit, then poll GetResult until DONE.
            let interval = Duration.microseconds(Int64(pollIntervalMs * 1000))
            for round in 1...rounds where wantedPhases.contains("end_to_end") {
                let e2eJobs = await signed(count: maxJobs, nonce: &nextNonce, consumer: consumer, programID: programID)
                var e2e = await measure(name: "\(transport) end_to_end", round: round, target: "node", transport: transport,
                                        operation: "end_to_end", serverCPU: nodeCPU, maxCount: maxJobs) { i in
                    let job = e2eJobs[i]
                    let t0 = ContinuousClock.now
                    if let e = await driver.submit(job) { return Outcome(error: "submit: \(e)") }
                    let submitted = (ContinuousClock.now - t0).components
                    let submitMicros = UInt64(submitted.seconds) * 1_000_000 + UInt64(submitted.attoseconds / 1_000_000_000_000)
                    var polls = 0
                    let deadline = ContinuousClock.now + .seconds(60)
                    while true {
                        try? await Task.sleep(for: interval)
                        polls += 1
                        switch await driver.getResult(job) {
                        case .success(.done): return Outcome(error: nil, polls: polls, accepted: true, submitMicros: submitMicros)
                        case .success(.pending):
                            if ContinuousClock.now > deadline {
                                return Outcome(error: "poll timeout", polls: polls, accepted: true, submitMicros: submitMicros)
                            }
                        case .success(let s):
                            return Outcome(error: "status \(s)", polls: polls, accepted: true, submitMicros: submitMicros)
                        case .failure(let e):
                            return Outcome(error: "poll: \(e.label)", polls: polls, accepted: true, submitMicros: submitMicros)
                        }
                    }
                }
                let e2eAccepted = e2e.acceptedIndices.map { e2eJobs[$0] }
                if let last = e2eAccepted.last { lastAccepted = last }
                e2e.summary.verification = await verify(e2eAccepted, driver: grpcNode, phaseSeconds: e2e.summary.seconds)
                report.jobs.accepted += e2eAccepted.count
                report.jobs.notDoneAfterDrain += e2eAccepted.count - (e2e.summary.verification?.done ?? 0)
                e2eNode.append(e2e)
            }

            for group in [submitNode, submitCeiling, readNode, readCeiling, e2eNode] where !group.isEmpty {
                report.roundResults += group.map(\.summary)
                report.phases.append(aggregate(group))
            }
        }

        // MARK: The same GetResult load from C clients (h2load for gRPC, wrk for HTTP), if installed
        // Two jobs for the node: the most recently written one (what a client polling its fresh job
        // reads) and the run's first job, written before every other (a read of an old job).
        if externalTools == "yes" {
            typealias CPU = @Sendable () -> Double?
            var targets: [(String, SignedJob, Int, Int, CPU, CPU)] = []  // name, job, ports, gRPC / HTTP server CPU
            if let recent = lastAccepted {
                targets.append(("node", recent, grpcPortOf(grpcNode), httpPortOf(httpNode), nodeCPU, nodeCPU))
            }
            targets.append(("node, oldest job", probe, grpcPortOf(grpcNode), httpPortOf(httpNode), nodeCPU, nodeCPU))
            if let ceiling {
                targets.append(("ceiling", probe, grpcPortOf(ceiling.1!), httpPortOf(ceiling.2),
                                { ceilingCPU("grpc") }, { ceilingCPU("http") }))
            }
            // SubmitJob replayed by wrk: distinct pre-signed jobs, one per request; every accepted one
            // must then run to DONE (end-to-end through a client that is not ours).
            let replay = await signed(count: Int(duration * 15_000), nonce: &nextNonce, consumer: consumer,
                                      programID: programID)
            if let r = await runWrkSubmit(port: httpPortOf(httpNode), jobs: replay, work: work, serverCPU: nodeCPU,
                                          verify: { accepted, seconds in
                                              await verify(accepted, driver: grpcNode, phaseSeconds: seconds) }) {
                // wrk does not say which requests it answered: a job wrk prepared but never sent (a
                // socket error at the end of the run) is not found, and was never accepted.
                let accepted = (r.verification?.accepted ?? 0) - (r.verification?.notFound ?? 0)
                report.jobs.accepted += accepted
                report.jobs.notDoneAfterDrain += accepted - (r.verification?.done ?? 0)
                report.external.append(r)
            }
            for (target, job, gPort, hPort, grpcCPU, httpCPU) in targets {
                let frame = grpcFrame(ProtobufWriter.encode(job.grpcGetResult))
                let body = Array(job.httpGetResultBody.readableBytesView)
                if let r = await runH2load(port: gPort, frame: frame, work: work, target: target, serverCPU: grpcCPU) {
                    report.external.append(r)
                }
                if let r = await runWrk(port: hPort, body: body, work: work, target: target, serverCPU: httpCPU) {
                    report.external.append(r)
                }
            }
        }
    }

    /// Pre-signs the next `count` jobs (outside the measured window), logging how long it took.
    func signed(count: Int, nonce: inout UInt64, consumer: Address, programID: [UInt8]) async -> [SignedJob] {
        let t0 = ContinuousClock.now
        let jobs = await JobFactory.makeMany(count: count, firstNonce: nonce, consumer: consumer, programID: programID)
        nonce += UInt64(count)
        log("signed \(count) requests in \(ContinuousClock.now - t0)")
        return jobs
    }

    struct Measured {
        var summary: PhaseSummary
        var acceptedIndices: [Int]
        var stats: PhaseStats
    }

    /// Rounds of one phase as one summary: the median round's throughput (and CPU), latency
    /// percentiles of all rounds' requests together, errors and verification summed.
    func aggregate(_ rounds: [Measured]) -> PhaseSummary {
        // The median round by throughput (the upper one of two).
        var s = rounds.sorted { $0.summary.throughput < $1.summary.throughput }[rounds.count / 2].summary
        s.round = nil
        s.roundThroughputs = rounds.map { ($0.summary.throughput * 10).rounded() / 10 }
        var all = rounds[0].stats.histogram, submits = rounds[0].stats.submitHistogram
        for r in rounds.dropFirst() {
            all.add(r.stats.histogram)
            submits.add(r.stats.submitHistogram)
        }
        s.latencyMicros = Latency(all)
        if s.operation == "end_to_end" { s.submitLatencyMicros = Latency(submits) }
        s.requests = rounds.reduce(0) { $0 + $1.summary.requests }
        s.ok = rounds.reduce(0) { $0 + $1.summary.ok }
        s.seconds = rounds.reduce(0) { $0 + $1.summary.seconds }
        s.errors = rounds.reduce(into: [:]) { acc, r in for (k, v) in r.summary.errors { acc[k, default: 0] += v } }
        let polls = rounds.reduce(0) { $0 + $1.stats.polls }
        if s.operation == "end_to_end", s.ok > 0 { s.pollsPerJob = (Double(polls) / Double(s.ok) * 100).rounded() / 100 }
        let verifications = rounds.compactMap(\.summary.verification)
        if !verifications.isEmpty {
            var v = Verification(accepted: 0)
            for x in verifications {
                v.accepted += x.accepted; v.done += x.done; v.failed += x.failed; v.notFound += x.notFound
                v.other += x.other; v.stillPending += x.stillPending; v.drainSeconds += x.drainSeconds
            }
            let completed = verifications.map(\.completedPerSecond).sorted()
            v.completedPerSecond = completed[completed.count / 2]
            s.verification = v
        }
        return s
    }

    func measure(name: String, round: Int, target: String, transport: String, operation: String,
                 serverCPU: @Sendable () -> Double?, maxCount: Int,
                 _ op: @escaping @Sendable (Int) async -> Outcome) async -> Measured {
        let cpu0 = serverCPU(), self0 = selfCPUSeconds()
        let stats = await runClosedLoop(concurrency: concurrency, duration: .milliseconds(Int64(duration * 1000)),
                                        maxCount: maxCount, op)
        let cpu1 = serverCPU(), self1 = selfCPUSeconds()
        var s = PhaseSummary(name: name, round: round, target: target, transport: transport, operation: operation,
                             concurrency: concurrency, requests: stats.ok + stats.errors.values.reduce(0, +),
                             ok: stats.ok, errors: stats.errors, seconds: stats.seconds,
                             throughput: Double(stats.ok) / max(stats.seconds, 1e-9), latencyMicros: Latency(stats.histogram))
        if let cpu0, let cpu1 { s.serverCPUPercent = ((cpu1 - cpu0) / stats.seconds * 1000).rounded() / 10 }
        s.clientCPUPercent = ((self1 - self0) / stats.seconds * 1000).rounded() / 10
        if operation == "end_to_end", stats.ok > 0 {
            s.pollsPerJob = (Double(stats.polls) / Double(stats.ok) * 100).rounded() / 100
            s.submitLatencyMicros = Latency(stats.submitHistogram)
        }
        log(String(format: "%@ #\(round): %d ok in %.2f s = %.0f/s, p50 %d µs, p99 %d µs, errors %@, server CPU %@%%, client CPU %.0f%%",
                   name, stats.ok, stats.seconds, s.throughput, s.latencyMicros.p50, s.latencyMicros.p99,
                   "\(stats.errors)", s.serverCPUPercent.map { String(format: "%.0f", $0) } ?? "?", s.clientCPUPercent ?? 0))
        return Measured(summary: s, acceptedIndices: stats.acceptedIndices, stats: stats)
    }

    /// Polls every accepted job until none is PENDING (or the drain timeout): all must be DONE.
    func verify(_ jobs: [SignedJob], driver: GRPCDriver, phaseSeconds: Double) async -> Verification {
        var v = Verification(accepted: jobs.count)
        // Drain: the queue is FIFO, so once the last accepted job is DONE the workers have caught
        // up with intake. Only that job is polled, so the timing does not include the check below.
        let t0 = ContinuousClock.now
        let deadline = t0 + .milliseconds(Int64(drainTimeout * 1000))
        if let last = jobs.last {
            while ContinuousClock.now < deadline {
                if case .success(let state) = await driver.getResult(last), state != .pending { break }
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        let drained = (ContinuousClock.now - t0).components
        v.drainSeconds = ((Double(drained.seconds) + Double(drained.attoseconds) * 1e-18) * 1000).rounded() / 1000
        // Jobs the node finished per second from the phase start to the last DONE (queue included).
        v.completedPerSecond = (Double(jobs.count) / (phaseSeconds + v.drainSeconds)).rounded()

        // Then every accepted job, until none is PENDING: all must be DONE.
        var remaining = jobs
        while !remaining.isEmpty {
            let states = await mapConcurrently(count: remaining.count, concurrency: concurrency) { [remaining] i in
                await driver.getResult(remaining[i])
            }
            var next: [SignedJob] = []
            for (job, state) in zip(remaining, states) {
                switch state {
                case .success(.done): v.done += 1
                case .success(.failed): v.failed += 1
                case .success(.pending): next.append(job)
                case .success(.other): v.other += 1
                case .failure(let e) where e.label.contains("notFound"): v.notFound += 1
                case .failure: next.append(job)  // transient: ask again
                }
            }
            remaining = next
            if remaining.isEmpty || ContinuousClock.now > deadline { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
        v.stillPending = remaining.count
        log("verified \(jobs.count) accepted jobs: \(v.done) DONE, \(v.failed) FAILED, \(v.notFound) not found, \(v.stillPending) pending; last one DONE \(v.drainSeconds) s after the phase")
        return v
    }

    func httpConfiguration() -> HTTPClient.Configuration {
        var c = HTTPClient.Configuration()
        c.connectionPool = .init(idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
        return c
    }
}

// MARK: - Helpers

func log(_ s: String) {
    FileHandle.standardError.write(Data("[node-load] \(s)\n".utf8))
}

func parseAddress(_ s: String) throws -> (String, Int) {
    guard let colon = s.lastIndex(of: ":"), let port = Int(s[s.index(after: colon)...]) else {
        throw LoadError("expected host:port, got \(s)")
    }
    return (String(s[..<colon]), port)
}

/// Runs `body` with `count` gRPC clients (one HTTP/2 connection each) to host:port.
/// `withGRPCClients` for several nodes: one driver per port.
func withGRPCClients(host: String, ports: [Int], count: Int, _ body: ([GRPCDriver]) async throws -> Void) async throws {
    guard let first = ports.first else { return try await body([]) }
    try await withGRPCClients(host: host, port: first, count: count) { driver in
        try await withGRPCClients(host: host, ports: Array(ports.dropFirst()), count: count) { rest in
            try await body([driver] + rest)
        }
    }
}

func withGRPCClients(host: String, port: Int, count: Int,
                     _ body: (GRPCDriver) async throws -> Void) async throws {
    var clients: [GRPCClient<HTTP2ClientTransport.Posix>] = []
    for _ in 0..<max(1, count) {
        let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: host, port: port), transportSecurity: .plaintext,
                                                       config: .defaults { $0.http2.maxFrameSize = 1 << 20 })
        clients.append(GRPCClient(transport: transport))
    }
    try await withThrowingDiscardingTaskGroup { group in
        for c in clients { group.addTask { try await c.runConnections() } }
        defer { for c in clients { c.beginGracefulShutdown() } }
        var driver = GRPCDriver(clients: clients)
        driver.port = port
        try await body(driver)
    }
}

func grpcPortOf(_ d: GRPCDriver) -> Int { d.port }
func httpPortOf(_ d: HTTPDriver) -> Int {
    Int(d.base.split(separator: ":").last?.split(separator: "/").first ?? "") ?? 0
}

/// A gRPC length-prefixed message: flag 0, u32 big-endian length, bytes.
func grpcFrame(_ message: [UInt8]) -> [UInt8] {
    let n = UInt32(message.count)
    return [0, UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + message
}

// MARK: - Report types (the JSON document)

struct Report: Codable {
    var started: String
    var finished: String?
    var concurrency: Int
    var durationSeconds: Double
    var rounds: Int
    var maxJobs: Int
    var maxReads: Int
    var grpcConnections: Int
    var pollIntervalMs: Double
    var cores: Int
    var node: NodeInfo?
    /// The run's consumer address (its jobs' key in a shared database).
    var consumer: String?
    /// One summary per phase over its rounds (median round), then every round on its own.
    var phases: [PhaseSummary] = []
    var roundResults: [PhaseSummary] = []
    var external: [PhaseSummary] = []
    var jobs = Jobs()

    struct NodeInfo: Codable {
        var started: Bool
        var arguments: [String]
        var logLevel: String?
        var exitStatus: Int32?
        /// Node processes sharing one PostgreSQL database (--nodes).
        var processes: Int?
    }

    struct Jobs: Codable {
        /// Jobs SubmitJob accepted during the phases (the probe job not included).
        var accepted = 0
        var probeJobs = 0
        /// Accepted jobs that GetResult did not report DONE after each phase's drain.
        var notDoneAfterDrain = 0
        /// Accepted jobs not DONE in the database after the node stopped (must be 0).
        var lost: Int?
        var database: JobCounts?
    }
}

struct PhaseSummary: Codable {
    var name: String
    /// 1, 2, … for one round; nil for the summary of all rounds.
    var round: Int?
    /// Summaries: each round's throughput, in order.
    var roundThroughputs: [Double]?
    var target: String
    var transport: String
    var operation: String
    var concurrency: Int
    var requests: Int
    var ok: Int
    var errors: [String: Int]
    var seconds: Double
    var throughput: Double
    var latencyMicros: Latency
    var serverCPUPercent: Double?
    var clientCPUPercent: Double?
    var pollsPerJob: Double?
    /// End-to-end phases: the SubmitJob part of each job's latency.
    var submitLatencyMicros: Latency?
    var verification: Verification?
    var tool: String?
}

struct Verification: Codable {
    var accepted: Int
    var done = 0
    var failed = 0
    var notFound = 0
    var other = 0
    var stillPending = 0
    var drainSeconds = 0.0
    var completedPerSecond = 0.0

    init(accepted: Int) { self.accepted = accepted }
}
