/// `ResultWithMetadata(bytes32 jobID, bytes32 onchainInputHash, uint64 maxCycles, bytes programID,
/// bytes result)`: what the operator signs for an onchain job and JobManager.submitResult decodes.
public struct ResultWithMetadata: Hashable, Sendable {
    public var jobID: Bytes32
    /// keccak256 of the onchain input.
    public var onchainInputHash: Bytes32
    public var maxCycles: UInt64
    public var programID: [UInt8]
    /// The guest's public output.
    public var result: [UInt8]

    public init(jobID: Bytes32, onchainInputHash: Bytes32, maxCycles: UInt64, programID: [UInt8], result: [UInt8]) {
        self.jobID = jobID
        self.onchainInputHash = onchainInputHash
        self.maxCycles = maxCycles
        self.programID = programID
        self.result = result
    }

    public static let abiType = ABIType.tuple([.bytes32, .bytes32, .uint64, .bytes, .bytes])

    public var abiValue: ABIValue {
        .tuple([.bytes32(jobID), .bytes32(onchainInputHash), .uint64(maxCycles), .bytes(programID), .bytes(result)])
    }

    /// `abi.encode(resultWithMetadata)`.
    public func abiEncoded() -> [UInt8] { ABI.encode([abiValue]) }

    public init(abiEncoded data: [UInt8]) throws(ABIDecodingError) {
        var fields = ABIFields(singleTuple: try ABI.decode([Self.abiType], from: data))
        self.init(jobID: fields.bytes32(), onchainInputHash: fields.bytes32(), maxCycles: fields.uint64(),
                  programID: fields.bytes(), result: fields.bytes())
    }
}

/// `OffchainResultWithMetadata(bytes32 jobID, bytes32 onchainInputHash, bytes32 offchainInputHash,
/// bytes32 stateHash, uint64 maxCycles, bytes programID, bytes result)`: what the operator signs for
/// an offchain job and JobManager.submitResultForOffchainJob decodes.
public struct OffchainResultWithMetadata: Hashable, Sendable {
    public var jobID: Bytes32
    public var onchainInputHash: Bytes32
    public var offchainInputHash: Bytes32
    public var stateHash: Bytes32
    public var maxCycles: UInt64
    public var programID: [UInt8]
    public var result: [UInt8]

    public init(jobID: Bytes32, onchainInputHash: Bytes32, offchainInputHash: Bytes32, stateHash: Bytes32,
                maxCycles: UInt64, programID: [UInt8], result: [UInt8]) {
        self.jobID = jobID
        self.onchainInputHash = onchainInputHash
        self.offchainInputHash = offchainInputHash
        self.stateHash = stateHash
        self.maxCycles = maxCycles
        self.programID = programID
        self.result = result
    }

    public static let abiType = ABIType.tuple([.bytes32, .bytes32, .bytes32, .bytes32, .uint64, .bytes, .bytes])

    public var abiValue: ABIValue {
        .tuple([.bytes32(jobID), .bytes32(onchainInputHash), .bytes32(offchainInputHash), .bytes32(stateHash),
                .uint64(maxCycles), .bytes(programID), .bytes(result)])
    }

    /// `abi.encode(offchainResultWithMetadata)`.
    public func abiEncoded() -> [UInt8] { ABI.encode([abiValue]) }

    public init(abiEncoded data: [UInt8]) throws(ABIDecodingError) {
        var fields = ABIFields(singleTuple: try ABI.decode([Self.abiType], from: data))
        self.init(jobID: fields.bytes32(), onchainInputHash: fields.bytes32(), offchainInputHash: fields.bytes32(),
                  stateHash: fields.bytes32(), maxCycles: fields.uint64(), programID: fields.bytes(),
                  result: fields.bytes())
    }
}

/// `StatefulProgramResult(bytes32 nextStateHash, bytes result)`: the public output of a stateful
/// guest program (e.g. a CLOB), itself `abi.encode(struct)`.
public struct StatefulProgramResult: Hashable, Sendable {
    public var nextStateHash: Bytes32
    public var result: [UInt8]

    public init(nextStateHash: Bytes32, result: [UInt8]) {
        self.nextStateHash = nextStateHash
        self.result = result
    }

    public static let abiType = ABIType.tuple([.bytes32, .bytes])

    public var abiValue: ABIValue { .tuple([.bytes32(nextStateHash), .bytes(result)]) }

    /// `abi.encode(statefulProgramResult)`.
    public func abiEncoded() -> [UInt8] { ABI.encode([abiValue]) }

    public init(abiEncoded data: [UInt8]) throws(ABIDecodingError) {
        var fields = ABIFields(singleTuple: try ABI.decode([Self.abiType], from: data))
        self.init(nextStateHash: fields.bytes32(), result: fields.bytes())
    }
}
