import Metrics

/// The node's metrics (swift-metrics; the executable exports them in Prometheus format).
struct NodeMetrics: Sendable {
    let submitted = Counter(label: "coprocessor_jobs_submitted_total")
    let done = Counter(label: "coprocessor_jobs_total", dimensions: [("status", "done")])
    let failed = Counter(label: "coprocessor_jobs_total", dimensions: [("status", "failed")])
    let rejected = Counter(label: "coprocessor_requests_rejected_total")
    let executionTime = Timer(label: "coprocessor_job_execution_seconds")
    let cycles = Counter(label: "coprocessor_guest_cycles_total")
    /// Jobs waiting for a worker.
    let queueDepth = Gauge(label: "coprocessor_queue_depth")
    /// Worker threads, and those executing a job now.
    let workers = Gauge(label: "coprocessor_workers")
    let workersBusy = Meter(label: "coprocessor_workers_busy")
    let programsSubmitted = Counter(label: "coprocessor_programs_submitted_total")
    /// Several nodes on one database: jobs this node took over after their holder's lease
    /// expired, and how often it renewed its leases (a failing renewal shows as none).
    let rescued = Counter(label: "coprocessor_jobs_rescued_total")
    /// Jobs this node claimed from the shared database (rescued ones, and others' overflow), and
    /// jobs it stored for any node to claim because its own workers had a backlog.
    let claims = Counter(label: "coprocessor_job_claims_total")
    let shared = Counter(label: "coprocessor_jobs_shared_total")
    let leaseRenewals = Counter(label: "coprocessor_job_lease_renewals_total")
    let leasedJobs = Gauge(label: "coprocessor_jobs_leased")
}
