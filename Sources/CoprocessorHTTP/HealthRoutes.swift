import CoprocessorWire
import Hummingbird

/// `GET /healthz` and `GET /readyz`, for load balancers and orchestrators.
///
/// - `/healthz`: the process answers: always 200 `{"status":"ok"}`.
/// - `/readyz`: 200 when every readiness check passes (the database takes a write, the chain
///   answers when relaying is on), else 503; the body names each check and what failed:
///   `{"status":"unavailable","failed":["chain"],"checks":{"database":{"ok":true,"error":null},
///   "chain":{"ok":false,"error":"..."}}}`. Once the node is shutting down, `shutdown` fails.
struct HealthRoutes: Sendable {
    static let healthPath = "/healthz"
    static let readyPath = "/readyz"

    let monitor: ReadinessMonitor

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get(RouterPath(Self.healthPath)) { _, _ in
            GatewayRoutes.jsonResponse(status: 200, bytes: Array(#"{"status":"ok"}"#.utf8))
        }
        let monitor = self.monitor
        router.get(RouterPath(Self.readyPath)) { _, _ in
            let report = await monitor.report()
            return GatewayRoutes.jsonResponse(status: report.isReady ? 200 : 503, bytes: Self.body(report))
        }
    }

    static func body(_ report: Readiness.Report) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.writeRaw(#"{"status":"#)
        writer.writeString(report.isReady ? "ok" : "unavailable")
        writer.writeRaw(#","failed":["#)
        for (i, outcome) in report.failed.enumerated() {
            if i > 0 { writer.writeRaw(",") }
            writer.writeString(outcome.name)
        }
        writer.writeRaw(#"],"checks":{"#)
        for (i, outcome) in report.outcomes.enumerated() {
            if i > 0 { writer.writeRaw(",") }
            writer.writeString(outcome.name)
            writer.writeRaw(#":{"ok":"#)
            writer.writeRaw(outcome.failure == nil ? "true" : "false")
            writer.writeRaw(#","error":"#)
            if let failure = outcome.failure { writer.writeString(failure) } else { writer.writeRaw("null") }
            writer.writeRaw("}")
        }
        writer.writeRaw("}}")
        return writer.bytes
    }
}
