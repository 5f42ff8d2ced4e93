import Testing
import Ethereum

@Suite("ABI codec")
struct ABICodecTests {
    // MARK: Against eth-abi (expected bytes from scripts/gen_eth_vectors.py, eth-abi 6.0.0)

    @Test("static parameters: uint256 max, bool, bytes32, address")
    func staticParameters() throws {
        let expected = "0x" +
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
            "0000000000000000000000000000000000000000000000000000000000000001" +
            "1111111111111111111111111111111111111111111111111111111111111111" +
            "00000000000000000000000000000000000000000000000000000000deadbeef"
        let values: [ABIValue] = [
            .uint256(.max), .bool(true), .bytes32(try Bytes32([UInt8](repeating: 0x11, count: 32))),
            .address(try Address(hex: "0x00000000000000000000000000000000DeaDBeef")),
        ]
        #expect(ABI.encode(values).hexString == expected)
        #expect(try ABI.decode([.uint256, .bool, .bytes32, .address], from: bytes(expected)) == values)
    }

    @Test("nested static and dynamic tuples")
    func nestedTuples() throws {
        let expected = "0x" +
            "0000000000000000000000000000000000000000000000000000000000000020" +
            "0000000000000000000000000000000000000000000000000000000000000007" +
            "2222222222222222222222222222222222222222222222222222222222222222" +
            "0000000000000000000000000000000000000000000000000000000000000000" +
            "00000000000000000000000000000000000000000000000000000000000000a0" +
            "00000000000000000000000000000000000000000000000000000000000000e0" +
            "0000000000000000000000000000000000000000000000000000000000000003" +
            "0102030000000000000000000000000000000000000000000000000000000000" +
            "0000000000000000000000000000000000000000000000000000000000000040" +
            "000000000000000000000000000000000000000000000000ffffffffffffffff" +
            "0000000000000000000000000000000000000000000000000000000000000021" +
            "7878787878787878787878787878787878787878787878787878787878787878" +
            "7800000000000000000000000000000000000000000000000000000000000000"
        let type = ABIType.tuple([.uint64, .tuple([.bytes32, .bool]), .bytes, .tuple([.bytes, .uint64])])
        #expect(type.description == "(uint64,(bytes32,bool),bytes,(bytes,uint64))")
        #expect(type.isDynamic)
        #expect(ABIType.tuple([.bytes32, .bool]).headSize == 64)
        let value = ABIValue.tuple([
            .uint64(7), .tuple([.bytes32(try Bytes32([UInt8](repeating: 0x22, count: 32))), .bool(false)]),
            .bytes([1, 2, 3]), .tuple([.bytes([UInt8](repeating: 0x78, count: 33)), .uint64(.max)]),
        ])
        #expect(value.type == type)
        #expect(ABI.encode([value]).hexString == expected)
        #expect(try ABI.decode([type], from: bytes(expected)) == [value])
    }

    @Test("dynamic bytes: empty, exactly one word, two words")
    func bytesPadding() throws {
        let expected = "0x" +
            "0000000000000000000000000000000000000000000000000000000000000060" +
            "0000000000000000000000000000000000000000000000000000000000000080" +
            "00000000000000000000000000000000000000000000000000000000000000c0" +
            "0000000000000000000000000000000000000000000000000000000000000000" +
            "0000000000000000000000000000000000000000000000000000000000000020" +
            "abababababababababababababababababababababababababababababababab" +
            "0000000000000000000000000000000000000000000000000000000000000040" +
            "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd" +
            "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
        let values: [ABIValue] = [
            .bytes([]), .bytes([UInt8](repeating: 0xab, count: 32)), .bytes([UInt8](repeating: 0xcd, count: 64)),
        ]
        #expect(ABI.encode(values).hexString == expected)
        #expect(try ABI.decode([.bytes, .bytes, .bytes], from: bytes(expected)) == values)
    }

