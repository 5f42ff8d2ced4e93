import Coprocessor
import Ethereum

/// The gateway's JSON bodies: the proto messages of `coprocessor_node.v1` in proto3 JSON style,
/// except that bytes are hex rather than base64 (what Ethereum clients pass around).
///
/// Out: lowerCamelCase names, every field present (proto3 defaults included) except an absent
/// `failureReason`; bytes as lowercase hex without `0x`; enums as numbers; uint64 as decimal strings.
/// In: lowerCamelCase or snake_case names; hex with or without `0x` in either case; enums as numbers
/// or value names; uint64 as numbers or strings; missing or `null` fields take proto3 defaults;
/// unknown fields are ignored (like grpc-gateway's default unmarshaler).
public enum GatewayJSON {
    public struct SubmitJobRequest: Sendable, Equatable, Codable {
        /// ABI-encoded `OffchainJobRequest`.
        public var request: [UInt8]
        public var signature: [UInt8]
        public var offchainInput: [UInt8]
        public var state: [UInt8]

        public init(request: [UInt8] = [], signature: [UInt8] = [], offchainInput: [UInt8] = [], state: [UInt8] = []) {
            self.request = request
            self.signature = signature
            self.offchainInput = offchainInput
            self.state = state
        }

        public init(from decoder: any Decoder) throws {
            let object = try ProtoJSONObject(decoder)
            self.init(
                request: try object.bytes("request"),
                signature: try object.bytes("signature"),
                offchainInput: try object.bytes("offchain_input"),
                state: try object.bytes("state")
            )
        }

        public func encode(to encoder: any Encoder) throws {
            var out = ProtoJSONWriter(encoder)
            out.bytes("request", request)
            out.bytes("signature", signature)
            out.bytes("offchain_input", offchainInput)
            out.bytes("state", state)
        }
    }

    public struct SubmitJobResponse: Sendable, Equatable, Codable {
        public var jobID: [UInt8]

        public init(jobID: [UInt8]) { self.jobID = jobID }

        public init(from decoder: any Decoder) throws {
            self.init(jobID: try ProtoJSONObject(decoder).bytes("job_id"))
        }

        public func encode(to encoder: any Encoder) throws {
            var out = ProtoJSONWriter(encoder)
            out.bytes("job_id", jobID)
        }
    }

    public struct GetResultRequest: Sendable, Equatable, Codable {
        public var jobID: [UInt8]

        public init(jobID: [UInt8] = []) { self.jobID = jobID }

        public init(from decoder: any Decoder) throws {
            self.init(jobID: try ProtoJSONObject(decoder).bytes("job_id"))
        }

        public func encode(to encoder: any Encoder) throws {
            var out = ProtoJSONWriter(encoder)
            out.bytes("job_id", jobID)
        }
    }

    public struct GetResultResponse: Sendable, Equatable, Codable {
        public var jobResult: JobResult?

        public init(jobResult: JobResult?) { self.jobResult = jobResult }

        public init(from decoder: any Decoder) throws {
            self.init(jobResult: try ProtoJSONObject(decoder).message("job_result", as: JobResult.self))
        }

        public func encode(to encoder: any Encoder) throws {
            var out = ProtoJSONWriter(encoder)
            try out.message("job_result", jobResult)
        }
    }

    public struct SubmitProgramRequest: Sendable, Equatable, Codable {
        public var programELF: [UInt8]
        /// `VmType` number: Risc0 = 0, Sp1 = 1.
        public var vmType: Int

        public static let vmTypeNames = ["Risc0": 0, "Sp1": 1]

        public init(programELF: [UInt8] = [], vmType: Int = 0) {
            self.programELF = programELF
            self.vmType = vmType
        }

        public init(from decoder: any Decoder) throws {
            let object = try ProtoJSONObject(decoder)
            self.init(
                programELF: try object.bytes("program_elf"),
                vmType: try object.enumNumber("vm_type", names: Self.vmTypeNames)
            )
        }

