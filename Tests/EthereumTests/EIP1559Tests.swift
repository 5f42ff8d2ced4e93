import Foundation
import Testing
import Ethereum

// MARK: - RLP

@Suite struct RLPEncodingTests {
    /// The examples of the Ethereum wiki's RLP page and the yellow paper, appendix B.
    @Test(arguments: [
        ("dog", RLPItem.string("dog"), "83646f67"),
        ("[cat, dog]", .list([.string("cat"), .string("dog")]), "c88363617483646f67"),
        ("empty string", .bytes([]), "80"),
        ("empty list", .list([]), "c0"),
        ("integer 0", .uint(UInt64(0)), "80"),
        ("byte 0x00", .bytes([0x00]), "00"),
        ("byte 0x0f", .bytes([0x0f]), "0f"),
        ("integer 15", .uint(UInt64(15)), "0f"),
        ("integer 1024", .uint(UInt64(1024)), "820400"),
        ("set-theoretic three", .list([.list([]), .list([.list([])]), .list([.list([]), .list([.list([])])])]), "c7c0c1c0c3c0c1c0"),
        (
            "56-byte string", .string("Lorem ipsum dolor sit amet, consectetur adipisicing elit"),
            "b8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974"
        ),
    ])
    func specExample(name: String, item: RLPItem, expectedHex: String) throws {
        let encoded = RLP.encode(item)
        #expect(Hex.encode(encoded, prefixed: false) == expectedHex, "\(name)")
        #expect(try RLP.decode(encoded) == item, "\(name) round trip")
    }

    @Test func integerBoundaries() throws {
        #expect(RLP.encode(.uint(UInt64(0x7f))) == [0x7f])
        #expect(RLP.encode(.uint(UInt64(0x80))) == [0x81, 0x80])
        #expect(RLP.encode(.uint(UInt64.max)) == [0x88] + [UInt8](repeating: 0xff, count: 8))
        #expect(RLP.encode(.uint(UInt256.max)) == [0xa0] + [UInt8](repeating: 0xff, count: 32))
        #expect(try RLP.decode([0x82, 0x04, 0x00]).asUInt64() == 1024)
        #expect(try RLP.decode([0x80]).asUInt256() == .zero)
        #expect(try RLP.decode([0x88] + [UInt8](repeating: 0xff, count: 8)).asUInt64() == .max)
    }

    @Test func longListAndLongString() throws {
        // A 1024-byte string needs a two-byte length; a list of them a three-byte list length.
        let long = RLPItem.bytes([UInt8](repeating: 0xab, count: 1024))
        #expect(Array(RLP.encode(long).prefix(3)) == [0xb9, 0x04, 0x00])
        let list = RLPItem.list(Array(repeating: long, count: 70))
        let encoded = RLP.encode(list)
        #expect(Array(encoded.prefix(4)) == [0xfa, 0x01, 0x18, 0xd2])  // 70 × 1027 = 71890 = 0x0118d2
        #expect(try RLP.decode(encoded) == list)
    }
}

@Suite struct RLPDecoderRejectionTests {
    @Test(arguments: [
        ("empty input", "", RLPError.unexpectedEnd(at: 0)),
        ("string shorter than its prefix", "83646f", .unexpectedEnd(at: 3)),
        ("list shorter than its prefix", "c88363617483646f", .unexpectedEnd(at: 8)),
        ("trailing byte after a string", "83646f6700", .trailingBytes(at: 4, count: 1)),
        ("two top-level items", "8080", .trailingBytes(at: 1, count: 1)),
        ("single byte < 0x80 with a prefix", "8105", .nonCanonicalSingleByte(at: 0)),
        ("long string form for 3 bytes", "b803646f67", .nonCanonicalLength(at: 0)),
        ("long list form for 2 bytes", "f8028080", .nonCanonicalLength(at: 0)),
        ("leading zero in a long string length", "b90038" + String(repeating: "61", count: 56), .leadingZeroInLength(at: 0)),
        ("leading zero in a long list length", "f9003800", .leadingZeroInLength(at: 0)),
        ("long length beyond the input", "bbffffffff", .unexpectedEnd(at: 5)),
        ("8-byte length that overflows Int", "bfffffffffffffffff", .unexpectedEnd(at: 9)),
        ("length-of-length beyond the input", "b9", .unexpectedEnd(at: 1)),
        ("list item overrunning its list", "c283646f67", .unexpectedEnd(at: 3)),
    ])
    func rejects(name: String, hex: String, expected: RLPError) throws {
        #expect(throws: expected, "\(name)") { try RLP.decode(try bytes(hex)) }
    }