    @Test("abi.encodePacked(uint64, address) is the 28-byte job id preimage")
    func encodePacked() throws {
        let consumer = try Address(hex: "0x5FbDB2315678afecb367f032d93F642f64180aa3")
        let packed = ABI.encodePacked([.uint64(1), .address(consumer)])
        #expect(packed.hexString == "0x00000000000000015fbdb2315678afecb367f032d93f642f64180aa3")
        #expect(JobID.packedPreimage(nonce: 1, consumer: consumer) == packed)
        #expect(JobID.compute(nonce: 1, consumer: consumer) == Keccak256.hash(packed))
        #expect(ABI.encodePacked([.bool(true), .bytes([9, 9]), .tuple([.uint64(0x0102)])]).hexString == "0x0109090000000000000102")
    }

    // MARK: Typed structs

    static let consumer = try! Address(hex: "0x5FbDB2315678afecb367f032d93F642f64180aa3")

    /// A request whose encoding has a known layout:
    ///   0   offset 0x20          | 32  nonce     | 64  maxCycles | 96 consumer
    ///   128 programID offset     | 160 onchainInput offset | 192 offchainInputHash | 224 stateHash
    ///   256 programID length (3) | 288 programID + padding
    ///   320 onchainInput length (32) | 352 onchainInput      (384 bytes in all)
    static let request = OffchainJobRequest(
        nonce: 1, maxCycles: 1_000_000, consumer: consumer, programID: [0xaa, 0xbb, 0xcc],
        onchainInput: [UInt8](repeating: 0x45, count: 32), offchainInputHash: Keccak256.hash([UInt8]()),
        stateHash: Keccak256.hash([UInt8]()))

    @Test("typed structs round-trip, including empty and odd-sized bytes")
    func typedRoundTrips() throws {
        let encoded = Self.request.abiEncoded()
        #expect(encoded.count == 384)
        #expect(Array(encoded[0..<32]) == ABI.encode([.uint64(0x20)]))
        #expect(try OffchainJobRequest(abiEncoded: encoded) == Self.request)

        for size in [0, 1, 31, 32, 33, 100] {
            let payload = KeccakTests.pattern(size)
            var request = Self.request
            request.programID = payload
            request.onchainInput = payload.reversed()
            #expect(try OffchainJobRequest(abiEncoded: request.abiEncoded()) == request)

            let result = ResultWithMetadata(jobID: request.jobID, onchainInputHash: Keccak256.hash(payload),
                                            maxCycles: .max, programID: payload, result: payload + payload)
            #expect(try ResultWithMetadata(abiEncoded: result.abiEncoded()) == result)

            let offchain = OffchainResultWithMetadata(
                jobID: request.jobID, onchainInputHash: .zero, offchainInputHash: Keccak256.hash(payload),
                stateHash: Keccak256.hash(payload + [1]), maxCycles: 0, programID: [], result: payload)
            #expect(try OffchainResultWithMetadata(abiEncoded: offchain.abiEncoded()) == offchain)

            let stateful = StatefulProgramResult(nextStateHash: Keccak256.hash(payload), result: payload)
            let statefulEncoded = stateful.abiEncoded()
            #expect(statefulEncoded.count == 32 + 64 + 32 + (size + 31) / 32 * 32)
            #expect(try StatefulProgramResult(abiEncoded: statefulEncoded) == stateful)
        }
    }

    @Test("createJob calldata")
    func createJobCalldata() throws {
        let calldata = JobManager.createJobCalldata(nonce: 5, programID: [1], onchainInput: [], maxCycles: 77)
        #expect(Array(calldata.prefix(4)) == ABI.selector("createJob(uint64,bytes,bytes,uint64)"))
        let arguments = try ABI.decodeCall(selector: JobManager.createJobSelector,
                                           types: [.uint64, .bytes, .bytes, .uint64], from: calldata)
        #expect(arguments == [.uint64(5), .bytes([1]), .bytes([]), .uint64(77)])
    }

    // MARK: Strict rejection, one test per error

    static func mutated(_ data: [UInt8], _ edits: [Int: UInt8]) -> [UInt8] {
        var copy = data
        for (index, byte) in edits { copy[index] = byte }
        return copy
    }

