#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import Ethereum

/// SplitMix64: small, fast, and deterministic for a given seed, so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

@Suite("ABI property and fuzz tests")
struct ABIFuzzTests {
    // MARK: Generators

    static func randomBytes(_ count: Int, using rng: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    static func randomValue(depth: Int, using rng: inout SplitMix64) -> ABIValue {
        switch Int.random(in: 0...(depth > 0 ? 7 : 5), using: &rng) {
        case 0: return .uint64(rng.next() >> UInt64.random(in: 0...63, using: &rng))
        case 1: return .uint256(UInt256(limbs: (rng.next(), rng.next(), rng.next(), rng.next())))
        case 2: return .address(try! Address(bytes: randomBytes(20, using: &rng)))
        case 3: return .bytes32(try! Bytes32(randomBytes(32, using: &rng)))
        case 4: return .bool(Bool.random(using: &rng))
        case 5: return .bytes(randomBytes(Int.random(in: 0...70, using: &rng), using: &rng))
        default:
            let count = Int.random(in: 0...4, using: &rng)
            return .tuple((0..<count).map { _ in randomValue(depth: depth - 1, using: &rng) })
        }
    }

    /// The layouts the node decodes from untrusted input, with a valid sample of each.
    static func typedSamples(using rng: inout SplitMix64) -> [(name: String, data: [UInt8], decodeAndReencode: ([UInt8]) throws(ABIDecodingError) -> [UInt8])] {
        let payload = randomBytes(Int.random(in: 0...80, using: &rng), using: &rng)
        let request = OffchainJobRequest(
            nonce: rng.next(), maxCycles: rng.next(), consumer: try! Address(bytes: randomBytes(20, using: &rng)),
            programID: payload, onchainInput: randomBytes(Int.random(in: 0...40, using: &rng), using: &rng),
            offchainInputHash: Keccak256.hash(payload), stateHash: Keccak256.hash(payload.reversed()))
        let result = ResultWithMetadata(jobID: request.jobID, onchainInputHash: Keccak256.hash(request.onchainInput),
                                        maxCycles: request.maxCycles, programID: payload, result: request.onchainInput)
        let offchain = OffchainResultWithMetadata(
            jobID: request.jobID, onchainInputHash: result.onchainInputHash, offchainInputHash: request.offchainInputHash,
            stateHash: request.stateHash, maxCycles: request.maxCycles, programID: payload, result: payload + payload)
        let stateful = StatefulProgramResult(nextStateHash: request.stateHash, result: payload)
        return [
            ("OffchainJobRequest", request.abiEncoded(), { data throws(ABIDecodingError) in try OffchainJobRequest(abiEncoded: data).abiEncoded() }),
            ("ResultWithMetadata", result.abiEncoded(), { data throws(ABIDecodingError) in try ResultWithMetadata(abiEncoded: data).abiEncoded() }),
            ("OffchainResultWithMetadata", offchain.abiEncoded(), { data throws(ABIDecodingError) in try OffchainResultWithMetadata(abiEncoded: data).abiEncoded() }),
            ("StatefulProgramResult", stateful.abiEncoded(), { data throws(ABIDecodingError) in try StatefulProgramResult(abiEncoded: data).abiEncoded() }),
        ]
    }

    /// Words a hostile encoder would try: zero, tiny, near the data size, huge.
    static func interestingWord(dataCount: Int, using rng: inout SplitMix64) -> [UInt8] {
        let choices: [UInt256] = [
            .zero, UInt256(1), UInt256(0x20), UInt256(0x1f), UInt256(UInt64(dataCount)), UInt256(UInt64(dataCount + 1)),
            UInt256(UInt64(max(dataCount - 32, 0))), UInt256(1 << 31), UInt256(.max), UInt256(limbs: (0, 0, 1, 0)), .max,
            UInt256(UInt64.random(in: 0...UInt64(dataCount + 64), using: &rng)),
        ]
        return choices[Int.random(in: 0..<choices.count, using: &rng)].bigEndianBytes
    }

    // MARK: Properties

    @Test("random values round-trip; every truncation and any extra byte is rejected")
    func randomRoundTrips() throws {
        var rng = SplitMix64(seed: 0x5eed_0001)
        for iteration in 0..<400 {
            let values = (0..<Int.random(in: 0...4, using: &rng)).map { _ in Self.randomValue(depth: 3, using: &rng) }
            let types = values.map(\.type)
            let encoded = ABI.encode(values)
            #expect(encoded.count % 32 == 0)
            #expect(try ABI.decode(types, from: encoded) == values, "iteration \(iteration)")
            // Any strict prefix is missing something the layout needs.
            for cut in Set([0, encoded.count / 2, max(encoded.count - 1, 0), Int.random(in: 0...encoded.count, using: &rng)])
            where cut < encoded.count {
                #expect(throws: ABIDecodingError.self, "iteration \(iteration), cut at \(cut)") {
                    try ABI.decode(types, from: Array(encoded.prefix(cut)))
                }
            }
            #expect(throws: ABIDecodingError.trailingData(at: encoded.count, count: 1)) {
                try ABI.decode(types, from: encoded + [0])
            }
        }
    }

    @Test("mutated encodings: decoding either fails with a typed error or re-encodes to the exact input")
    func mutations() {
        var rng = SplitMix64(seed: 0x5eed_0002)
        var accepted = 0
        var rejected = 0
        for _ in 0..<300 {
            for sample in Self.typedSamples(using: &rng) {
                for _ in 0..<10 {
                    var data = sample.data
                    switch Int.random(in: 0...4, using: &rng) {
                    case 0:  // flip one byte anywhere
                        if !data.isEmpty { data[Int.random(in: 0..<data.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng) }
                    case 1:  // overwrite a whole word with a hostile value
                        let word = Int.random(in: 0..<(data.count / 32), using: &rng) * 32
                        data.replaceSubrange(word..<(word + 32), with: Self.interestingWord(dataCount: data.count, using: &rng))
                    case 2:  // truncate
                        data = Array(data.prefix(Int.random(in: 0..<data.count, using: &rng)))
                    case 3:  // extend
                        data += Self.randomBytes(Int.random(in: 1...64, using: &rng), using: &rng)
                    default:  // set one byte of the last word (often bytes contents or padding)
                        data[data.count - 1 - Int.random(in: 0..<32, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    }
                    do {
                        let reencoded = try sample.decodeAndReencode(data)
                        // Strict decoding accepts only canonical encodings: one value, one byte string.
                        #expect(reencoded == data, "\(sample.name) accepted a non-canonical encoding \(data.hexString)")
                        accepted += 1
                    } catch {
                        rejected += 1
                    }
                }
            }
        }
        // Both outcomes must actually occur, or the mutations are not exercising the decoder.
        #expect(accepted > 2000)
        #expect(rejected > 6000)
    }

    @Test("random byte strings never crash any typed decoder, and only canonical ones are accepted")
    func randomBytes() {
        var rng = SplitMix64(seed: 0x5eed_0003)
        var rejected = 0
        for _ in 0..<3000 {
            // Byte strings made of plausible words, so that offsets and lengths sometimes line up.
            let words = Int.random(in: 0...16, using: &rng)
            var data = [UInt8]()
            for _ in 0..<words {
                data += Bool.random(using: &rng) ? Self.interestingWord(dataCount: words * 32, using: &rng)
                                                 : Self.randomBytes(32, using: &rng)
            }
            if Int.random(in: 0..<4, using: &rng) == 0 { data += Self.randomBytes(Int.random(in: 1...31, using: &rng), using: &rng) }
            for sample in Self.typedSamples(using: &rng) {
                do {
                    #expect(try sample.decodeAndReencode(data) == data, "\(sample.name)")
                } catch {
                    rejected += 1
                }
            }
            do {
                let event = try JobCreatedEvent(topics: [JobManager.jobCreatedTopic, .zero, .zero, .zero], data: data)
                #expect(event.log.data == data)
            } catch {
                rejected += 1
            }
        }
        #expect(rejected > 10000)
    }

    @Test("hostile length fields are rejected without allocating")
    func hostileLengthsDoNotAllocate() throws {
        let request = ABICodecTests.request.abiEncoded()
        let baseline = Self.maxResidentBytes()
        var rejected = 0
        // Lengths up to 2^64-1 on programID (length word at byte 256): a decoder that trusted them
        // would allocate gigabytes before noticing the data is 384 bytes long.
        for shift in stride(from: 8, through: 63, by: 1) {
            let length = UInt256(UInt64(1) << UInt64(shift) | 0x1f)
            let hostile = ABICodecTests.withWord(request, at: 256, length.bigEndianBytes)
            for _ in 0..<200 {
                do {
                    _ = try OffchainJobRequest(abiEncoded: hostile)
                } catch {
                    #expect(error == .lengthOutOfRange(at: 256, length: length, available: 96))
                    rejected += 1
                }
            }
        }
        #expect(rejected == 56 * 200)
        let growth = Self.maxResidentBytes() - baseline
        #expect(growth < 64 << 20, "peak memory grew by \(growth) bytes")
    }

    /// Peak resident set size of this process, in bytes.
    static func maxResidentBytes() -> Int {
        var usage = rusage()
        #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)  // bytes on Darwin
        #else
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
        #endif
    }
}
