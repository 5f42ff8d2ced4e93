import CoprocessorWire
import Synchronization

/// An `RPCObserver` that keeps every call it is told about.
public final class RecordingObserver: RPCObserver {
    private let recorded = Mutex<[RPCCall]>([])

    public init() {}

    public func callFinished(_ call: RPCCall) { recorded.withLock { $0.append(call) } }

    /// The calls so far, as (transport, method, code name).
    public var calls: [(transport: RPCCall.Transport, method: String, code: String)] {
        recorded.withLock { $0.map { ($0.transport, $0.method, $0.codeName) } }
    }

    public var durations: [Duration] { recorded.withLock { $0.map(\.duration) } }
}
