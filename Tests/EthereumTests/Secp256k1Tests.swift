import Testing
import Ethereum

/// Expected signatures from scripts/gen_eth_vectors.py (eth-account 0.14.0 `sign_message` /
/// `unsafe_sign_hash`), with anvil/hardhat dev account #0, a public test key.
@Suite("secp256k1 signing and recovery")
struct Secp256k1Tests {
    static let keyHex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    static let address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    static let groupOrder = try! Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")

    static let personalMessages: [(message: [UInt8], hash: String, signature: String)] = [
        ([], "0x5f35dce98ba4fba25530a026ed80b2cecdaa31091ba4958b99b52ea1d068adad",
         "0xc1977b761f1dd36c29795783460d241885c8e7f9d962dbe7bba2753fd94e89b444a1cd9ed855dd09afa3b73f7c2bd097ec9abc2d2775d737505a02d3f0cafa591b"),
        (Array("hello world".utf8), "0xd9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68",
         "0xa461f509887bd19e312c0c58467ce8ff8e300d3c1a90b608a760c5b80318eaf15fe57c96f9175d6cd4daad4663763baa7e78836e067d0163e9a2ccf2ff753f5b1b"),
        (KeccakTests.pattern(1000), "0x28c0a19d104ff3e95da5fa8b26b00c679f7d306135a1a68d3db4f0289cba328e",
         "0x8209ab75043235df46e7a5e020c4662d7514e2009ea5ac32b6b1ad24a18321da2231bd14be16ef740c5dcb5053d48308ebb5e520a5bfe746215946fe996bad171c"),
    ]