        public func encode(to encoder: any Encoder) throws {
            var out = ProtoJSONWriter(encoder)
            out.bytes("program_elf", programELF)
            out.number("vm_type", vmType)
        }
    }

    public struct SubmitProgramResponse: Sendable, Equatable, Codable {
        public var programID: [UInt8]

        public init(programID: [UInt8]) { self.programID = programID }

        public init(from decoder: any Decoder) throws {
            self.init(programID: try ProtoJSONObject(decoder).bytes("program_id"))
        }

        public func encode(to encoder: any Encoder) throws {
            var out = ProtoJSONWriter(encoder)
            out.bytes("program_id", programID)
        }
    }

    public struct GetPendingJobsRequest: Sendable, Equatable, Codable {
        public var consumerAddress: [UInt8]

        public init(consumerAddress: [UInt8] = []) { self.consumerAddress = consumerAddress }

        public init(from decoder: any Decoder) throws {
            self.init(consumerAddress: try ProtoJSONObject(decoder).bytes("consumer_address"))
        }

        public func encode(to encoder: any Encoder) throws {
            var out = ProtoJSONWriter(encoder)
            out.bytes("consumer_address", consumerAddress)
        }
    }

    public struct GetPendingJobsResponse: Sendable, Equatable, Codable {
        /// Nonces of the consumer's PENDING jobs.
        public var pendingJobs: [UInt64]

        public init(pendingJobs: [UInt64]) { self.pendingJobs = pendingJobs }

        public init(from decoder: any Decoder) throws {
            self.init(pendingJobs: try ProtoJSONObject(decoder).uint64List("pending_jobs"))
        }

        public func encode(to encoder: any Encoder) throws {
            var out = ProtoJSONWriter(encoder)
            out.uint64List("pending_jobs", pendingJobs)
        }
    }

    public struct ContainsProgramRequest: Sendable, Equatable, Codable {
        public var programID: [UInt8]

        public init(programID: [UInt8] = []) { self.programID = programID }

        public init(from decoder: any Decoder) throws {
            self.init(programID: try ProtoJSONObject(decoder).bytes("program_id"))
        }

        public func encode(to encoder: any Encoder) throws {
            var out = ProtoJSONWriter(encoder)
            out.bytes("program_id", programID)
        }
    }

    public struct ContainsProgramResponse: Sendable, Equatable, Codable {
        public var contains: Bool

        public init(contains: Bool) { self.contains = contains }

        public init(from decoder: any Decoder) throws {
            self.init(contains: try ProtoJSONObject(decoder).bool("contains"))
        }

        public func encode(to encoder: any Encoder) throws {
            var out = ProtoJSONWriter(encoder)
            out.bool("contains", contains)
        }
    }

    /// The wire's `JobResult`.
    public struct JobResult: Sendable, Equatable, Codable {
        public var id: [UInt8]
        public var nonce: UInt64
        public var maxCycles: UInt64
        public var consumerAddress: [UInt8]
        public var programID: [UInt8]
        public var onchainInput: [UInt8]
        public var offchainInputHash: [UInt8]
        public var stateHash: [UInt8]
        public var requestSignature: [UInt8]
        public var resultWithMetadata: [UInt8]
        public var zkvmOperatorSignature: [UInt8]
        public var status: JobStatus?
        public var relayTxHash: [UInt8]

        public init(id: [UInt8] = [], nonce: UInt64 = 0, maxCycles: UInt64 = 0, consumerAddress: [UInt8] = [],
                    programID: [UInt8] = [], onchainInput: [UInt8] = [], offchainInputHash: [UInt8] = [],
                    stateHash: [UInt8] = [], requestSignature: [UInt8] = [], resultWithMetadata: [UInt8] = [],
                    zkvmOperatorSignature: [UInt8] = [], status: JobStatus? = nil, relayTxHash: [UInt8] = []) {
            self.id = id
            self.nonce = nonce
            self.maxCycles = maxCycles
            self.consumerAddress = consumerAddress
            self.programID = programID
            self.onchainInput = onchainInput
            self.offchainInputHash = offchainInputHash
            self.stateHash = stateHash
            self.requestSignature = requestSignature
            self.resultWithMetadata = resultWithMetadata
            self.zkvmOperatorSignature = zkvmOperatorSignature
            self.status = status
            self.relayTxHash = relayTxHash
        }

