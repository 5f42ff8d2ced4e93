/// Calldata and events of InfinityVM's JobManager contract (commit d0fdb477).
public enum JobManager {
    /// `submitResult(bytes,bytes)`
    public static let submitResultSelector: [UInt8] = [0xea, 0x25, 0x34, 0x87]
    /// `submitResultForOffchainJob(bytes,bytes,bytes,bytes)`
    public static let submitResultForOffchainJobSelector: [UInt8] = [0xf4, 0xc6, 0x72, 0x79]
    /// `createJob(uint64,bytes,bytes,uint64)`
    public static let createJobSelector: [UInt8] = [0xa8, 0xf6, 0x3f, 0xb6]

    /// topic0 of `JobCreated(bytes32 indexed jobID, uint64 indexed nonce, address indexed consumer,
    /// uint64 maxCycles, bytes programID, bytes onchainInput)`.
    public static let jobCreatedTopic = ABI.eventTopic("JobCreated(bytes32,uint64,address,uint64,bytes,bytes)")
    /// topic0 of `JobCompleted(bytes32 indexed jobID, bytes result)`.
    public static let jobCompletedTopic = ABI.eventTopic("JobCompleted(bytes32,bytes)")

    /// `submitResult(bytes resultWithMetadata, bytes signature)` calldata.
    public static func submitResultCalldata(resultWithMetadata: [UInt8], signature: [UInt8]) -> [UInt8] {
        ABI.encodeCall(selector: submitResultSelector, arguments: [.bytes(resultWithMetadata), .bytes(signature)])
    }

    /// `submitResultForOffchainJob(bytes offchainResultWithMetadata, bytes signatureOnResult,
    /// bytes jobRequest, bytes signatureOnRequest)` calldata.
    public static func submitResultForOffchainJobCalldata(
        offchainResultWithMetadata: [UInt8], signatureOnResult: [UInt8], jobRequest: [UInt8], signatureOnRequest: [UInt8]
    ) -> [UInt8] {
        ABI.encodeCall(
            selector: submitResultForOffchainJobSelector,
            arguments: [.bytes(offchainResultWithMetadata), .bytes(signatureOnResult), .bytes(jobRequest),
                        .bytes(signatureOnRequest)])
    }

    /// `createJob(uint64 nonce, bytes programID, bytes onchainInput, uint64 maxCycles)` calldata.
    public static func createJobCalldata(nonce: UInt64, programID: [UInt8], onchainInput: [UInt8], maxCycles: UInt64) -> [UInt8] {
        ABI.encodeCall(selector: createJobSelector,
                       arguments: [.uint64(nonce), .bytes(programID), .bytes(onchainInput), .uint64(maxCycles)])
    }

    /// The two arguments of `submitResult` calldata.
    public static func decodeSubmitResultCalldata(_ calldata: [UInt8]) throws(ABIDecodingError)
        -> (resultWithMetadata: [UInt8], signature: [UInt8])
    {
        var fields = ABIFields(try ABI.decodeCall(selector: submitResultSelector, types: [.bytes, .bytes], from: calldata))
        return (fields.bytes(), fields.bytes())
    }

    /// The four arguments of `submitResultForOffchainJob` calldata.
    public static func decodeSubmitResultForOffchainJobCalldata(_ calldata: [UInt8]) throws(ABIDecodingError)
        -> (offchainResultWithMetadata: [UInt8], signatureOnResult: [UInt8], jobRequest: [UInt8], signatureOnRequest: [UInt8])
    {
        var fields = ABIFields(try ABI.decodeCall(
            selector: submitResultForOffchainJobSelector, types: [.bytes, .bytes, .bytes, .bytes], from: calldata))
        return (fields.bytes(), fields.bytes(), fields.bytes(), fields.bytes())
    }
}

/// A decoded `JobCreated` log.
public struct JobCreatedEvent: Hashable, Sendable {
    public var jobID: Bytes32
    public var nonce: UInt64
    public var consumer: Address
    public var maxCycles: UInt64
    public var programID: [UInt8]
    public var onchainInput: [UInt8]

    public init(jobID: Bytes32, nonce: UInt64, consumer: Address, maxCycles: UInt64, programID: [UInt8], onchainInput: [UInt8]) {
        self.jobID = jobID
        self.nonce = nonce
        self.consumer = consumer
        self.maxCycles = maxCycles
        self.programID = programID
        self.onchainInput = onchainInput
    }

    /// Decodes a log's topics ([topic0, jobID, nonce, consumer]) and data
    /// (`abi.encode(maxCycles, programID, onchainInput)`), strictly.
    public init(topics: [Bytes32], data: [UInt8]) throws(EventLogDecodingError) {
        guard topics.count == 4 else { throw .wrongTopicCount(expected: 4, actual: topics.count) }
        guard topics[0] == JobManager.jobCreatedTopic else {
            throw .wrongEventSignature(expected: JobManager.jobCreatedTopic, actual: topics[0])
        }
        do {
            // Indexed value types are stored in a topic exactly as their ABI word.
            var nonceField = ABIFields(try ABI.decode([.uint64], from: topics[2].bytes))
            var consumerField = ABIFields(try ABI.decode([.address], from: topics[3].bytes))
            var dataFields = ABIFields(try ABI.decode([.uint64, .bytes, .bytes], from: data))
            self.init(jobID: topics[1], nonce: nonceField.uint64(), consumer: consumerField.address(),
                      maxCycles: dataFields.uint64(), programID: dataFields.bytes(), onchainInput: dataFields.bytes())
        } catch {
            throw .abi(error)
        }
    }

    /// The log this event produces: its topics and data.
    public var log: (topics: [Bytes32], data: [UInt8]) {
        let nonceTopic = ABI.encode([.uint64(nonce)])
        let consumerTopic = ABI.encode([.address(consumer)])
        return ([JobManager.jobCreatedTopic, jobID, Bytes32(uncheckedBytes: nonceTopic), Bytes32(uncheckedBytes: consumerTopic)],
                ABI.encode([.uint64(maxCycles), .bytes(programID), .bytes(onchainInput)]))
    }
}

public enum EventLogDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongTopicCount(expected: Int, actual: Int)
    case wrongEventSignature(expected: Bytes32, actual: Bytes32)
    case abi(ABIDecodingError)

    public var description: String {
        switch self {
        case .wrongTopicCount(let expected, let actual): return "event log has \(actual) topics, expected \(expected)"
        case .wrongEventSignature(let expected, let actual): return "event topic0 \(actual) is not \(expected)"
        case .abi(let error): return "event log: \(error)"
        }
    }
}
