import CoprocessorWire
import TestSupport

/// A message of any type with its codings, for tests that treat every message alike.
struct AnyWireMessage: Sendable, CustomStringConvertible {
    let name: String
    let protobuf: [UInt8]
    let json: [UInt8]
    /// Decodes `bytes` as this message's type and writes it back as (protobuf, JSON).
    let recode: @Sendable ([UInt8]) throws -> (protobuf: [UInt8], json: [UInt8])

    init<M: WireMessage>(_ message: M) {
        name = M.wireName
        protobuf = ProtobufWriter.encode(message)
        json = JSONWriter.encode(message)
        recode = { bytes in
            let decoded = try ProtobufReader.decode(M.self, from: bytes)
            return (ProtobufWriter.encode(decoded), JSONWriter.encode(decoded))
        }
    }

    var description: String { "\(name) \(String(decoding: json, as: UTF8.self).prefix(300))" }
}

/// Random and sample messages: every field set, each at a default some of the time, with the
/// values codecs get wrong (varint boundaries, 2^64 - 1, unknown and negative enum numbers, empty
/// but present strings and messages, escapes and non-ASCII text).
enum Messages {
    /// Every message type, by its `.proto` name (`allTypesAreCovered` checks it against the service).
    static let types: [any WireMessage.Type] = [
        SubmitJobRequest.self, SubmitJobResponse.self, GetResultRequest.self, GetResultResponse.self, JobResult.self,
        JobStatus.self, SubmitProgramRequest.self, SubmitProgramResponse.self, GetPendingJobsRequest.self,
        GetPendingJobsResponse.self, ContainsProgramRequest.self, ContainsProgramResponse.self,
    ]

    static func type(named name: String) -> (any WireMessage.Type)? { types.first { $0.wireName == name } }

    /// `count` random messages of every type.
    static func random(count: Int, seed: UInt64) -> [AnyWireMessage] {
        var g = SeededGenerator(seed: seed)
        var out: [AnyWireMessage] = []
        for _ in 0..<count {
            out.append(AnyWireMessage(SubmitJobRequest(request: bytes(&g), signature: bytes(&g),
                                                       offchainInput: bytes(&g), state: bytes(&g),
                                                       relayStrategy: RelayStrategyType(rawValue: enumNumber(&g)))))
            out.append(AnyWireMessage(SubmitJobResponse(jobID: bytes(&g))))
            out.append(AnyWireMessage(GetResultRequest(jobID: bytes(&g))))
            out.append(AnyWireMessage(GetResultResponse(jobResult: chance(&g) ? jobResult(&g) : nil)))
            out.append(AnyWireMessage(jobResult(&g)))
            out.append(AnyWireMessage(jobStatus(&g)))
            out.append(AnyWireMessage(SubmitProgramRequest(programELF: bytes(&g), vmType: VmType(rawValue: enumNumber(&g)))))
            out.append(AnyWireMessage(SubmitProgramResponse(programID: bytes(&g))))
            out.append(AnyWireMessage(GetPendingJobsRequest(consumerAddress: bytes(&g))))
            out.append(AnyWireMessage(GetPendingJobsResponse(pendingJobs: (0..<Int.random(in: 0...8, using: &g)).map { _ in
                uint64(&g)
            })))
            out.append(AnyWireMessage(ContainsProgramRequest(programID: bytes(&g))))
            out.append(AnyWireMessage(ContainsProgramResponse(contains: chance(&g))))
        }
        return out
    }

    /// A job result with short, distinct values in every field (for hand-written encodings).
    static func shortJobResult(_ status: JobStatus?) -> JobResult {
        var r = JobResult()
        r.id = [0x01, 0x02]
        r.nonce = .max
        r.maxCycles = 1_000_000
        r.consumerAddress = [0xab]
        r.programID = [0xcd, 0xef]
        r.offchainInputHash = [0x00]
        r.stateHash = [0xff]
        r.requestSignature = [0x0a]
        r.resultWithMetadata = [0x0b, 0x0c]
        r.zkvmOperatorSignature = [0x0d]
        r.status = status
        r.relayTxHash = [0xee]
        return r
    }

