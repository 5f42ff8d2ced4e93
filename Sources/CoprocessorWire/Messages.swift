// The messages of `coprocessor_node.v1`. Names and field numbers follow InfinityVM's coprocessor
// node at commit d0fdb477, so existing clients keep working; never renumber or reuse a number.
// Each field is declared once, in `fields`; see WireSchema.swift for what is derived from it.
// A bytes field's `json:` shape is the one InfinityVM's gateway writes for it (its prost types with
// serde, `serde_as(Hex)` on the fields its proto build annotates: every field named id, program_elf,
// program_id, onchain_input, offchain_input_hash, state_hash, request_signature,
// result_with_metadata, zkvm_operator_signature, consumer_address or relay_tx_hash; the others are
// integer arrays), so that its Rust clients parse our answers unchanged.

// MARK: - Enums

/// Which zkVM a program is for. The seed's numbering (InfinityVM later renumbered it).
public struct VmType: WireEnum {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let risc0 = VmType(rawValue: 0)
    public static let sp1 = VmType(rawValue: 1)

    public static let wireName = "VmType"
    public static let wireDoc = "The zkVM a program is built for."
    public static let wireValues: [(name: String, value: Int32)] = [("Risc0", 0), ("Sp1", 1)]
}

/// A job's status.
public struct JobStatusType: WireEnum {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unspecified = JobStatusType(rawValue: 0)
    public static let pending = JobStatusType(rawValue: 1)
    public static let done = JobStatusType(rawValue: 2)
    public static let failed = JobStatusType(rawValue: 3)
    public static let relayed = JobStatusType(rawValue: 4)

    public static let wireName = "JobStatusType"
    public static let wireDoc = "A job's status."
    public static let wireValues: [(name: String, value: Int32)] = [
        ("JOB_STATUS_TYPE_UNSPECIFIED", 0), ("JOB_STATUS_TYPE_PENDING", 1), ("JOB_STATUS_TYPE_DONE", 2),
        ("JOB_STATUS_TYPE_FAILED", 3), ("JOB_STATUS_TYPE_RELAYED", 4),
    ]
}

/// How a job's result is relayed onchain (InfinityVM's later `RelayStrategy`, same names and numbers).
public struct RelayStrategyType: WireEnum {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unordered = RelayStrategyType(rawValue: 0)
    public static let ordered = RelayStrategyType(rawValue: 1)

    public static let wireName = "RelayStrategy"
    public static let wireDoc = "How a job's result is relayed onchain."
    public static let wireValues: [(name: String, value: Int32)] = [("Unordered", 0), ("Ordered", 1)]
}

// MARK: - Requests and responses

public struct SubmitJobRequest: WireMessage {
    public var request: [UInt8] = []
    public var signature: [UInt8] = []
    public var offchainInput: [UInt8] = []
    public var state: [UInt8] = []
    public var relayStrategy = RelayStrategyType.unordered

    public init() {}
    public init(request: [UInt8], signature: [UInt8], offchainInput: [UInt8] = [], state: [UInt8] = [],
                relayStrategy: RelayStrategyType = .unordered) {
        self.request = request
        self.signature = signature
        self.offchainInput = offchainInput
        self.state = state
        self.relayStrategy = relayStrategy
    }

    public static let wireName = "SubmitJobRequest"
    public static let wireDoc = "A signed offchain job request with its inputs."
    public static let fields: [WireField<Self>] = [
        .bytes("request", 1, \.request, json: .integerArray, doc: "abi.encode(OffchainJobRequest)"),
        .bytes("signature", 2, \.signature, json: .integerArray, doc: "The consumer's EIP-191 signature over `request` (65 bytes, r || s || v)."),
        .bytes("offchain_input", 3, \.offchainInput, json: .integerArray, doc: "The job's offchain input (its keccak256 is in the request)."),
        .bytes("state", 4, \.state, json: .integerArray, doc: "The consumer's state (its keccak256 is in the request)."),
        // InfinityVM added this field after removing `state` and gave it `state`'s number, 4; here 4
        // stays `state` (the seed's API), so it takes the next free number. Over JSON, where names
        // count, InfinityVM's later clients are understood as they are.
        .enumeration("relay_strategy", 5, \.relayStrategy,
                     doc: "Unordered (default): relayed once DONE, unless the node orders every job; Ordered: after every earlier job of its consumer (by nonce). Not signed: use TLS."),
    ]
}

public struct SubmitJobResponse: WireMessage {
    public var jobID: [UInt8] = []

    public init() {}
    public init(jobID: [UInt8]) { self.jobID = jobID }

    public static let wireName = "SubmitJobResponse"
    public static let wireDoc = "The ID of the stored job."
    public static let fields: [WireField<Self>] = [
        .bytes("job_id", 1, \.jobID, json: .integerArray, doc: "keccak256(abi.encodePacked(uint64 nonce, address consumer))"),
    ]
}

public struct GetResultRequest: WireMessage {
    public var jobID: [UInt8] = []

    public init() {}
    public init(jobID: [UInt8]) { self.jobID = jobID }

    public static let wireName = "GetResultRequest"
    public static let wireDoc = "Which job to read."
    public static let fields: [WireField<Self>] = [
        .bytes("job_id", 1, \.jobID, json: .integerArray, doc: "32 bytes."),
    ]
}

public struct GetResultResponse: WireMessage {
    public var jobResult: JobResult?

    public init() {}
    public init(jobResult: JobResult?) { self.jobResult = jobResult }

    public static let wireName = "GetResultResponse"
    public static let wireDoc = "The stored job, in any status."
    public static let fields: [WireField<Self>] = [
        .message("job_result", 1, \.jobResult),
    ]
}