        /// Every wire field of a stored job.
        public init(_ job: Job) {
            self.init(
                id: job.id.bytes, nonce: job.nonce, maxCycles: job.maxCycles, consumerAddress: job.consumer.bytes,
                programID: job.programID, onchainInput: job.onchainInput, offchainInputHash: job.offchainInputHash.bytes,
                stateHash: job.stateHash.bytes, requestSignature: job.requestSignature,
                resultWithMetadata: job.resultWithMetadata, zkvmOperatorSignature: job.operatorSignature,
                status: JobStatus(status: job.status.rawValue, failureReason: job.failureReason, retries: job.retries),
                relayTxHash: job.relayTxHash
            )
        }

        public init(from decoder: any Decoder) throws {
            let object = try ProtoJSONObject(decoder)
            self.init(
                id: try object.bytes("id"),
                nonce: try object.uint64("nonce"),
                maxCycles: try object.uint64("max_cycles"),
                consumerAddress: try object.bytes("consumer_address"),
                programID: try object.bytes("program_id"),
                onchainInput: try object.bytes("onchain_input"),
                offchainInputHash: try object.bytes("offchain_input_hash"),
                stateHash: try object.bytes("state_hash"),
                requestSignature: try object.bytes("request_signature"),
                resultWithMetadata: try object.bytes("result_with_metadata"),
                zkvmOperatorSignature: try object.bytes("zkvm_operator_signature"),
                status: try object.message("status", as: JobStatus.self),
                relayTxHash: try object.bytes("relay_tx_hash")
            )
        }

        public func encode(to encoder: any Encoder) throws {
            var out = ProtoJSONWriter(encoder)
            out.bytes("id", id)
            out.uint64("nonce", nonce)
            out.uint64("max_cycles", maxCycles)
            out.bytes("consumer_address", consumerAddress)
            out.bytes("program_id", programID)
            out.bytes("onchain_input", onchainInput)
            out.bytes("offchain_input_hash", offchainInputHash)
            out.bytes("state_hash", stateHash)
            out.bytes("request_signature", requestSignature)
            out.bytes("result_with_metadata", resultWithMetadata)
            out.bytes("zkvm_operator_signature", zkvmOperatorSignature)
            try out.message("status", status)
            out.bytes("relay_tx_hash", relayTxHash)
        }
    }

    /// The wire's `JobStatus`.
    public struct JobStatus: Sendable, Equatable, Codable {
        /// `JobStatusType` number (kept as a number so values this build does not know survive).
        public var status: Int
        /// proto3 `optional`: nil is "absent", which is not the same as "".
        public var failureReason: String?
        public var retries: UInt32

        public static let statusNames = [
            "JOB_STATUS_TYPE_UNSPECIFIED": 0, "JOB_STATUS_TYPE_PENDING": 1, "JOB_STATUS_TYPE_DONE": 2,
            "JOB_STATUS_TYPE_FAILED": 3, "JOB_STATUS_TYPE_RELAYED": 4,
        ]

        public init(status: Int = 0, failureReason: String? = nil, retries: UInt32 = 0) {
            self.status = status
            self.failureReason = failureReason
            self.retries = retries
        }

        /// The core's status type, if this build knows the number.
        public var statusType: JobStatusType? { JobStatusType(rawValue: status) }

        public init(from decoder: any Decoder) throws {
            let object = try ProtoJSONObject(decoder)
            self.init(
                status: try object.enumNumber("status", names: Self.statusNames),
                failureReason: try object.optionalString("failure_reason"),
                retries: try object.uint32("retries")
            )
        }