    @Test func rejectsDeepNesting() throws {
        func nested(_ depth: Int) -> RLPItem { depth == 0 ? .list([]) : .list([nested(depth - 1)]) }
        #expect(try RLP.decode(RLP.encode(nested(RLP.maximumDepth))) == nested(RLP.maximumDepth))
        let tooDeep = RLP.encode(nested(RLP.maximumDepth + 1))
        #expect(throws: RLPError.tooDeep(at: tooDeep.count - 1)) { try RLP.decode(tooDeep) }  // the innermost list
    }

    @Test func rejectsNonCanonicalIntegers() {
        #expect(throws: RLPError.leadingZeroInInteger) { try RLPItem.bytes([0x00]).asUInt64() }
        #expect(throws: RLPError.leadingZeroInInteger) { try RLPItem.bytes([0x00, 0x01]).asUInt256() }
        #expect(throws: RLPError.integerTooLarge(bytes: 9, maxBytes: 8)) {
            try RLPItem.bytes([UInt8](repeating: 1, count: 9)).asUInt64()
        }
        #expect(throws: RLPError.integerTooLarge(bytes: 33, maxBytes: 32)) {
            try RLPItem.bytes([UInt8](repeating: 1, count: 33)).asUInt256()
        }
        #expect(throws: RLPError.expectedBytes) { try RLPItem.list([]).asUInt64() }
        #expect(throws: RLPError.expectedList) { try RLPItem.bytes([]).asList() }
    }
}

// MARK: - EIP-1559

/// The parts of a vector's `tx` object this suite needs (the shared `EthVectors` keeps only data/to).
private struct VectorTransaction: Decodable {
    struct Tx: Decodable {
        let type: String
        let chainId: String
        let nonce: String
        let maxPriorityFeePerGas: String
        let maxFeePerGas: String
        let gas: String
        let to: String?
        let value: String
        let data: String
        let accessList: [String]
    }
    let kind: String
    let tx: Tx
    let rawTransaction: String
    let txHash: String
    let sender: String
    let vYParity: UInt8
    let r: String
    let s: String
    enum CodingKeys: String, CodingKey {
        case kind, tx, rawTransaction = "raw_transaction", txHash = "tx_hash", sender, vYParity = "v_y_parity", r, s
    }
}

private struct VectorFile: Decodable {
    let keys: [String: EthVectors.Key]
    let eip1559Transactions: [VectorTransaction]
    enum CodingKeys: String, CodingKey { case keys, eip1559Transactions = "eip1559_transactions" }

    static func load() throws -> VectorFile {
        let data = try Data(contentsOf: SharedFixtures.directory.appendingPathComponent("eth/vectors.json"))
        return try JSONDecoder().decode(VectorFile.self, from: data)
    }
}

/// A 32-byte word from hex that may omit leading zeros (the vectors print r and s as integers).
private func word(_ hex: String) throws -> [UInt8] {
    let digits = hex.hasPrefix("0x") ? String(hex.dropFirst(2)) : hex
    #expect(digits.count <= 64)
    return try bytes(String(repeating: "0", count: 64 - digits.count) + digits)
}

private func decimal64(_ text: String) throws -> UInt64 {
    try #require(UInt64(text), "not a uint64: \(text)")
}

@Suite(.enabled(if: SharedFixtures.isAvailable, SharedFixtures.skipReason))
struct EIP1559VectorTests {
    @Test func signsVectorsByteForByte() throws {
        let vectors = try VectorFile.load()
        #expect(!vectors.eip1559Transactions.isEmpty, "vectors.json has no EIP-1559 transactions")
        let relayer = try #require(vectors.keys["relayer"])
        let key = try PrivateKey(hex: relayer.privateKey)
        #expect(key.address == (try Address(hex: relayer.address)))

        for vector in vectors.eip1559Transactions {
            let tx = vector.tx
            #expect(tx.type == "2")
            #expect(tx.accessList.isEmpty, "access lists in vectors are not modelled by this test")
            let transaction = EIP1559Transaction(
                chainID: try decimal64(tx.chainId),
                nonce: try decimal64(tx.nonce),
                maxPriorityFeePerGas: UInt256(try decimal64(tx.maxPriorityFeePerGas)),
                maxFeePerGas: UInt256(try decimal64(tx.maxFeePerGas)),
                gasLimit: try decimal64(tx.gas),
                to: try tx.to.map { try Address(hex: $0) },
                value: UInt256(try decimal64(tx.value)),
                data: try bytes(tx.data)
            )
            let signed = try transaction.sign(with: key)
            #expect(signed.rawHex == vector.rawTransaction.lowercased(), "\(vector.kind): raw transaction")
            #expect(signed.hash == (try Bytes32(hex: vector.txHash)), "\(vector.kind): transaction hash")
            #expect(signed.yParity == vector.vYParity)
            #expect(signed.signature.r == (try word(vector.r)))
            #expect(signed.signature.s == (try word(vector.s)))
            // The vector's note states the signing hash is over 0x02 ‖ rlp(first 9 fields).
            #expect(signed.signingHashMatchesPayload)
        }
    }

