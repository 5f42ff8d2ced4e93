import Coprocessor
import Logging
import Metrics
import NIOSSL
import PostgresNIO
import Synchronization

/// LISTEN on one dedicated connection (postgres-nio listens on a connection, not on the pool),
/// handing each notification to the subscribers of its channel. When the connection drops it
/// reconnects with back-off; meanwhile subscribers hear nothing, so everything that waits on a
/// signal also polls (`StoreSignals`).
final class PostgresListener: Sendable {
    private final class Handlers: Sendable {
        let all = Mutex<[StoreSignal: [@Sendable () -> Void]]>([:])
        func run(_ signal: StoreSignal) { for handler in all.withLock({ $0[signal] ?? [] }) { handler() } }
    }

    private let handlers = Handlers()
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let reconnects = Counter(label: "coprocessor_postgres_listen_reconnects_total")

    init(url: PostgresURL, logger: Logger) {
        let handlers = self.handlers
        let reconnects = self.reconnects
        task.withLock {
            $0 = Task {
                var delay: Duration = .milliseconds(100)
                while !Task.isCancelled {
                    do {
                        let connection = try await PostgresConnection.connect(
                            configuration: try url.connectionConfiguration(), id: 1, logger: logger)
                        delay = .milliseconds(100)
                        await withThrowingTaskGroup(of: Void.self) { group in
                            for signal in StoreSignal.allCases {
                                group.addTask {
                                    try await connection.listen(on: signal.channel) { notifications in
                                        for try await _ in notifications {
                                            handlers.run(signal)
                                        }
                                    }
                                }
                            }
                            _ = try? await group.next()  // the connection dropped (or stopping)
                            group.cancelAll()
                        }
                        try? await connection.close()
                    } catch {
                        if Task.isCancelled { return }
                        logger.warning("LISTEN connection failed; waiting on polls until it is back",
                                       metadata: ["error": "\(PostgresStore.describe(error))", "retry_in": "\(delay)"])
                    }
                    if Task.isCancelled { return }
                    reconnects.increment()
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(5))
                }
            }
        }
    }

    func onSignal(_ signal: StoreSignal, _ handler: @escaping @Sendable () -> Void) {
        handlers.all.withLock { $0[signal, default: []].append(handler) }
    }

    func stop() async {
        let task = self.task.withLock { $0 }
        task?.cancel()
        await task?.value
        handlers.all.withLock { $0.removeAll() }
    }
}

extension StoreSignal {
    /// The NOTIFY channel.
    var channel: String {
        switch self {
        case .jobsAvailable: "coprocessor_jobs"
        case .relayQueued: "coprocessor_relay"
        }
    }
}
