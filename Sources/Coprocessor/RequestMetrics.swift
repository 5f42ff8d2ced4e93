import CoprocessorWire
import Metrics
import Synchronization

/// Per-call metrics of both front ends (`RPCObserver`): `coprocessor_requests_total` and the
/// latency histogram `coprocessor_request_seconds`, each by transport, method and status code.
public final class RequestMetrics: RPCObserver {
    private struct Key: Hashable {
        let transport: RPCCall.Transport
        let method: String
        let code: Int
    }

    private struct Series {
        let count: Counter
        let latency: Timer
    }

    /// One pair of series per key, made once (the factory's lookup by labels is not free).
    private let series = Mutex<[Key: Series]>([:])

    public init() {}

    public func callFinished(_ call: RPCCall) {
        let key = Key(transport: call.transport, method: call.method, code: call.code)
        let found = series.withLock { series in
            if let found = series[key] { return found }
            let dimensions = [("transport", call.transport.rawValue), ("method", call.method), ("code", call.codeName)]
            let made = Series(count: Counter(label: "coprocessor_requests_total", dimensions: dimensions),
                              latency: Timer(label: "coprocessor_request_seconds", dimensions: dimensions))
            series[key] = made
            return made
        }
        found.count.increment()
        found.latency.recordSeconds(call.duration.seconds)
    }
}
