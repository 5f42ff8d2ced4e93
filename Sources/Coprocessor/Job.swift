import CoprocessorWire
import Ethereum

/// Where a job came from: a signed request over gRPC/HTTP, or a JobCreated event onchain.
public enum JobOrigin: Int, Sendable, Codable {
    case offchain = 0
    case onchain = 1
}

extension JobStatusType: CustomStringConvertible {
    public var description: String {
        switch self {
        case .pending: "pending"
        case .done: "done"
        case .failed: "failed"
        case .relayed: "relayed"
        case .unspecified: "unspecified"
        default: "status \(rawValue)"
        }
    }
}

/// A job as stored: every field of the wire's `JobResult`, plus what the node needs to run and
/// relay it (the inputs themselves, the original request bytes, the recovered signer).
public struct Job: Sendable, Equatable {
    public var id: Bytes32
    public var nonce: UInt64
    public var maxCycles: UInt64
    public var consumer: Address
    public var programID: [UInt8]
    public var onchainInput: [UInt8]
    public var offchainInputHash: Bytes32
    public var stateHash: Bytes32
    /// The consumer's signature over `request` (empty for onchain jobs).
    public var requestSignature: [UInt8]
    /// ABI-encoded `ResultWithMetadata` / `OffchainResultWithMetadata` once DONE.
    public var resultWithMetadata: [UInt8]
    /// The operator's EIP-191 signature over `resultWithMetadata`.
    public var operatorSignature: [UInt8]
    public var status: JobStatusType
    public var failureReason: String?
    public var retries: UInt32
    public var relayTxHash: [UInt8]

    public var origin: JobOrigin
    /// Inputs (not on the wire's JobResult, which carries only their hashes).
    public var offchainInput: [UInt8]
    public var state: [UInt8]
    /// The exact `abi.encode(OffchainJobRequest)` bytes the consumer signed (relayed verbatim).
    public var request: [UInt8]
    /// Address recovered from `requestSignature` at intake.
    public var signer: Address?
    /// When the node accepted the job (seconds since 1970).
    public var createdAt: Double
    /// How its submitter asked for the result to be relayed (SubmitJob's relay_strategy; onchain
    /// jobs: unordered). The node's --relay-strategy ordered orders every job regardless.
    public var relayStrategy: RelayStrategy
    /// Which run of the job this is: 1 for the first; a node that rescues the job after its
    /// holder's lease expired (several nodes on one PostgreSQL) runs attempt 2, and so on. An
    /// outcome is stored only under the attempt that is current (`JobStore.finishJob`), so a late
    /// result of an earlier run changes nothing.
    public var attempt: UInt32 = 1

    public init(id: Bytes32, nonce: UInt64, maxCycles: UInt64, consumer: Address, programID: [UInt8],
                onchainInput: [UInt8], offchainInputHash: Bytes32, stateHash: Bytes32, requestSignature: [UInt8],
                resultWithMetadata: [UInt8] = [], operatorSignature: [UInt8] = [], status: JobStatusType = .pending,
                failureReason: String? = nil, retries: UInt32 = 0, relayTxHash: [UInt8] = [],
                origin: JobOrigin, offchainInput: [UInt8], state: [UInt8], request: [UInt8], signer: Address?,
                createdAt: Double = 0, relayStrategy: RelayStrategy = .unordered) {
        self.id = id
        self.nonce = nonce
        self.maxCycles = maxCycles
        self.consumer = consumer
        self.programID = programID
        self.onchainInput = onchainInput
        self.offchainInputHash = offchainInputHash
        self.stateHash = stateHash
        self.requestSignature = requestSignature
        self.resultWithMetadata = resultWithMetadata
        self.operatorSignature = operatorSignature
        self.status = status
        self.failureReason = failureReason
        self.retries = retries
        self.relayTxHash = relayTxHash
        self.origin = origin
        self.offchainInput = offchainInput
        self.state = state
        self.request = request
        self.signer = signer
        self.createdAt = createdAt
        self.relayStrategy = relayStrategy
    }
}

extension JobResult {
    /// The wire view of a stored job: every `JobResult` field (the inputs the core keeps beside
    /// them — offchain input, state, request bytes, signer — are not part of it).
    public init(_ job: Job) {
        self.init()
        id = job.id.bytes
        nonce = job.nonce
        maxCycles = job.maxCycles
        consumerAddress = job.consumer.bytes
        programID = job.programID
        onchainInput = job.onchainInput
        offchainInputHash = job.offchainInputHash.bytes
        stateHash = job.stateHash.bytes
        requestSignature = job.requestSignature
        resultWithMetadata = job.resultWithMetadata
        zkvmOperatorSignature = job.operatorSignature
        status = JobStatus(status: job.status, failureReason: job.failureReason, retries: job.retries)
        relayTxHash = job.relayTxHash
    }
}
