import CoprocessorWire
import Ethereum
import GRPCCore
import GRPCNIOTransportHTTP2

/// A client of a coprocessor node, over gRPC or JSON/HTTP (any `CoprocessorNodeAPI`): typed calls,
/// signed job submission and waiting for results.
///
/// ```swift
/// let node = CoprocessorClient.http("http://127.0.0.1:8080")
/// let programID = try await node.submitProgram(elf: elf, vm: .sp1)
/// let job = JobRequest(nonce: 1, consumer: consumer, programID: programID, onchainInput: input)
/// let jobID = try await node.submitJob(job, signer: signerKey)
/// let result = try await node.waitForResult(jobID: jobID)   // DONE or FAILED
/// ```
public struct CoprocessorClient: Sendable {
    /// The calls, as the transport makes them.
    public let api: any CoprocessorNodeAPI

    public init(api: any CoprocessorNodeAPI) { self.api = api }

    /// Over the node's JSON/HTTP gateway at `baseURL` (e.g. `http://127.0.0.1:8080`).
    public static func http(_ baseURL: String, operatorToken: String? = nil) -> CoprocessorClient {
        CoprocessorClient(api: HTTPNodeTransport(baseURL: baseURL, operatorToken: operatorToken))
    }

    /// Over gRPC to `host:port` (plaintext), for the duration of `body`: the connection is opened
    /// before and closed after it.
    public static func withGRPC<Result: Sendable>(
        host: String, port: Int, operatorToken: String? = nil,
        _ body: (CoprocessorClient) async throws -> Result
    ) async throws -> Result {
        let transport = try HTTP2ClientTransport.Posix(target: .dns(host: host, port: port), transportSecurity: .plaintext)
        return try await withGRPCClient(transport: transport) { grpc in
            try await body(CoprocessorClient(api: GRPCNodeTransport(client: grpc, operatorToken: operatorToken)))
        }
    }

    // MARK: Calls

    /// Stores a guest ELF; returns its program ID (idempotent: the same ELF gives the same ID).
    public func submitProgram(elf: [UInt8], vm: VmType) async throws(NodeError) -> [UInt8] {
        try await api.submitProgram(SubmitProgramRequest(programELF: elf, vmType: vm)).programID
    }

    public func containsProgram(id: [UInt8]) async throws(NodeError) -> Bool {
        try await api.containsProgram(ContainsProgramRequest(programID: id)).contains
    }

    /// Signs `job` with `signer` (the consumer's signer: EIP-191 over the ABI-encoded request) and
    /// submits it; returns the job ID once the node has stored it.
    public func submitJob(_ job: JobRequest, signer: PrivateKey) async throws(NodeError) -> [UInt8] {
        let request: SubmitJobRequest
        do { request = try job.signed(by: signer) } catch {
            throw NodeError.invalidArgument("cannot sign the job request: \(error)")
        }
        return try await api.submitJob(request).jobID
    }

    /// The job as the node has it now, in any status.
    public func result(jobID: [UInt8]) async throws(NodeError) -> JobResult {
        guard let result = try await api.getResult(GetResultRequest(jobID: jobID)).jobResult else {
            throw NodeError(.internal, "the node answered GetResult without a job")
        }
        return result
    }

    /// Nonces of the consumer's pending jobs, ascending.
    public func pendingJobs(consumer: Address) async throws(NodeError) -> [UInt64] {
        try await api.getPendingJobs(GetPendingJobsRequest(consumerAddress: consumer.bytes)).pendingJobs
    }

    // MARK: Waiting

    /// How `waitForResult` polls: the first wait, each next one `factor` times longer up to
    /// `maxDelay`, and the total time before it gives up.
    public struct Backoff: Sendable {
        public var initialDelay: Duration
        public var factor: Double
        public var maxDelay: Duration
        public var timeout: Duration

        public init(initialDelay: Duration = .milliseconds(5), factor: Double = 2, maxDelay: Duration = .seconds(1),
                    timeout: Duration = .seconds(120)) {
            precondition(factor >= 1, "the backoff factor is at least 1")
            self.initialDelay = initialDelay
            self.factor = factor
            self.maxDelay = maxDelay
            self.timeout = timeout
        }

        public static let `default` = Backoff()

        /// The delays before each poll after the first, in order (until the timeout is spent).
        public func delays() -> [Duration] {
            var out: [Duration] = [], delay = initialDelay, total = Duration.zero
            while total < timeout {
                let step = min(delay, timeout - total)
                out.append(step)
                total += step
                delay = min(maxDelay, delay * factor)
            }
            return out
        }
    }

    /// Polls until the job has left PENDING (DONE, FAILED or RELAYED) and returns it; with
    /// `untilRelayed`, until it is RELAYED or FAILED. A job the node does not know yet is polled
    /// again (a job submitted onchain may not have arrived). Throws `WaitTimeout` when
    /// `backoff.timeout` passes first, `CancellationError` when the task is cancelled, and the
    /// node's `NodeError` for any other refusal.
    public func waitForResult(jobID: [UInt8], untilRelayed: Bool = false, backoff: Backoff = .default) async throws -> JobResult {
        var delays = backoff.delays().makeIterator()
        var last: JobStatusType?
        while true {
            switch await poll(jobID) {
            case .success(let job):
                let status = job.status?.status ?? .unspecified
                let finished = untilRelayed ? (status == .relayed || status == .failed) : status != .pending
                if finished { return job }
                last = status
            case .failure(let error) where error.code == .notFound:
                break  // not there yet: poll again
            case .failure(let error):
                throw error
            }
            guard let delay = delays.next() else { throw WaitTimeout(jobID: jobID, timeout: backoff.timeout, lastStatus: last) }
            try await Task.sleep(for: delay)
        }
    }

    private func poll(_ jobID: [UInt8]) async -> Result<JobResult, NodeError> {
        do { return .success(try await result(jobID: jobID)) } catch { return .failure(error) }
    }
}

/// `waitForResult` gave up: the job had not finished when the backoff's timeout passed.
public struct WaitTimeout: Error, Sendable, CustomStringConvertible {
    public let jobID: [UInt8]
    public let timeout: Duration
    /// The status the job had at the last poll (nil: the node did not know the job).
    public let lastStatus: JobStatusType?

    public var description: String {
        "job \(Hex.encode(jobID)) did not finish within \(timeout) (last status: \(lastStatus.map { "\($0.rawValue)" } ?? "unknown"))"
    }
}