    @Test("private key → public key → address")
    func keyDerivation() throws {
        let key = try PrivateKey(hex: Self.keyHex)
        #expect(key.address.checksummed == Self.address)
        #expect(key.publicKey.uncompressed.count == 65)
        #expect(key.publicKey.uncompressed.first == 0x04)
        #expect(try PrivateKey(hex: String(Self.keyHex.dropFirst(2)).uppercased()).address == key.address)
        // The description must never leak the secret.
        #expect(!key.description.contains("ac0974bec39a17e3"))
        #expect(key.description == "PrivateKey(address: \(Self.address))")
        // The smallest key, 1, has the generator as its public key; its address is well known.
        #expect(try PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1]).address.checksummed
            == "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")
    }

    @Test("invalid private keys")
    func invalidKeys() {
        #expect(throws: Secp256k1Error.invalidPrivateKey) { try PrivateKey(bytes: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: Secp256k1Error.invalidPrivateKey) { try PrivateKey(bytes: Self.groupOrder) }
        #expect(throws: Secp256k1Error.invalidPrivateKeyLength(31)) { try PrivateKey(bytes: [UInt8](repeating: 1, count: 31)) }
        #expect(throws: Secp256k1Error.invalidPrivateKeyHex(.invalidCharacter(UInt8(ascii: "z"), position: 0))) {
            try PrivateKey(hex: "zz")
        }
    }

    @Test("EIP-191 personal-message signatures equal eth-account byte for byte")
    func personalSign() throws {
        let key = try PrivateKey(hex: Self.keyHex)
        for (message, hash, expected) in Self.personalMessages {
            #expect(EIP191.personalMessageHash(message).hexString == hash)
            let signature = try key.signPersonalMessage(message)
            #expect(signature.bytes.hexString == expected, "message of \(message.count) bytes")
            #expect(signature.v == 27 || signature.v == 28)
            #expect(try signature.recoverPersonalMessageSigner(message) == key.address)
            #expect(try Secp256k1.recoverPersonalMessageSigner(message: message, signature: bytes(expected)) == key.address)
            // Signing is deterministic (RFC 6979).
            #expect(try key.signPersonalMessage(message) == signature)
        }
        #expect(EIP191.personalMessagePrefix(length: 384) == Array("\u{19}Ethereum Signed Message:\n384".utf8))
    }

    @Test("raw digest signature equals eth-account's unsafe_sign_hash")
    func rawDigest() throws {
        let key = try PrivateKey(hex: Self.keyHex)
        let digest = Keccak256.hash(utf8: "raw digest")
        #expect(digest.hexString == "0xc8c0e3a4434198a494c47e4c85ad1d9f9a1520312d07280795aa600675e09610")
        let signature = try key.sign(digest: digest)
        #expect(signature.bytes.hexString
            == "0x0aa94ca41d084135e4847107fb8a1c90f8275cad82e6329530c128d4b52c976063b4a7f126cde886a3f3a4ec193438f2069bc20229b8b5ce9a3156896b030f3b1b")
        #expect(try Secp256k1.recoverAddress(digest: digest, signature: signature.bytes) == key.address)
    }

    @Test("recovery accepts v in {0, 1, 27, 28} and nothing else")
    func recoveryIDs() throws {
        let key = try PrivateKey(hex: Self.keyHex)
        let message = Array("hello world".utf8)
        let signature = try key.signPersonalMessage(message).bytes
        let v = signature[64]
        for accepted in [v, v - 27] {
            #expect(try Secp256k1.recoverPersonalMessageSigner(message: message, signature: Array(signature.prefix(64)) + [accepted])
                == key.address, "v = \(accepted)")
        }
        // The other parity recovers a different key: a valid signature of someone else.
        let otherParity: UInt8 = v == 27 ? 28 : 27
        #expect(try Secp256k1.recoverPersonalMessageSigner(message: message, signature: Array(signature.prefix(64)) + [otherParity])
            != key.address)
        for rejected: UInt8 in [2, 3, 26, 29, 35, 36, 37, 38, 255] {
            #expect(throws: Secp256k1Error.invalidRecoveryID(rejected)) {
                try Secp256k1.recoverPersonalMessageSigner(message: message, signature: Array(signature.prefix(64)) + [rejected])
            }
        }
    }

    @Test("high-s, out-of-range scalars and malformed signatures are rejected")
    func malformed() throws {
        let key = try PrivateKey(hex: Self.keyHex)
        let message = Array("hello world".utf8)
        let signature = try key.signPersonalMessage(message)
        let r = signature.r
        let s = signature.s

        // (r, n - s, other parity) is the malleated twin that recovers the same key: refused (EIP-2).
        let highS = Self.subtract(Self.groupOrder, s)
        let twin = r + highS + [signature.v == 27 ? 28 : 27]
        #expect(throws: Secp256k1Error.highS) { try Secp256k1.recoverPersonalMessageSigner(message: message, signature: twin) }
        #expect(throws: Secp256k1Error.highS) { try Signature(bytes: twin) }

        // n/2 itself is still low; n/2 + 1 is high.
        let half = try Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")
        #expect(throws: Never.self) { try Signature(bytes: r + half + [27]) }
        #expect(throws: Secp256k1Error.highS) {
            try Signature(bytes: r + Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a1") + [27])
        }

        let zero = [UInt8](repeating: 0, count: 32)
        #expect(throws: Secp256k1Error.rOutOfRange) { try Signature(bytes: zero + s + [27]) }
        #expect(throws: Secp256k1Error.rOutOfRange) { try Signature(bytes: Self.groupOrder + s + [27]) }
        #expect(throws: Secp256k1Error.sOutOfRange) { try Signature(bytes: r + zero + [27]) }
        #expect(throws: Secp256k1Error.sOutOfRange) { try Signature(bytes: r + Self.groupOrder + [27]) }
        for length in [0, 64, 66, 130] {
            #expect(throws: Secp256k1Error.invalidSignatureLength(length)) {
                try Secp256k1.recoverPersonalMessageSigner(message: message, signature: [UInt8](repeating: 1, count: length))
            }
        }
        // r = 5 is a valid scalar but no curve point has x = 5 (5^3 + 7 = 132 is not a square mod p).
        let noPoint = [UInt8](repeating: 0, count: 31) + [5]
        #expect(throws: Secp256k1Error.recoveryFailed) {
            try Secp256k1.recoverPersonalMessageSigner(message: message, signature: noPoint + s + [27])
        }
        #expect(Secp256k1Error.highS.description == "invalid signature: s is above n/2 (non-canonical high-s, EIP-2)")
    }

    @Test("the shared context signs and recovers correctly from many threads at once")
    func concurrentUse() async throws {
        let key = try PrivateKey(hex: Self.keyHex)
        let expected = Self.personalMessages.map(\.signature)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<16 {
                group.addTask {
                    for round in 0..<50 {
                        let index = (task + round) % Self.personalMessages.count
                        let message = Self.personalMessages[index].message
                        let signature = try key.signPersonalMessage(message)
                        guard signature.bytes.hexString == expected[index],
                              try signature.recoverPersonalMessageSigner(message) == key.address else { return false }
                    }
                    return true
                }
            }
            var all = [Bool]()
            for try await ok in group { all.append(ok) }
            return all
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 })
    }

    /// a - b for 32-byte big-endian numbers with a >= b.
    static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var digit = Int(a[index]) - Int(b[index]) - borrow
            borrow = digit < 0 ? 1 : 0
            if digit < 0 { digit += 256 }
            out[index] = UInt8(digit)
        }
        return out
    }
}