public struct SubmitProgramRequest: WireMessage {
    public var programELF: [UInt8] = []
    public var vmType = VmType.risc0

    public init() {}
    public init(programELF: [UInt8], vmType: VmType) {
        self.programELF = programELF
        self.vmType = vmType
    }

    public static let wireName = "SubmitProgramRequest"
    public static let wireDoc = "A guest program to store."
    public static let fields: [WireField<Self>] = [
        .bytes("program_elf", 1, \.programELF, json: .hex, doc: "The guest ELF."),
        .enumeration("vm_type", 2, \.vmType, doc: "The zkVM it is built for."),
    ]
}

public struct SubmitProgramResponse: WireMessage {
    public var programID: [UInt8] = []

    public init() {}
    public init(programID: [UInt8]) { self.programID = programID }

    public static let wireName = "SubmitProgramResponse"
    public static let wireDoc = "The stored program's ID."
    public static let fields: [WireField<Self>] = [
        .bytes("program_id", 1, \.programID, json: .hex, doc: "32 bytes."),
    ]
}

public struct GetPendingJobsRequest: WireMessage {
    public var consumerAddress: [UInt8] = []

    public init() {}
    public init(consumerAddress: [UInt8]) { self.consumerAddress = consumerAddress }

    public static let wireName = "GetPendingJobsRequest"
    public static let wireDoc = "Whose pending jobs to list."
    public static let fields: [WireField<Self>] = [
        .bytes("consumer_address", 1, \.consumerAddress, json: .hex, doc: "20 bytes."),
    ]
}

public struct GetPendingJobsResponse: WireMessage {
    public var pendingJobs: [UInt64] = []

    public init() {}
    public init(pendingJobs: [UInt64]) { self.pendingJobs = pendingJobs }

    public static let wireName = "GetPendingJobsResponse"
    public static let wireDoc = "Nonces of the consumer's PENDING jobs."
    public static let fields: [WireField<Self>] = [
        .repeatedUInt64("pending_jobs", 1, \.pendingJobs, doc: "Ascending."),
    ]
}

public struct ContainsProgramRequest: WireMessage {
    public var programID: [UInt8] = []

    public init() {}
    public init(programID: [UInt8]) { self.programID = programID }

    public static let wireName = "ContainsProgramRequest"
    public static let wireDoc = "Which program to look for."
    public static let fields: [WireField<Self>] = [
        .bytes("program_id", 1, \.programID, json: .hex, doc: "32 bytes."),
    ]
}

public struct ContainsProgramResponse: WireMessage {
    public var contains = false

    public init() {}
    public init(contains: Bool) { self.contains = contains }

    public static let wireName = "ContainsProgramResponse"
    public static let wireDoc = "Whether the program has been submitted."
    public static let fields: [WireField<Self>] = [
        .bool("contains", 1, \.contains),
    ]
}

// MARK: - Results

public struct JobResult: WireMessage {
    public var id: [UInt8] = []
    public var nonce: UInt64 = 0
    public var maxCycles: UInt64 = 0
    public var consumerAddress: [UInt8] = []
    public var programID: [UInt8] = []
    public var onchainInput: [UInt8] = []
    public var offchainInputHash: [UInt8] = []
    public var stateHash: [UInt8] = []
    public var requestSignature: [UInt8] = []
    public var resultWithMetadata: [UInt8] = []
    public var zkvmOperatorSignature: [UInt8] = []
    public var status: JobStatus?
    public var relayTxHash: [UInt8] = []

    public init() {}

    public static let wireName = "JobResult"
    public static let wireDoc = "A job: its request fields, its status and, once DONE, its signed result."
    public static let fields: [WireField<Self>] = [
        .bytes("id", 1, \.id, json: .hex, doc: "The job ID (32 bytes)."),
        .uint64("nonce", 2, \.nonce),
        .uint64("max_cycles", 3, \.maxCycles),
        .bytes("consumer_address", 4, \.consumerAddress, json: .hex, doc: "20 bytes."),
        .bytes("program_id", 5, \.programID, json: .hex),
        .bytes("onchain_input", 6, \.onchainInput, json: .hex),
        .bytes("offchain_input_hash", 7, \.offchainInputHash, json: .hex, doc: "keccak256 of the offchain input."),
        .bytes("state_hash", 8, \.stateHash, json: .hex, doc: "keccak256 of the state."),
        .bytes("request_signature", 9, \.requestSignature, json: .hex, doc: "The consumer's signature (empty for onchain jobs)."),
        .bytes("result_with_metadata", 10, \.resultWithMetadata, json: .hex,
               doc: "ABI-encoded (Offchain)ResultWithMetadata once DONE."),
        .bytes("zkvm_operator_signature", 11, \.zkvmOperatorSignature, json: .hex,
               doc: "The operator's EIP-191 signature over result_with_metadata."),
        .message("status", 12, \.status),
        .bytes("relay_tx_hash", 13, \.relayTxHash, json: .hex, doc: "The transaction that delivered the result, once RELAYED."),
    ]
}

public struct JobStatus: WireMessage {
    public var status = JobStatusType.unspecified
    public var failureReason: String?
    public var retries: UInt32 = 0

    public init() {}
    public init(status: JobStatusType, failureReason: String? = nil, retries: UInt32 = 0) {
        self.status = status
        self.failureReason = failureReason
        self.retries = retries
    }

    public static let wireName = "JobStatus"
    public static let wireDoc = "Where a job stands."
    public static let fields: [WireField<Self>] = [
        .enumeration("status", 1, \.status),
        .optionalString("failure_reason", 2, \.failureReason, doc: "Why the job failed (or why relaying gave up)."),
        .uint32("retries", 3, \.retries, doc: "Failed relay attempts."),
    ]
}