    /// One message of every type with every field set to a value other than its default.
    static let full: [any WireMessage] = [
        SubmitJobRequest(request: pattern(300, from: 1), signature: pattern(65, from: 2), offchainInput: [3],
                         state: pattern(40, from: 4), relayStrategy: .ordered),
        SubmitJobResponse(jobID: pattern(32, from: 5)),
        GetResultRequest(jobID: pattern(32, from: 6)),
        GetResultResponse(jobResult: FakeNodeAPI.sampleJobResult()),
        FakeNodeAPI.sampleJobResult(status: JobStatusType(rawValue: -7), failureReason: "ünïcode \"\u{0}\" 🚀"),
        JobStatus(status: .relayed, failureReason: "", retries: .max),
        SubmitProgramRequest(programELF: pattern(5000, from: 0x7f), vmType: .sp1),
        SubmitProgramResponse(programID: pattern(32, from: 7)),
        GetPendingJobsRequest(consumerAddress: pattern(20, from: 8)),
        GetPendingJobsResponse(pendingJobs: [0, 1, 127, 128, 300, 1 << 63, .max]),
        ContainsProgramRequest(programID: pattern(32, from: 9)),
        ContainsProgramResponse(contains: true),
    ]

    static func jobResult(_ g: inout SeededGenerator) -> JobResult {
        var r = JobResult()
        r.id = bytes(&g)
        r.nonce = uint64(&g)
        r.maxCycles = uint64(&g)
        r.consumerAddress = bytes(&g)
        r.programID = bytes(&g)
        r.onchainInput = bytes(&g)
        r.offchainInputHash = bytes(&g)
        r.stateHash = bytes(&g)
        r.requestSignature = bytes(&g)
        r.resultWithMetadata = bytes(&g)
        r.zkvmOperatorSignature = bytes(&g)
        r.status = chance(&g) ? jobStatus(&g) : nil
        r.relayTxHash = bytes(&g)
        return r
    }

    static func jobStatus(_ g: inout SeededGenerator) -> JobStatus {
        let uint32Edges: [UInt32] = [0, 1, 127, 128, 16_383, 16_384, .max - 1, .max]
        return JobStatus(status: JobStatusType(rawValue: enumNumber(&g)),
                         failureReason: chance(&g) ? nil : text(&g),
                         retries: chance(&g) ? uint32Edges.randomElement(using: &g)! : UInt32.random(in: 0...(.max), using: &g))
    }

    /// True three times in four.
    static func chance(_ g: inout SeededGenerator) -> Bool { UInt8.random(in: 0..<4, using: &g) != 0 }

    static func bytes(_ g: inout SeededGenerator) -> [UInt8] {
        let lengths = [0, 0, 1, 20, 32, 65, 127, 128, Int.random(in: 0...400, using: &g)]
        return (0..<lengths.randomElement(using: &g)!).map { _ in UInt8.random(in: 0...255, using: &g) }
    }

    static func uint64(_ g: inout SeededGenerator) -> UInt64 {
        let edges: [UInt64] = [0, 1, 127, 128, 255, 16_383, 16_384, 1 << 31, 1 << 32 - 1, 1 << 32, 1 << 53 + 1,
                               1 << 63, .max - 1, .max]
        return chance(&g) ? edges.randomElement(using: &g)! : g.next() >> UInt64.random(in: 0...63, using: &g)
    }

    /// Named values most of the time; otherwise numbers without a name, negative ones included.
    static func enumNumber(_ g: inout SeededGenerator) -> Int32 {
        let unusual: [Int32] = [-1, .min, .max, 5, 127, 128, Int32.random(in: .min ... .max, using: &g)]
        return chance(&g) ? Int32.random(in: 0...4, using: &g) : unusual.randomElement(using: &g)!
    }

    /// Text with what JSON and UTF-8 care about: quotes, backslashes, control characters,
    /// two-, three- and four-byte characters, and the empty string.
    static func text(_ g: inout SeededGenerator) -> String {
        let pool: [Character] = ["\"", "\\", "/", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{00}", "\u{01}", "\u{1F}",
                                 "\u{7F}", "é", "€", "🚀", "a", " ", "\u{2028}"]
        return String((0..<Int.random(in: 0...24, using: &g)).map { _ in
            if chance(&g) { return pool.randomElement(using: &g)! }
            let scalar = Unicode.Scalar(UInt32.random(in: 0x20...0x10FFFF, using: &g)) ?? "x"
            return Character(scalar)
        })
    }
}