    static func withWord(_ data: [UInt8], at position: Int, _ word: [UInt8]) -> [UInt8] {
        var copy = data
        copy.replaceSubrange(position..<(position + 32), with: word)
        return copy
    }

    @Test("truncated data")
    func truncated() {
        let encoded = Self.request.abiEncoded()
        #expect(throws: ABIDecodingError.truncated(at: 0, needed: 32, available: 0)) { try OffchainJobRequest(abiEncoded: []) }
        #expect(throws: ABIDecodingError.truncated(at: 32, needed: 224, available: 68)) {
            try OffchainJobRequest(abiEncoded: Array(encoded.prefix(100)))
        }
        // Cut inside programID's padding: the 3 content bytes are there, the padding is not.
        #expect(throws: ABIDecodingError.truncated(at: 288, needed: 32, available: 4)) {
            try OffchainJobRequest(abiEncoded: Array(encoded.prefix(292)))
        }
        // Cut right before the length word of onchainInput.
        #expect(throws: ABIDecodingError.truncated(at: 320, needed: 32, available: 0)) {
            try OffchainJobRequest(abiEncoded: Array(encoded.prefix(320)))
        }
        #expect(throws: ABIDecodingError.truncated(at: 0, needed: 4, available: 3)) {
            try JobManager.decodeSubmitResultCalldata([0xea, 0x25, 0x34])
        }
    }

    @Test("lengths beyond the data, including hostile ones, fail before any allocation")
    func lengthOutOfRange() {
        let encoded = Self.request.abiEncoded()
        // onchainInput claims 33 bytes where 32 remain.
        #expect(throws: ABIDecodingError.lengthOutOfRange(at: 320, length: UInt256(33), available: 32)) {
            try OffchainJobRequest(abiEncoded: Self.mutated(encoded, [351: 33]))
        }
        #expect(throws: ABIDecodingError.lengthOutOfRange(at: 320, length: UInt256(32), available: 31)) {
            try OffchainJobRequest(abiEncoded: Array(encoded.dropLast()))
        }
        for hostile in [UInt256(1 << 32), UInt256(.max), UInt256(limbs: (0, 0, 1, 0)), UInt256.max] {
            #expect(throws: ABIDecodingError.lengthOutOfRange(at: 256, length: hostile, available: 96)) {
                try OffchainJobRequest(abiEncoded: Self.withWord(encoded, at: 256, hostile.bigEndianBytes))
            }
        }
    }

    @Test("offsets out of range or not canonical")
    func offsets() {
        let encoded = Self.request.abiEncoded()
        #expect(throws: ABIDecodingError.offsetOutOfRange(at: 128, offset: UInt256(0x1000), available: 352)) {
            try OffchainJobRequest(abiEncoded: Self.withWord(encoded, at: 128, UInt256(0x1000).bigEndianBytes))
        }
        #expect(throws: ABIDecodingError.offsetOutOfRange(at: 0, offset: UInt256.max, available: 384)) {
            try OffchainJobRequest(abiEncoded: Self.withWord(encoded, at: 0, UInt256.max.bigEndianBytes))
        }
        // In range, but pointing at onchainInput's tail: the two fields would alias.
        #expect(throws: ABIDecodingError.nonCanonicalOffset(at: 128, expected: 224, found: 288)) {
            try OffchainJobRequest(abiEncoded: Self.withWord(encoded, at: 128, UInt256(288).bigEndianBytes))
        }
        // A leading offset other than 0x20 (e.g. a gap before the struct).
        #expect(throws: ABIDecodingError.nonCanonicalOffset(at: 0, expected: 32, found: 64)) {
            try OffchainJobRequest(abiEncoded: Self.withWord(encoded, at: 0, UInt256(64).bigEndianBytes))
        }
    }

    @Test("dirty padding on uint64, address, bool and bytes; invalid bool")
    func dirtyPadding() throws {
        let encoded = Self.request.abiEncoded()
        #expect(throws: ABIDecodingError.dirtyPadding(at: 32, type: .uint64)) {
            try OffchainJobRequest(abiEncoded: Self.mutated(encoded, [32: 1]))
        }
        #expect(throws: ABIDecodingError.dirtyPadding(at: 87, type: .uint64)) {
            try OffchainJobRequest(abiEncoded: Self.mutated(encoded, [87: 0x80]))
        }
        #expect(throws: ABIDecodingError.dirtyPadding(at: 107, type: .address)) {
            try OffchainJobRequest(abiEncoded: Self.mutated(encoded, [107: 0xff]))
        }
        #expect(throws: ABIDecodingError.dirtyPadding(at: 319, type: .bytes)) {
            try OffchainJobRequest(abiEncoded: Self.mutated(encoded, [319: 1]))
        }
        let one = ABI.encode([.bool(true)])
        #expect(throws: ABIDecodingError.invalidBool(at: 31, value: 2)) { try ABI.decode([.bool], from: Self.mutated(one, [31: 2])) }
        #expect(throws: ABIDecodingError.dirtyPadding(at: 0, type: .bool)) { try ABI.decode([.bool], from: Self.mutated(one, [0: 1])) }
        #expect(try ABI.decode([.bool], from: one) == [.bool(true)])
        // bytes32 and uint256 use the whole word, so any value is valid.
        let ones = [UInt8](repeating: 0xff, count: 32)
        #expect(try ABI.decode([.uint256, .bytes32], from: ones + ones) == [.uint256(.max), .bytes32(try Bytes32(ones))])
    }

    @Test("trailing data and wrong selector")
    func trailingAndSelector() {
        let encoded = Self.request.abiEncoded()
        #expect(throws: ABIDecodingError.trailingData(at: 384, count: 1)) {
            try OffchainJobRequest(abiEncoded: encoded + [0])
        }
        #expect(throws: ABIDecodingError.trailingData(at: 384, count: 32)) {
            try OffchainJobRequest(abiEncoded: encoded + [UInt8](repeating: 0, count: 32))
        }
        let calldata = JobManager.submitResultCalldata(resultWithMetadata: [1], signature: [2])
        #expect(throws: ABIDecodingError.wrongSelector(expected: JobManager.submitResultForOffchainJobSelector,
                                                       found: JobManager.submitResultSelector)) {
            try JobManager.decodeSubmitResultForOffchainJobCalldata(calldata)
        }
        #expect(throws: ABIDecodingError.trailingData(at: 192, count: 4)) {
            try JobManager.decodeSubmitResultCalldata(calldata + [0, 0, 0, 0])
        }
    }

    @Test("errors describe themselves")
    func descriptions() {
        #expect(ABIDecodingError.lengthOutOfRange(at: 256, length: .max, available: 96).description
            == "ABI length 115792089237316195423570985008687907853269984665640564039457584007913129639935 at byte 256 exceeds the 96 bytes that follow")
        #expect(ABIDecodingError.dirtyPadding(at: 107, type: .address).description == "ABI address at byte 107 has non-zero padding bits")
        #expect(ABIDecodingError.wrongSelector(expected: [1, 2, 3, 4], found: [5, 6, 7, 8]).description
            == "calldata selector 0x05060708 does not match 0x01020304")
        #expect(JobRequestValidationError.maxCyclesZero.description == "job max cycles must be positive")
    }

    @Test("request validation")
    func validation() throws {
        try Self.request.validate(offchainInput: [], state: [])
        var request = Self.request
        request.maxCycles = 0
        #expect(throws: JobRequestValidationError.maxCyclesZero) { try request.validate(offchainInput: [], state: []) }
        request = Self.request
        request.programID = []
        #expect(throws: JobRequestValidationError.emptyProgramID) { try request.validate(offchainInput: [], state: []) }
        #expect(throws: JobRequestValidationError.offchainInputHashMismatch(inRequest: Keccak256.hash([UInt8]()),
                                                                          computed: Keccak256.hash([1]))) {
            try Self.request.validate(offchainInput: [1], state: [])
        }
        #expect(throws: JobRequestValidationError.stateHashMismatch(inRequest: Keccak256.hash([UInt8]()),
                                                                  computed: Keccak256.hash([2]))) {
            try Self.request.validate(offchainInput: [], state: [2])
        }
    }
}