        public func encode(to encoder: any Encoder) throws {
            var out = ProtoJSONWriter(encoder)
            out.number("status", status)
            if let failureReason { out.string("failure_reason", failureReason) }
            out.number("retries", Int(retries))
        }
    }

    /// The body of every error response: gRPC status code number and message.
    public struct ErrorBody: Sendable, Equatable, Codable {
        public var code: Int
        public var message: String

        public init(code: Int, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// A request field that is present but unusable (wrong JSON type, bad hex, unknown enum name).
    public struct InvalidField: Error, Sendable, Equatable, CustomStringConvertible {
        /// The field name as the client spelled it.
        public var field: String
        public var reason: String

        public var description: String { "invalid field \"\(field)\": \(reason)" }
    }

    /// The body is JSON but not a JSON object.
    public struct NotAnObject: Error, Sendable, CustomStringConvertible {
        public var description: String { "request body must be a JSON object" }
    }
}

// MARK: - proto3 JSON field access

/// Any JSON object key.
struct JSONKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// `max_cycles` → `maxCycles`: the proto3 JSON name of a proto field name.
func lowerCamelCase(_ protoName: String) -> String {
    var out = ""
    var upperNext = false
    for character in protoName {
        if character == "_" {
            upperNext = true
        } else if upperNext {
            out += character.uppercased()
            upperNext = false
        } else {
            out.append(character)
        }
    }
    return out
}

/// Reads fields of one JSON object by proto field name, accepting the lowerCamelCase JSON name or
/// the original snake_case name; absent and `null` fields give proto3 defaults.
struct ProtoJSONObject {
    private let container: KeyedDecodingContainer<JSONKey>

    init(_ decoder: any Decoder) throws {
        do {
            container = try decoder.container(keyedBy: JSONKey.self)
        } catch DecodingError.typeMismatch {
            // Nested messages report their own field; only the top level has an empty path.
            if let field = decoder.codingPath.last {
                throw GatewayJSON.InvalidField(field: field.stringValue, reason: "expected a JSON object")
            }
            throw GatewayJSON.NotAnObject()
        }
    }

    /// The key the client used for `protoName`, unless absent or null.
    private func key(_ protoName: String) -> JSONKey? {
        for name in [lowerCamelCase(protoName), protoName] {
            let key = JSONKey(name)
            if container.contains(key) {
                return (try? container.decodeNil(forKey: key)) == true ? nil : key
            }
        }
        return nil
    }

    private func decode<T: Decodable>(_ type: T.Type, _ key: JSONKey, expected: String) throws -> T {
        do {
            return try container.decode(type, forKey: key)
        } catch let error as GatewayJSON.InvalidField {
            throw error
        } catch {
            throw GatewayJSON.InvalidField(field: key.stringValue, reason: "expected \(expected)")
        }
    }

    func bytes(_ protoName: String) throws -> [UInt8] {
        guard let key = key(protoName) else { return [] }
        let text = try decode(String.self, key, expected: "a hex string")
        do {
            return try Hex.decode(text)
        } catch {
            throw GatewayJSON.InvalidField(field: key.stringValue, reason: error.description)
        }
    }

    func uint64(_ protoName: String) throws -> UInt64 {
        guard let key = key(protoName) else { return 0 }
        return try integer(key, expected: "an unsigned 64-bit integer (number or decimal string)")
    }

    func uint32(_ protoName: String) throws -> UInt32 {
        guard let key = key(protoName) else { return 0 }
        return try integer(key, expected: "an unsigned 32-bit integer (number or decimal string)")
    }

    /// proto3 JSON allows 64-bit integers as strings, since JavaScript numbers lose precision.
    private func integer<T: FixedWidthInteger & Decodable>(_ key: JSONKey, expected: String) throws -> T {
        if let number = try? container.decode(T.self, forKey: key) { return number }
        if let text = try? container.decode(String.self, forKey: key), let number = T(text) { return number }
        throw GatewayJSON.InvalidField(field: key.stringValue, reason: "expected \(expected)")
    }