    @Test func decodesVectorsAndRecoversTheRelayer() throws {
        let vectors = try VectorFile.load()
        let relayer = try #require(vectors.keys["relayer"])
        for vector in vectors.eip1559Transactions {
            let raw = try bytes(vector.rawTransaction)
            let decoded = try SignedTransaction(raw: raw)
            #expect(decoded.raw == raw)
            #expect(decoded.hash == (try Bytes32(hex: vector.txHash)))
            #expect(decoded.transaction.chainID == (try decimal64(vector.tx.chainId)))
            #expect(decoded.transaction.gasLimit == (try decimal64(vector.tx.gas)))
            #expect(decoded.transaction.to == (try vector.tx.to.map { try Address(hex: $0) }))
            #expect(decoded.transaction.data == (try bytes(vector.tx.data)))
            #expect(try decoded.recoverSender() == (try Address(hex: vector.sender)))
            #expect(try decoded.recoverSender() == (try Address(hex: relayer.address)))
        }
    }
}

extension SignedTransaction {
    fileprivate var signingHashMatchesPayload: Bool {
        transaction.signingHash == Keccak256.hash(transaction.signingPayload)
            && transaction.signingPayload.first == 0x02
    }
}

@Suite struct EIP1559Tests {
    /// anvil dev account #1, the vectors' relayer: a public test key.
    static let key = try! PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")

