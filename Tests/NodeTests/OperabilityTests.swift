import CoprocessorWire
import Ethereum
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

/// What an operator sees of the node process: `--version`, `--help`, JSON log lines, the
/// Prometheus metrics and the ops/ dashboard built on them, and `make devnet`.
@Suite("Operating the node", .enabled(if: NodeProcess.binary != nil, "the coprocessor-node executable is not built"))
struct OperabilityTests {
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("node-ops-\(UUID().uuidString)").path
    }

    static func run(_ arguments: [String]) async throws -> Subprocess.Result {
        try await Subprocess.run(try NodeProcess.binary.orThrow("no coprocessor-node"), arguments)
    }

    /// Git's HEAD as the build info names it, or nil without git.
    static func gitHead() async throws -> String? {
        guard FileManager.default.fileExists(atPath: Repo.path(".git").path) else { return nil }
        let out = try await Subprocess.run("/usr/bin/env", ["git", "-C", Repo.root.path, "rev-parse", "--short=12", "HEAD"])
        return out.status == 0 ? String(decoding: out.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    @Test("--version: the version of ./VERSION, the git commit built and the build day")
    func version() async throws {
        let out = try await Self.run(["--version"])
        #expect(out.status == 0, "\(out.stderr)")
        let line = String(decoding: out.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let version = try String(contentsOf: Repo.path("VERSION"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let match = try #require(line.wholeMatch(of: /coprocessor-node (\S+) \(commit (\S+), built (\d{4}-\d{2}-\d{2})\)/), "\(line)")
        #expect(String(match.1) == version)
        if let head = try await Self.gitHead() {
            #expect(String(match.2) == head || String(match.2) == head + "-dirty", "\(line) vs HEAD \(head)")
        } else {
            #expect(String(match.2) == "unknown")
        }
    }

    @Test("scripts/build-info.sh in a git archive tarball takes the commit git filled in; without it, unknown",
          .enabled(if: FileManager.default.fileExists(atPath: Repo.path(".git").path), "not a git checkout"))
    func buildInfoFromTarball() async throws {
        let folder = URL(fileURLWithPath: Self.temporaryDirectory())
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tar = folder.appendingPathComponent("tree.tar").path
        let archive = try await Subprocess.run("/usr/bin/env", ["git", "-C", Repo.root.path, "archive", "-o", tar, "HEAD",
                                                                "VERSION", "scripts/build-info.sh", "scripts/build-info.commit"])
        #expect(archive.status == 0, "\(archive.stderr)")
        #expect(try await Subprocess.run("/usr/bin/env", ["tar", "-xf", tar, "-C", folder.path]).status == 0)
        let head = try await Subprocess.run("/usr/bin/env", ["git", "-C", Repo.root.path, "rev-parse", "HEAD"])
        let commit = String(decoding: head.stdout, as: UTF8.self).prefix(12)

        func generate() async throws -> String {
            let out = folder.appendingPathComponent("BuildInfo.swift")
            try? FileManager.default.removeItem(at: out)
            let run = try await Subprocess.run("/bin/sh", [folder.appendingPathComponent("scripts/build-info.sh").path, out.path])
            #expect(run.status == 0, "\(run.stderr)")
            return try String(contentsOf: out, encoding: .utf8)
        }
        #expect(try await generate().contains("static let commit = \"\(commit)\""))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("scripts/build-info.commit"))
        let fallback = try await generate()
        #expect(fallback.contains("static let commit = \"unknown\""), "\(fallback)")
        #expect(fallback.contains("static let version = \"\(try String(contentsOf: Repo.path("VERSION"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))\""))
    }

    @Test("--help at the top level lists the subcommands and the options of run, the default one")
    func topLevelHelp() async throws {
        for flag in ["--help", "-h", "help"] {
            let out = try await Self.run([flag])
            let text = String(decoding: out.stdout, as: UTF8.self)
            #expect(out.status == 0, "\(flag): \(out.stderr)")
            for expected in ["SUBCOMMANDS:", "run (default)", "make-job", "schema", "--grpc-address", "--metrics-address",
                             "--log-format", "--log-level", "--eth-rpc-url", "--version"] {
                #expect(text.contains(expected), "\(flag) lacks \(expected): \(text)")
            }
        }
    }

    @Test("--log-format json: every line is a JSON object with timestamp, level, label, message and metadata")
    func jsonLogs() async throws {
        let folder = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Logged as metadata: quotes, a backslash, a tab, a newline, a control character and
        // non-ASCII come back intact only if the line escapes them.
        let dbDir = folder + "/db \"quoted\" back\\slash\ttab\nnewline\u{1}bell ü"
        let node = try NodeProcess(dbDir: dbDir, arguments: ["--log-format", "json", "--log-level", "info"])
        try await node.waitUntilListening()
        let gateway = GatewayClient(port: node.httpPort)
        let programID = try Hex.decode(try await gateway.submitProgram("mock-consumer"))
        let id = try await gateway.submitJob(SignedJob(nonce: 1, programID: programID,
                                                       onchainInput: [UInt8](repeating: 0x45, count: 32)))
        #expect(try await gateway.poll(id).jobStatus == 2)
        #expect(try await node.stop() == 0)

        let lines = node.logText.split(separator: "\n")
        var entries: [[String: Any]] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let entry = try #require(object, "not a JSON object: \(line)")
            #expect(Set(entry.keys).isSuperset(of: ["timestamp", "level", "label", "message", "metadata"]), "\(line)")
            let timestamp = try #require(entry["timestamp"] as? String)
            #expect((try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(timestamp)) != nil, "\(timestamp)")
            #expect(["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(entry["level"] as? String ?? ""))
            #expect(entry["metadata"] is [String: Any], "\(line)")
            entries.append(entry)
        }
        func entry(_ message: String) -> [String: Any]? { entries.first { ($0["message"] as? String) == message } }
        let ready = try #require(entry("node ready"), "\(node.logText)")
        #expect(ready["label"] as? String == "coprocessor-node")
        #expect((ready["metadata"] as? [String: Any])?["workers"] as? String == "1")
        #expect((ready["metadata"] as? [String: Any])?["database"] as? String == "sqlite:\(dbDir)/coprocessor.sqlite")
        let started = try #require(entries.first { ($0["message"] as? String)?.hasPrefix("coprocessor-node ") == true })
        #expect(Set(((started["metadata"] as? [String: Any]) ?? [:]).keys) == ["version", "commit", "built"])
        let done = try #require(entry("job done"), "\(node.logText)")
        #expect((done["metadata"] as? [String: Any])?["job_id"] as? String == "0x" + id)
        #expect(entry("stopped") != nil)
    }

    /// GET /metrics, parsed.
    static func scrape(port: Int) async throws -> PrometheusText {
        let response = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            try await client.execute(TestClient.Request("/metrics", method: .get, authority: "127.0.0.1"))
        }
        #expect(response.head.status.code == 200)
        return PrometheusText(response.body.map { String(buffer: $0) } ?? "")
    }

    @Test("metrics: requests by transport, method and code, build info, workers, fine histogram buckets; every metric the Grafana dashboard queries is exported",
          .enabled(if: Peers.devChain.isRequired, Comment(rawValue: Peers.devChain.detail)))
    func metricsAndDashboard() async throws {
        try await DevChain.with { chain in
            let dbDir = Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dbDir) }
            let metricsPort = try freePort()
            let node = try NodeProcess(dbDir: dbDir, arguments: [
                "--metrics-address", "127.0.0.1:\(metricsPort)",
                "--eth-rpc-url", chain.rpcURL, "--job-manager-address", chain.jobManager.checksummed,
                "--start-block", "0", "--poll-interval-ms", "50",
            ], environment: ["RELAYER_PRIVATE_KEY": DevChain.relayerKeyHex])
            try await node.waitUntilListening()
            let gateway = GatewayClient(port: node.httpPort)
            let programID = try Hex.decode(try await gateway.submitProgram("mock-consumer"))
            var ids: [String] = []
            for nonce in UInt64(1)...2 {
                ids.append(try await gateway.submitJob(SignedJob(nonce: nonce, programID: programID,
                                                                 onchainInput: [UInt8](repeating: 0x45, count: 32))))
            }
            for id in ids { #expect(try await gateway.poll(id, while: [1, 2]).jobStatus == 4, "RELAYED") }
            let unknown = try await gateway.post("get_result", ["jobId": String(repeating: "00", count: 32)])
            #expect(unknown.status == 404)
            let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: node.grpcPort),
                                                          transportSecurity: .plaintext)
            try await withGRPCClient(transport: transport) { grpc in
                let answer = try await grpc.call(CoprocessorNodeService.containsProgram,
                                                 ContainsProgramRequest(programID: programID))
                #expect(answer.contains)
            }

            // Relaying settles its gauges within a second or so of the last relay.
            let metrics = try await eventually("the relay queue and listener gauges at 0", timeout: .seconds(30),
                                               interval: .milliseconds(200)) { state in
                let metrics = try await Self.scrape(port: metricsPort)
                let pending = metrics.value("coprocessor_relay_pending"), lag = metrics.value("coprocessor_listener_block_lag")
                state = "relay pending \(pending.map { "\($0)" } ?? "absent"), listener lag \(lag.map { "\($0)" } ?? "absent")"
                return pending == 0 && lag == 0 ? metrics : nil
            }

            // Values.
            let build = try #require(metrics.samples.first { $0.name == "coprocessor_build_info" })
            #expect(build.value == 1)
            #expect(build.labels["version"] == (try String(contentsOf: Repo.path("VERSION"), encoding: .utf8))
                .trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(build.labels["commit"]?.isEmpty == false)
            #expect(build.labels["built"]?.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil)
            #expect(metrics.value("coprocessor_requests_total", ["transport": "http", "method": "SubmitJob", "code": "OK"]) == 2)
            #expect(metrics.value("coprocessor_requests_total", ["transport": "http", "method": "SubmitProgram", "code": "OK"]) == 1)
            #expect(metrics.value("coprocessor_requests_total", ["transport": "http", "method": "GetResult", "code": "NOT_FOUND"]) == 1)
            #expect((metrics.value("coprocessor_requests_total", ["transport": "http", "method": "GetResult", "code": "OK"]) ?? 0) >= 2)
            #expect(metrics.value("coprocessor_requests_total", ["transport": "grpc", "method": "ContainsProgram", "code": "OK"]) == 1)
            #expect(metrics.value("coprocessor_request_seconds_count", ["transport": "grpc", "method": "ContainsProgram", "code": "OK"]) == 1)
            #expect(metrics.value("coprocessor_jobs_total", ["status": "done"]) == 2)
            #expect(metrics.value("coprocessor_relays_total", ["result": "relayed"]) == 2)
            #expect((metrics.value("coprocessor_relayer_nonce") ?? 0) >= 2, "the relayer's next nonce after two relays")
            #expect(metrics.value("coprocessor_relay_lag_seconds") == 0)
            #expect(metrics.value("coprocessor_workers") == 1)
            #expect(metrics.value("coprocessor_workers_busy") == 0)
            #expect(metrics.value("coprocessor_queue_depth") == 0)
            #expect(metrics.value("coprocessor_jobs_waiting_for_program") == 0)
            #expect((metrics.value("coprocessor_guest_cycles_total") ?? 0) > 0)
            #expect((metrics.value("coprocessor_db_commit_seconds_count") ?? 0) >= 4, "programs, jobs, outcomes, relays")
            // Buckets from tens of microseconds to minutes, on every latency histogram.
            for histogram in ["coprocessor_request_seconds", "coprocessor_job_execution_seconds", "coprocessor_db_commit_seconds",
                              "coprocessor_relay_seconds"] {
                let bounds = Set(metrics.samples.filter { $0.name == histogram + "_bucket" }.compactMap { $0.labels["le"] }
                    .compactMap(Double.init))
                #expect(bounds.contains(0.000025) && bounds.contains(600), "\(histogram): \(bounds.sorted())")
            }

            // Every metric the dashboard queries is exported (a histogram's by its _bucket, _sum
            // and _count series).
            let referenced = try Self.dashboardMetricNames()
            #expect(referenced.count >= 15, "\(referenced)")
            for name in referenced {
                #expect(metrics.exports(name), "the dashboard queries \(name), which /metrics does not export")
            }
            #expect(try await node.stop() == 0, "graceful exit; log: \(node.logText)")
        }
    }

    /// The metric names in the `expr` of every target of ops/grafana/coprocessor-node.json.
    static func dashboardMetricNames() throws -> Set<String> {
        let dashboard = try JSONSerialization.jsonObject(with: Data(contentsOf: Repo.path("ops/grafana/coprocessor-node.json")))
        var expressions: [String] = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                if let expr = object["expr"] as? String { expressions.append(expr) }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(dashboard)
        // Identifiers in PromQL that are not label names (inside {}), functions or keywords:
        // everything this node exports starts with coprocessor_.
        var names = Set<String>()
        for expr in expressions {
            let withoutSelectors = expr.replacing(/\{[^}]*\}/, with: "")
            for match in withoutSelectors.matches(of: /[a-zA-Z_:][a-zA-Z0-9_:]*/) where match.output.hasPrefix("coprocessor_") {
                names.insert(String(match.output))
            }
        }
        return names
    }

    @Test("make devnet (scripts/devnet.sh --smoke): chain, contract and a relaying node; the README's quick-start job reaches RELAYED",
          .enabled(if: Peers.devChain.isRequired, Comment(rawValue: Peers.devChain.detail)))
    func devnet() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["NODE_BIN"] = try NodeProcess.binary.orThrow("no coprocessor-node")
        environment["PYTHON"] = try Peers.devChain.require()
        environment["CHAIN_PORT"] = "0"
        environment["HTTP_ADDRESS"] = "127.0.0.1:\(try freePort())"
        environment["GRPC_ADDRESS"] = "127.0.0.1:\(try freePort())"
        environment["METRICS_ADDRESS"] = "127.0.0.1:\(try freePort())"
        let out = try await Subprocess.run("/bin/bash", [Repo.path("scripts/devnet.sh").path, "--smoke"],
                                           environment: environment, currentDirectory: Repo.root)
        let printed = String(decoding: out.stdout, as: UTF8.self)
        #expect(out.status == 0, "stdout: \(printed)\nstderr: \(out.stderr)")
        #expect(printed.contains("devnet ready: chain http://127.0.0.1:"), "\(printed)")
        // The quick start's program and job: the README's IDs.
        #expect(printed.contains("SubmitProgram: programId 17273b0e1ec74651d19c60d160169b105ebd1d4f69623f3d3a868cfadd1e836e"), "\(printed)")
        let result = try #require(printed.split(separator: "\n").first { $0.hasPrefix("GetResult: ") }, "\(printed)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.dropFirst("GetResult: ".count).utf8))
            as? [String: Any])
        let jobResult = try #require(json["jobResult"] as? [String: Any])
        #expect(jobResult.jobStatus == 4, "RELAYED: \(jobResult)")
        #expect((jobResult["relayTxHash"] as? String)?.count == 64)
        #expect(jobResult["consumerAddress"] as? String == "5fbdb2315678afecb367f032d93f642f64180aa3")
        #expect(printed.contains("RELAYED"))
    }

    @Test("bad --log-format and --log-level values are refused with the values allowed")
    func badLoggingOptions() async throws {
        for (option, value) in [("--log-format", "xml"), ("--log-level", "loud")] {
            let out = try await Self.run(["--dev", "--db-dir", Self.temporaryDirectory(), "--metrics-address", "off", option, value])
            #expect(out.status == 64, "\(out.stderr)")
            #expect(out.stderr.contains("'\(value)' is invalid for '\(option)"), "\(out.stderr)")
            let allowed = option == "--log-format" ? ["'text' and 'json'"]
                : ["trace", "debug", "info", "notice", "warning", "error", "critical"].map { "- \($0)\n" }
            for value in allowed { #expect(out.stderr.contains(value), "\(out.stderr)") }
        }
    }
}