    func uint64List(_ protoName: String) throws -> [UInt64] {
        guard let key = key(protoName) else { return [] }
        var list: UnkeyedDecodingContainer
        do {
            list = try container.nestedUnkeyedContainer(forKey: key)
        } catch {
            throw GatewayJSON.InvalidField(field: key.stringValue, reason: "expected an array")
        }
        var values: [UInt64] = []
        while !list.isAtEnd {
            if let number = try? list.decode(UInt64.self) {
                values.append(number)
            } else if let text = try? list.decode(String.self), let number = UInt64(text) {
                values.append(number)
            } else {
                throw GatewayJSON.InvalidField(
                    field: "\(key.stringValue)[\(list.currentIndex)]", reason: "expected an unsigned 64-bit integer")
            }
        }
        return values
    }

    func bool(_ protoName: String) throws -> Bool {
        guard let key = key(protoName) else { return false }
        return try decode(Bool.self, key, expected: "true or false")
    }

    func optionalString(_ protoName: String) throws -> String? {
        guard let key = key(protoName) else { return nil }
        return try decode(String.self, key, expected: "a string")
    }

    /// An enum as its number, or as a value name (exact, or ignoring case).
    func enumNumber(_ protoName: String, names: [String: Int]) throws -> Int {
        guard let key = key(protoName) else { return 0 }
        if let number = try? container.decode(Int32.self, forKey: key) { return Int(number) }
        if let name = try? container.decode(String.self, forKey: key) {
            if let number = names[name] ?? names.first(where: { $0.key.lowercased() == name.lowercased() })?.value {
                return number
            }
            let known = names.sorted { $0.value < $1.value }.map(\.key).joined(separator: ", ")
            throw GatewayJSON.InvalidField(field: key.stringValue, reason: "unknown value \"\(name)\" (expected a number or one of \(known))")
        }
        throw GatewayJSON.InvalidField(field: key.stringValue, reason: "expected an enum number or name")
    }

    func message<T: Decodable>(_ protoName: String, as type: T.Type) throws -> T? {
        guard let key = key(protoName) else { return nil }
        return try decode(type, key, expected: "a JSON object")
    }
}

/// Writes fields of one JSON object under their lowerCamelCase names.
struct ProtoJSONWriter {
    private var container: KeyedEncodingContainer<JSONKey>

    init(_ encoder: any Encoder) {
        container = encoder.container(keyedBy: JSONKey.self)
    }

    // Encoding a String, number or Bool into a JSON container only fails for non-finite floats,
    // which never occur here, so these writers swallow the impossible error.
    mutating func bytes(_ protoName: String, _ value: [UInt8]) {
        try? container.encode(Hex.encode(value, prefixed: false), forKey: JSONKey(lowerCamelCase(protoName)))
    }

    mutating func uint64(_ protoName: String, _ value: UInt64) {
        try? container.encode(String(value), forKey: JSONKey(lowerCamelCase(protoName)))
    }

    mutating func uint64List(_ protoName: String, _ values: [UInt64]) {
        try? container.encode(values.map { String($0) }, forKey: JSONKey(lowerCamelCase(protoName)))
    }

    mutating func number(_ protoName: String, _ value: Int) {
        try? container.encode(value, forKey: JSONKey(lowerCamelCase(protoName)))
    }

    mutating func bool(_ protoName: String, _ value: Bool) {
        try? container.encode(value, forKey: JSONKey(lowerCamelCase(protoName)))
    }

    mutating func string(_ protoName: String, _ value: String) {
        try? container.encode(value, forKey: JSONKey(lowerCamelCase(protoName)))
    }

    /// Absent messages are omitted (proto3 JSON has no default for a message field).
    mutating func message<T: Encodable>(_ protoName: String, _ value: T?) throws {
        guard let value else { return }
        try container.encode(value, forKey: JSONKey(lowerCamelCase(protoName)))
    }
}
