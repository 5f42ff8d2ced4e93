import Foundation

// GetResult driven by C load generators (h2load for gRPC over HTTP/2, wrk for HTTP/1.1), which
// use far less CPU per request than a Swift client: on a 2-core machine shared by client and
// server this shows how much of the Swift client's figure is the client's own cost.

func which(_ tool: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(tool)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

func runTool(_ path: String, _ args: [String]) async -> String? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    do { try p.run() } catch { return nil }
    // Read while it runs so a full pipe cannot block it.
    let data = await Task.detached { pipe.fileHandleForReading.readDataToEndOfFile() }.value
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

extension NodeLoad {
    /// h2load: `concurrency` streams on one connection (as the Swift client uses), bounded by time
    /// and request count. It counts HTTP 200s; grpc-status is in the trailers, so success was
    /// already established by the Swift client on the same request.
    func runH2load(port: Int, frame: [UInt8], work: URL, target: String, serverCPU: @Sendable () -> Double?) async -> PhaseSummary? {
        guard let h2load = which("h2load") else { return nil }
        let dataFile = work.appendingPathComponent("get_result.grpc")
        try? Data(frame).write(to: dataFile)
        let cpu0 = serverCPU()
        let seconds = max(1, Int(duration.rounded()))
        let t0 = ContinuousClock.now
        guard let out = await runTool(h2load, [
            "-c", "1", "-m", "\(concurrency)", "-t", "1", "-D", "\(seconds)",
            "-d", dataFile.path, "-H", "content-type: application/grpc", "-H", "te: trailers",
            "http://127.0.0.1:\(port)/coprocessor_node.v1.CoprocessorNode/GetResult",
        ]) else { return nil }
        let elapsed = (ContinuousClock.now - t0).components
        let wall = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        let cpu1 = serverCPU()
        // "finished in 10.00s, 8123.40 req/s, ..." and "requests: N total, N started, N done, N succeeded, N failed, ..."
        guard let rps = firstNumber(after: "s, ", in: out, line: "finished in"),
              let succeeded = firstNumber(after: "done, ", in: out, line: "requests:") else {
            log("h2load output not understood:\n\(out)")
            return nil
        }
        let failed = firstNumber(after: "succeeded, ", in: out, line: "requests:") ?? 0
        var s = PhaseSummary(name: "grpc get_result h2load\(target == "node" ? "" : " (\(target))")", target: target.hasPrefix("node") ? "node" : target,
                             transport: "grpc", operation: "get_result", concurrency: concurrency,
                             requests: Int(succeeded + failed), ok: Int(succeeded), errors: failed > 0 ? ["h2load failed": Int(failed)] : [:],
                             seconds: Double(seconds), throughput: rps, latencyMicros: parseH2loadLatency(out))
        if let cpu0, let cpu1 { s.serverCPUPercent = ((cpu1 - cpu0) / wall * 1000).rounded() / 10 }
        s.tool = "h2load -c 1 -m \(concurrency) -D \(seconds)"
        log(String(format: "%@: %.0f/s", s.name, rps))
        return s
    }

    /// wrk: `concurrency` HTTP/1.1 keep-alive connections on one thread, a Lua script for the POST body.
    func runWrk(port: Int, body: [UInt8], work: URL, target: String, serverCPU: @Sendable () -> Double?) async -> PhaseSummary? {
        guard let wrk = which("wrk") else { return nil }
        let script = work.appendingPathComponent("get_result.lua")
        let lua = """
            wrk.method = "POST"
            wrk.body = '\(String(decoding: body, as: UTF8.self))'
            wrk.headers["Content-Type"] = "application/json"
            """
        try? lua.write(to: script, atomically: true, encoding: .utf8)
        let seconds = max(1, Int(duration.rounded()))
        let cpu0 = serverCPU()
        let t0 = ContinuousClock.now
        guard let out = await runTool(wrk, ["-t", "1", "-c", "\(concurrency)", "-d", "\(seconds)s", "--latency", "-s", script.path,
                                            "http://127.0.0.1:\(port)/v1/coprocessor_node/get_result"]) else { return nil }
        let elapsed = (ContinuousClock.now - t0).components
        let wall = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        let cpu1 = serverCPU()
        guard let rps = firstNumber(after: "Requests/sec:", in: out, line: "Requests/sec:"),
              let total = firstNumber(after: "", in: out, line: "requests in") else {
            log("wrk output not understood:\n\(out)")
            return nil
        }
        let non2xx = firstNumber(after: "Non-2xx or 3xx responses:", in: out, line: "Non-2xx") ?? 0
        let latency = wrkLatency(out, count: UInt64(total))
        var s = PhaseSummary(name: "http get_result wrk\(target == "node" ? "" : " (\(target))")", target: target.hasPrefix("node") ? "node" : target,
                             transport: "http", operation: "get_result", concurrency: concurrency,
                             requests: Int(total), ok: Int(total - non2xx), errors: non2xx > 0 ? ["http non-2xx": Int(non2xx)] : [:],
                             seconds: Double(seconds), throughput: rps, latencyMicros: latency)
        if let cpu0, let cpu1 { s.serverCPUPercent = ((cpu1 - cpu0) / wall * 1000).rounded() / 10 }
        s.tool = "wrk -t 1 -c \(concurrency) -d \(seconds)s"
        log(String(format: "%@: %.0f/s", s.name, rps))
        return s
    }
}

extension NodeLoad {
    /// wrk replaying pre-signed SubmitJob bodies (one distinct job per request, in order), then the
    /// accepted jobs checked until each is DONE: the end-to-end rate with a C client.
    func runWrkSubmit(port: Int, jobs: [SignedJob], work: URL, serverCPU: @Sendable () -> Double?,
                      verify: (_ accepted: [SignedJob], _ seconds: Double) async -> Verification) async -> PhaseSummary? {
        guard let wrk = which("wrk"), !jobs.isEmpty else { return nil }
        let bodies = work.appendingPathComponent("submit_job.bodies")
        let script = work.appendingPathComponent("submit_job.lua")
        let text = jobs.map { String(decoding: $0.httpBody.readableBytesView, as: UTF8.self) }.joined(separator: "\n")
        try? text.write(to: bodies, atomically: true, encoding: .utf8)
        let lua = """
            local bodies, n = {}, 0
            function init(args)
              for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
            end
            function request()
              n = n + 1
              return wrk.format("POST", "/v1/coprocessor_node/submit_job", {["Content-Type"] = "application/json"},
                                bodies[math.min(n, #bodies)])
            end
            """
        try? lua.write(to: script, atomically: true, encoding: .utf8)
        let seconds = max(1, Int(duration.rounded()))
        let cpu0 = serverCPU()
        let t0 = ContinuousClock.now
        guard let out = await runTool(wrk, ["-t", "1", "-c", "\(concurrency)", "-d", "\(seconds)s", "--latency", "-s", script.path,
                                            "http://127.0.0.1:\(port)/v1/coprocessor_node/submit_job", "--", bodies.path]) else { return nil }
        let elapsed = (ContinuousClock.now - t0).components
        let wall = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        let cpu1 = serverCPU()
        guard let rps = firstNumber(after: "Requests/sec:", in: out, line: "Requests/sec:"),
              let total = firstNumber(after: "", in: out, line: "requests in") else {
            log("wrk output not understood:\n\(out)")
            return nil
        }
        let non2xx = Int(firstNumber(after: "Non-2xx or 3xx responses:", in: out, line: "Non-2xx") ?? 0)
        // Requests go out in body order; past the prepared bodies the last one repeats (409s).
        let sent = min(Int(total), jobs.count)
        var s = PhaseSummary(name: "http submit_job wrk replay", target: "node", transport: "http", operation: "submit_job",
                             concurrency: concurrency, requests: Int(total), ok: Int(total) - non2xx,
                             errors: non2xx > 0 ? ["http non-2xx": non2xx] : [:], seconds: Double(seconds), throughput: rps,
                             latencyMicros: wrkLatency(out, count: UInt64(total)))
        if let cpu0, let cpu1 { s.serverCPUPercent = ((cpu1 - cpu0) / wall * 1000).rounded() / 10 }
        s.tool = "wrk -t 1 -c \(concurrency) -d \(seconds)s, a distinct pre-signed job per request"
        s.verification = await verify(Array(jobs.prefix(sent)), wall)
        log(String(format: "%@: %.0f/s, completed %.0f jobs/s", s.name, rps, s.verification?.completedPerSecond ?? 0))
        return s
    }
}

extension Latency {
    init(p50: UInt64, p90: UInt64, p99: UInt64, max: UInt64, mean: Double, count: UInt64) {
        self.p50 = p50; self.p90 = p90; self.p99 = p99; self.max = max; self.mean = mean; self.count = count
    }
}

/// The first number after `marker` on the first line containing `line`.
func firstNumber(after marker: String, in text: String, line: String) -> Double? {
    guard let l = text.split(separator: "\n").first(where: { $0.contains(line) }) else { return nil }
    var rest = Substring(l)
    if !marker.isEmpty {
        guard let r = l.range(of: marker) else { return nil }
        rest = l[r.upperBound...]
    }
    let digits = rest.drop { !"0123456789.".contains($0) }.prefix { "0123456789.".contains($0) }
    return Double(digits)
}

/// h2load's "time for request:  min  max  mean  sd  +/- sd" line (units us/ms/s).
func parseH2loadLatency(_ out: String) -> Latency {
    guard let l = out.split(separator: "\n").first(where: { $0.hasPrefix("time for request:") }) else {
        return Latency(p50: 0, p90: 0, p99: 0, max: 0, mean: 0, count: 0)
    }
    let values = l.dropFirst("time for request:".count).split(separator: " ").prefix(3).map { micros(String($0)) }
    return Latency(p50: 0, p90: 0, p99: 0, max: UInt64(values.count > 1 ? values[1] : 0), mean: values.count > 2 ? values[2] : 0, count: 0)
}

func micros(_ s: String) -> Double {
    let number = Double(s.prefix { "0123456789.".contains($0) }) ?? 0
    if s.hasSuffix("us") { return number }
    if s.hasSuffix("ms") { return number * 1000 }
    if s.hasSuffix("s") { return number * 1_000_000 }
    return number
}

/// wrk's latency summary: "    Latency  1.23ms  2.00ms  90.40ms  95.00%" (avg, stdev, max) and
/// the --latency distribution.
func wrkLatency(_ out: String, count: UInt64) -> Latency {
    var latency = Latency(p50: 0, p90: 0, p99: 0, max: 0, mean: 0, count: count)
    if let l = out.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("Latency ") }) {
        let parts = l.split(separator: " ")
        if parts.count >= 4 {
            latency.mean = micros(String(parts[1]))
            latency.max = UInt64(micros(String(parts[3])))
        }
    }
    latency.p50 = wrkMicros(out, "50%") ?? 0
    latency.p90 = wrkMicros(out, "90%") ?? 0
    latency.p99 = wrkMicros(out, "99%") ?? 0
    return latency
}

/// wrk --latency distribution lines: "     50%  612.00us".
func wrkMicros(_ out: String, _ percentile: String) -> UInt64? {
    guard let l = out.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(percentile + " ") })
    else { return nil }
    let parts = l.split(separator: " ")
    guard parts.count >= 2 else { return nil }
    return UInt64(micros(String(parts[1])))
}