/// The Prometheus text exposition format, as far as these tests read it.
struct PrometheusText {
    struct Sample {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    let samples: [Sample]
    /// `# TYPE` lines: metric name → counter, gauge, histogram, ...
    let types: [String: String]

    init(_ text: String) {
        var samples: [Sample] = [], types: [String: String] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            guard !line.hasPrefix("#"),
                  let match = line.wholeMatch(of: /([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/),
                  let value = Double(match.3) else { continue }
            var labels: [String: String] = [:]
            for pair in (match.2.map(String.init) ?? "").matches(of: /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/) {
                labels[String(pair.1)] = String(pair.2)
            }
            samples.append(Sample(name: String(match.1), labels: labels, value: value))
        }
        self.samples = samples
        self.types = types
    }

    /// The value of the one series of `name` whose labels include `labels` (nil: none, or several).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let found = samples.filter { sample in
            sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value }
        }
        return found.count == 1 ? found[0].value : nil
    }

    /// Whether `name` is exported: as a metric of its own, or as a histogram's (or summary's)
    /// `_bucket`, `_sum` or `_count` series.
    func exports(_ name: String) -> Bool {
        if types[name] != nil && samples.contains(where: { $0.name == name }) { return true }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if ["histogram", "summary"].contains(types[base]) && samples.contains(where: { $0.name == name }) { return true }
        }
        return false
    }
}