    static func sample(to: Address? = try! Address(hex: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")) -> EIP1559Transaction {
        EIP1559Transaction(
            chainID: 31337, nonce: 7, maxPriorityFeePerGas: UInt256(1_000_000_000), maxFeePerGas: UInt256(3_000_000_000),
            gasLimit: 21000, to: to, value: UInt256(limbs: (0, 0, 1, 0)), data: [0xde, 0xad]
        )
    }

    @Test func roundTripsWithAccessListAndContractCreation() throws {
        var transaction = Self.sample(to: nil)
        transaction.accessList = [
            AccessListEntry(address: try Address(hex: "0x00000000000000000000000000000000000000aa"), storageKeys: [.zero, try Bytes32(hex: String(repeating: "11", count: 32))]),
            AccessListEntry(address: .zero),
        ]
        let signed = try transaction.sign(with: Self.key)
        let decoded = try SignedTransaction(raw: signed.raw)
        #expect(decoded == signed)
        #expect(decoded.transaction.to == nil)
        #expect(decoded.transaction.value == UInt256(limbs: (0, 0, 1, 0)))
        #expect(try decoded.recoverSender() == Self.key.address)
    }

    @Test func signingHashIsOverTheTypedPayload() throws {
        let transaction = Self.sample()
        let payload = transaction.signingPayload
        #expect(payload.first == 0x02)
        let fields = try RLP.decode(Array(payload.dropFirst())).asList()
        #expect(fields.count == 9)
        #expect(try fields[0].asUInt64() == 31337)
        #expect(try fields[4].asUInt64() == 21000)
        #expect(transaction.signingHash == Keccak256.hash(payload))
        let signed = try transaction.sign(with: Self.key)
        #expect(try signed.signature.recoverSigner(digest: transaction.signingHash) == Self.key.address)
        #expect(signed.hash == Keccak256.hash(signed.raw))
    }

    /// Re-encodes a valid signed transaction with one field replaced.
    static func tamper(_ signed: SignedTransaction, field: Int, with item: RLPItem) throws -> [UInt8] {
        var fields = try RLP.decode(Array(signed.raw.dropFirst())).asList()
        fields[field] = item
        return [0x02] + RLP.encode(.list(fields))
    }

    @Test func rejectsMalformedRawTransactions() throws {
        let signed = try Self.sample().sign(with: Self.key)
        let raw = signed.raw

        #expect(throws: TransactionDecodingError.empty) { try SignedTransaction(raw: []) }
        #expect(throws: TransactionDecodingError.unsupportedType(0x01)) { try SignedTransaction(raw: [0x01] + raw.dropFirst()) }
        #expect(throws: TransactionDecodingError.unsupportedType(0xf8)) { try SignedTransaction(raw: Array(raw.dropFirst())) }
        #expect(throws: TransactionDecodingError.rlp(.trailingBytes(at: raw.count - 1, count: 1))) {
            try SignedTransaction(raw: raw + [0x00])
        }
        #expect(throws: TransactionDecodingError.rlp(.unexpectedEnd(at: raw.count - 2))) {
            try SignedTransaction(raw: Array(raw.dropLast()))
        }
        // Unsigned payload: 9 fields.
        #expect(throws: TransactionDecodingError.wrongFieldCount(9)) {
            try SignedTransaction(raw: Self.sample().signingPayload)
        }
        #expect(throws: TransactionDecodingError.invalidField("nonce", .leadingZeroInInteger)) {
            try SignedTransaction(raw: try Self.tamper(signed, field: 1, with: .bytes([0x00, 0x07])))
        }
        #expect(throws: TransactionDecodingError.invalidField("chainId", .integerTooLarge(bytes: 9, maxBytes: 8))) {
            try SignedTransaction(raw: try Self.tamper(signed, field: 0, with: .bytes([UInt8](repeating: 1, count: 9))))
        }
        #expect(throws: TransactionDecodingError.invalidTo(length: 19)) {
            try SignedTransaction(raw: try Self.tamper(signed, field: 5, with: .bytes([UInt8](repeating: 1, count: 19))))
        }
        #expect(throws: TransactionDecodingError.invalidAccessList) {
            try SignedTransaction(raw: try Self.tamper(signed, field: 8, with: .list([.bytes([1])])))
        }
        #expect(throws: TransactionDecodingError.invalidYParity(2)) {
            try SignedTransaction(raw: try Self.tamper(signed, field: 9, with: .uint(UInt64(2))))
        }
        // yParity 0 written as the byte 0x00 instead of the empty string.
        #expect(throws: TransactionDecodingError.invalidField("yParity", .leadingZeroInInteger)) {
            try SignedTransaction(raw: try Self.tamper(signed, field: 9, with: .bytes([0x00])))
        }
        #expect(throws: TransactionDecodingError.invalidSignature(.rOutOfRange)) {
            try SignedTransaction(raw: try Self.tamper(signed, field: 10, with: .bytes([])))
        }
        // s' = n - s is the malleated high-s twin (EIP-2).
        let n = try UInt256(bigEndianBytes: try bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"))
        let s = try UInt256(bigEndianBytes: signed.signature.s)
        let highS = n.subtractingReportingOverflow(s).partialValue
        #expect(throws: TransactionDecodingError.invalidSignature(.highS)) {
            try SignedTransaction(raw: try Self.tamper(signed, field: 11, with: .uint(highS)))
        }
    }

    @Test func tamperedPayloadRecoversSomeoneElse() throws {
        let signed = try Self.sample().sign(with: Self.key)
        let raw = try Self.tamper(signed, field: 1, with: .uint(UInt64(8)))  // nonce 7 → 8
        let decoded = try SignedTransaction(raw: raw)
        #expect((try? decoded.recoverSender()) != Self.key.address)
    }
}

@Suite struct UInt256ArithmeticTests {
    @Test func arithmetic() {
        let big = UInt256(limbs: (0, 0, 1, .max))
        #expect(big.addingReportingOverflow(UInt256(1)) == (UInt256(limbs: (0, 0, 2, 0)), false))
        #expect(UInt256.max.addingReportingOverflow(UInt256(1)) == (.zero, true))
        #expect(UInt256.zero.subtractingReportingOverflow(UInt256(1)) == (.max, true))
        #expect(UInt256(UInt64.max).multipliedReportingOverflow(by: 2) == (UInt256(limbs: (0, 0, 1, .max - 1)), false))
        #expect(UInt256.max.multipliedReportingOverflow(by: 2).overflow)
        #expect(UInt256.max.saturatingMultiply(by: 3) == .max)
        let (q, r) = UInt256(limbs: (0, 0, 1, 0)).quotientAndRemainder(dividingBy: 3)
        #expect(q == UInt256(6_148_914_691_236_517_205) && r == 1)
        #expect(UInt256(1024).minimalBigEndianBytes == [0x04, 0x00])
        #expect(UInt256.zero.minimalBigEndianBytes == [])
    }
}
