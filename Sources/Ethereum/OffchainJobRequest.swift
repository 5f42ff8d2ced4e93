/// `OffchainJobRequest(uint64 nonce, uint64 maxCycles, address consumer, bytes programID,
/// bytes onchainInput, bytes32 offchainInputHash, bytes32 stateHash)` from JobManager.sol, carried
/// on the wire as `abi.encode(request)` and signed (EIP-191) by the consumer's signer.
public struct OffchainJobRequest: Hashable, Sendable {
    public var nonce: UInt64
    public var maxCycles: UInt64
    public var consumer: Address
    public var programID: [UInt8]
    public var onchainInput: [UInt8]
    /// keccak256 of the offchain input that is sent next to the request.
    public var offchainInputHash: Bytes32
    /// keccak256 of the state that is sent next to the request.
    public var stateHash: Bytes32

    public init(nonce: UInt64, maxCycles: UInt64, consumer: Address, programID: [UInt8], onchainInput: [UInt8],
                offchainInputHash: Bytes32, stateHash: Bytes32) {
        self.nonce = nonce
        self.maxCycles = maxCycles
        self.consumer = consumer
        self.programID = programID
        self.onchainInput = onchainInput
        self.offchainInputHash = offchainInputHash
        self.stateHash = stateHash
    }

    public static let abiType = ABIType.tuple([.uint64, .uint64, .address, .bytes, .bytes, .bytes32, .bytes32])

    public var abiValue: ABIValue {
        .tuple([.uint64(nonce), .uint64(maxCycles), .address(consumer), .bytes(programID), .bytes(onchainInput),
                .bytes32(offchainInputHash), .bytes32(stateHash)])
    }

    /// `abi.encode(request)`.
    public func abiEncoded() -> [UInt8] { ABI.encode([abiValue]) }

    /// Strictly decodes `abi.encode(request)`.
    public init(abiEncoded data: [UInt8]) throws(ABIDecodingError) {
        var fields = ABIFields(singleTuple: try ABI.decode([Self.abiType], from: data))
        self.init(nonce: fields.uint64(), maxCycles: fields.uint64(), consumer: fields.address(),
                  programID: fields.bytes(), onchainInput: fields.bytes(), offchainInputHash: fields.bytes32(),
                  stateHash: fields.bytes32())
    }

    public var jobID: Bytes32 { JobID.compute(nonce: nonce, consumer: consumer) }

    /// The checks the node applies to a submitted request before accepting it, with the same
    /// messages as InfinityVM's coprocessor node.
    public func validate(offchainInput: [UInt8], state: [UInt8]) throws(JobRequestValidationError) {
        guard maxCycles > 0 else { throw .maxCyclesZero }
        guard !programID.isEmpty else { throw .emptyProgramID }
        let offchainHash = Keccak256.hash(offchainInput)
        guard offchainHash == offchainInputHash else {
            throw .offchainInputHashMismatch(inRequest: offchainInputHash, computed: offchainHash)
        }
        let computedStateHash = Keccak256.hash(state)
        guard computedStateHash == stateHash else {
            throw .stateHashMismatch(inRequest: stateHash, computed: computedStateHash)
        }
    }
}

/// A well-formed request that the node must still refuse.
public enum JobRequestValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    case maxCyclesZero
    case emptyProgramID
    case offchainInputHashMismatch(inRequest: Bytes32, computed: Bytes32)
    case stateHashMismatch(inRequest: Bytes32, computed: Bytes32)

    /// The message a client sees (an `invalid_argument` status); kept identical to InfinityVM's.
    public var description: String {
        switch self {
        case .maxCyclesZero: return "job max cycles must be positive"
        case .emptyProgramID: return "job program verification key must not be empty"
        case .offchainInputHashMismatch: return "offchain input hash does not match"
        case .stateHashMismatch: return "state hash does not match"
        }
    }
}

/// The job id: `keccak256(abi.encodePacked(uint64 nonce, address consumer))`.
public enum JobID {
    /// The 28-byte preimage: nonce big-endian (8 bytes) then the consumer address (20 bytes).
    public static func packedPreimage(nonce: UInt64, consumer: Address) -> [UInt8] {
        ABI.encodePacked([.uint64(nonce), .address(consumer)])
    }

    public static func compute(nonce: UInt64, consumer: Address) -> Bytes32 {
        Keccak256.hash(packedPreimage(nonce: nonce, consumer: consumer))
    }
}
