import Metrics
import Prometheus

/// The node's metrics backend: a Prometheus registry (served by `MetricsServer` on GET /metrics)
/// behind swift-metrics, with histogram buckets that fit what the node measures.
enum MetricsSetup {
    /// Buckets of every latency histogram: from tens of microseconds (a GetResult, a small job, a
    /// group commit) to minutes (long jobs up to the default --max-job-seconds, relays waiting
    /// for confirmations). Prometheus's defaults (5 ms to 10 s) would put most calls in the first
    /// bucket and long jobs in +Inf.
    static let durationBuckets: [Duration] = [
        .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
        .seconds(60), .seconds(120), .seconds(300), .seconds(600),
    ]

    /// Bootstraps swift-metrics once for the process and records the build info.
    static func bootstrap(build: BuildInfo) -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = durationBuckets
        MetricsSystem.bootstrap(factory)
        Gauge(label: "coprocessor_build_info", dimensions: build.fields).record(1)
        return registry
    }
}
