import Synchronization

/// Whether the node can serve requests now, as named checks (the database takes writes, the chain
/// answers, ...). The node assembles the checks; the front ends report them without knowing what
/// they test: HTTP `GET /readyz` and the gRPC health service (`grpc.health.v1.Health`).
public struct Readiness: Sendable {
    /// One check: nil when it passes, else why it fails.
    public struct Check: Sendable {
        public let name: String
        public let run: @Sendable () async -> String?

        public init(_ name: String, _ run: @escaping @Sendable () async -> String?) {
            self.name = name
            self.run = run
        }
    }

    /// The outcome of every check, in order.
    public struct Report: Sendable, Equatable {
        public struct Outcome: Sendable, Equatable {
            public let name: String
            /// nil: passed.
            public let failure: String?

            public init(name: String, failure: String?) {
                self.name = name
                self.failure = failure
            }
        }

        public init(outcomes: [Outcome]) { self.outcomes = outcomes }

        public let outcomes: [Outcome]
        public var isReady: Bool { outcomes.allSatisfy { $0.failure == nil } }
        public var failed: [Outcome] { outcomes.filter { $0.failure != nil } }
    }

    public let checks: [Check]
    /// A check that has not answered after this long fails ("no answer within ...").
    public let timeout: Duration

    public init(checks: [Check], timeout: Duration = .seconds(2)) {
        self.checks = checks
        self.timeout = timeout
    }

    /// Always ready (a node under test, a front end without checks).
    public static let alwaysReady = Readiness(checks: [])

    /// Runs every check, concurrently, each bounded by `timeout`.
    public func evaluate() async -> Report {
        let timeout = self.timeout
        let outcomes = await withTaskGroup(of: (Int, String?).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask { (index, await Self.run(check, timeout: timeout)) }
            }
            var results = [String?](repeating: nil, count: checks.count)
            for await (index, failure) in group { results[index] = failure }
            return results
        }
        return Report(outcomes: zip(checks, outcomes).map { Report.Outcome(name: $0.name, failure: $1) })
    }

    /// The check's answer, or a failure once `timeout` has passed. The check runs in a task of its
    /// own, so one that never answers (a write stuck on a hung disk) cannot hold up the report.
    private static func run(_ check: Check, timeout: Duration) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let once = Once(continuation)
            let work = Task { once.resume(await check.run()) }
            Task {
                try? await Task.sleep(for: timeout)
                once.resume("no answer within \(timeout)")
                work.cancel()
            }
        }
    }

    /// A continuation resumed by whichever answer comes first.
    private final class Once: Sendable {
        private let pending: Mutex<CheckedContinuation<String?, Never>?>

        init(_ continuation: CheckedContinuation<String?, Never>) { pending = Mutex(continuation) }

        func resume(_ answer: String?) {
            pending.withLock { pending in
                pending?.resume(returning: answer)
                pending = nil
            }
        }
    }
}

/// The readiness both front ends report: the checks' latest report, re-run at most once per
/// `maxAge` however many probes ask (concurrent askers share one run), and "shutting down" once
/// the node has begun to stop.
public actor ReadinessMonitor {
    public let readiness: Readiness
    public let maxAge: Duration
    private var last: (report: Readiness.Report, at: ContinuousClock.Instant)?
    private var running: Task<Readiness.Report, Never>?
    public private(set) var isDraining = false

    /// The check that fails once the node is shutting down.
    public static let shutdownCheck = "shutdown"

    public init(_ readiness: Readiness, maxAge: Duration = .seconds(1)) {
        self.readiness = readiness
        self.maxAge = maxAge
    }

    /// The node has begun to stop: every later report fails `shutdownCheck`.
    public func beginDraining() { isDraining = true }

    public func report() async -> Readiness.Report {
        if isDraining {
            return Readiness.Report(outcomes: [.init(name: Self.shutdownCheck, failure: "the node is shutting down")])
        }
        if let last, ContinuousClock.now - last.at < maxAge { return last.report }
        if let running { return await running.value }
        let readiness = self.readiness
        let task = Task { await readiness.evaluate() }
        running = task
        let report = await task.value
        last = (report, .now)
        running = nil
        return report
    }
}
