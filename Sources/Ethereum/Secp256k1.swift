import CSecp256k1

/// The one libsecp256k1 context of the process.
///
/// libsecp256k1 documents that a context may be used from any number of threads at once by every
/// function that takes it as `const` (signing, recovery, key derivation, parsing). The only
/// mutating call, `secp256k1_context_randomize`, happens here before the context is published, and
/// Swift initialises a `static let` exactly once, thread-safely. Hence `@unchecked Sendable`.
final class Secp256k1Context: @unchecked Sendable {
    static let shared = Secp256k1Context()

    let pointer: OpaquePointer

    private init() {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            fatalError("libsecp256k1 could not allocate a context")
        }
        // Blinding against side channels during signing; signatures stay deterministic (RFC 6979).
        var generator = SystemRandomNumberGenerator()
        var seed = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let randomized = secp256k1_context_randomize(context, &seed)
        precondition(randomized == 1, "secp256k1_context_randomize failed")
        pointer = context
    }
}

/// A secp256k1 private key with its Ethereum address. Its description never shows the secret.
public struct PrivateKey: Sendable, CustomStringConvertible {
    private let secret: [UInt8]
    public let publicKey: PublicKey

    /// 32 big-endian bytes, a scalar in [1, n-1].
    public init(bytes: [UInt8]) throws(Secp256k1Error) {
        guard bytes.count == 32 else { throw .invalidPrivateKeyLength(bytes.count) }
        let context = Secp256k1Context.shared.pointer
        guard secp256k1_ec_seckey_verify(context, bytes) == 1 else { throw .invalidPrivateKey }
        var pubkey = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_create(context, &pubkey, bytes) == 1 else { throw .invalidPrivateKey }
        secret = bytes
        publicKey = PublicKey(pubkey)
    }

    /// 64 hex digits, `0x` prefix optional.
    public init(hex: String) throws(Secp256k1Error) {
        let bytes: [UInt8]
        do {
            bytes = try Hex.decode(hex)
        } catch {
            throw .invalidPrivateKeyHex(error)
        }
        try self.init(bytes: bytes)
    }

    public var address: Address { publicKey.address }

    /// Signs a 32-byte digest: deterministic RFC 6979 nonce, low-s, v in {27, 28} — the same bytes
    /// as eth-account's `unsafe_sign_hash` / `Account.signHash`.
    public func sign(digest: Bytes32) throws(Secp256k1Error) -> Signature {
        let context = Secp256k1Context.shared.pointer
        var signature = secp256k1_ecdsa_recoverable_signature()
        // A nil nonce function selects RFC 6979; libsecp256k1 always emits low-s signatures.
        guard secp256k1_ecdsa_sign_recoverable(context, &signature, digest.bytes, secret, nil, nil) == 1 else {
            throw .signingFailed
        }
        var compact = [UInt8](repeating: 0, count: 64)
        var recoveryID: Int32 = 0
        guard secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &compact, &recoveryID, &signature) == 1,
              recoveryID == 0 || recoveryID == 1
        else {
            // recid 2 or 3 (r overflowed n) has probability ~2^-127 and no Ethereum encoding.
            throw .signingFailed
        }
        return Signature(uncheckedR: Array(compact[0..<32]), s: Array(compact[32..<64]), v: 27 + UInt8(recoveryID))
    }

    /// EIP-191 `personal_sign` of `message` (e.g. an ABI-encoded request or result).
    public func signPersonalMessage(_ message: [UInt8]) throws(Secp256k1Error) -> Signature {
        try sign(digest: EIP191.personalMessageHash(message))
    }

    public var description: String { "PrivateKey(address: \(address))" }
}

/// An uncompressed secp256k1 public key.
public struct PublicKey: Hashable, Sendable {
    /// 65 bytes: 0x04 ‖ X ‖ Y.
    public let uncompressed: [UInt8]
    public let address: Address

    init(_ pubkey: secp256k1_pubkey) {
        var pubkey = pubkey
        var output = [UInt8](repeating: 0, count: 65)
        var length = 65
        let serialized = secp256k1_ec_pubkey_serialize(
            Secp256k1Context.shared.pointer, &output, &length, &pubkey, UInt32(SECP256K1_EC_UNCOMPRESSED))
        precondition(serialized == 1 && length == 65, "serializing a valid public key cannot fail")
        uncompressed = output
        address = Address(publicKeyCoordinates: Array(output[1...]))
    }
}

/// A 65-byte recoverable ECDSA signature r ‖ s ‖ v, normalised to v in {27, 28}.
public struct Signature: Hashable, Sendable, CustomStringConvertible {
    public let r: [UInt8]
    public let s: [UInt8]
    /// 27 or 28.
    public let v: UInt8

    /// secp256k1 group order n, and n/2 (the largest low s), big-endian.
    private static let groupOrder: [UInt8] = try! Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
    private static let halfGroupOrder: [UInt8] = try! Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")

    /// Parses and checks 65 bytes r ‖ s ‖ v: v may be 0, 1, 27 or 28; r and s must be in [1, n-1];
    /// s must be low (≤ n/2, EIP-2), since a high-s twin of a valid signature is a malleated copy.
    public init(bytes: [UInt8]) throws(Secp256k1Error) {
        guard bytes.count == 65 else { throw .invalidSignatureLength(bytes.count) }
        let r = Array(bytes[0..<32])
        let s = Array(bytes[32..<64])
        let v: UInt8
        switch bytes[64] {
        case 0, 1: v = bytes[64] + 27
        case 27, 28: v = bytes[64]
        default: throw .invalidRecoveryID(bytes[64])
        }
        guard Self.isScalarInRange(r) else { throw .rOutOfRange }
        guard Self.isScalarInRange(s) else { throw .sOutOfRange }
        // Both are 32 bytes, so lexicographic order is numeric order.
        guard !Self.halfGroupOrder.lexicographicallyPrecedes(s) else { throw .highS }
        self.r = r
        self.s = s
        self.v = v
    }

    init(uncheckedR r: [UInt8], s: [UInt8], v: UInt8) {
        self.r = r
        self.s = s
        self.v = v
    }

    /// 65 bytes r ‖ s ‖ v.
    public var bytes: [UInt8] { r + s + [v] }

    /// 0 or 1.
    public var recoveryID: Int32 { Int32(v - 27) }

    public var description: String { Hex.encode(bytes) }

    /// The address whose key produced this signature over `digest`.
    public func recoverSigner(digest: Bytes32) throws(Secp256k1Error) -> Address {
        let context = Secp256k1Context.shared.pointer
        var recoverable = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(context, &recoverable, r + s, recoveryID) == 1 else {
            throw .rOutOfRange  // parse only fails on r or s >= n, which init(bytes:) has excluded
        }
        var pubkey = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(context, &pubkey, &recoverable, digest.bytes) == 1 else {
            throw .recoveryFailed
        }
        return PublicKey(pubkey).address
    }

    /// The signer of an EIP-191 personal message.
    public func recoverPersonalMessageSigner(_ message: [UInt8]) throws(Secp256k1Error) -> Address {
        try recoverSigner(digest: EIP191.personalMessageHash(message))
    }

    private static func isScalarInRange(_ scalar: [UInt8]) -> Bool {
        scalar.contains { $0 != 0 } && scalar.lexicographicallyPrecedes(groupOrder)
    }
}

/// Recovery straight from signature bytes.
public enum Secp256k1 {
    /// The signer of `digest` given 65 signature bytes (v in {0, 1, 27, 28}).
    public static func recoverAddress(digest: Bytes32, signature: [UInt8]) throws(Secp256k1Error) -> Address {
        try Signature(bytes: signature).recoverSigner(digest: digest)
    }

    /// The signer of an EIP-191 personal message given 65 signature bytes.
    public static func recoverPersonalMessageSigner(message: [UInt8], signature: [UInt8]) throws(Secp256k1Error) -> Address {
        try Signature(bytes: signature).recoverPersonalMessageSigner(message)
    }
}

/// EIP-191 version 0x45 ("personal_sign").
public enum EIP191 {
    /// "\x19Ethereum Signed Message:\n" followed by the message length in decimal ASCII.
    public static func personalMessagePrefix(length: Int) -> [UInt8] {
        Array("\u{19}Ethereum Signed Message:\n\(length)".utf8)
    }

    /// keccak256(prefix ‖ message): the digest `personal_sign` signs.
    public static func personalMessageHash(_ message: [UInt8]) -> Bytes32 {
        var hasher = Keccak256()
        hasher.update(personalMessagePrefix(length: message.count))
        hasher.update(message)
        return hasher.finalize()
    }
}

public enum Secp256k1Error: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidPrivateKeyHex(HexError)
    case invalidPrivateKeyLength(Int)
    /// Zero or not below the group order.
    case invalidPrivateKey
    case invalidSignatureLength(Int)
    /// v outside {0, 1, 27, 28}.
    case invalidRecoveryID(UInt8)
    /// r is zero or not below the group order.
    case rOutOfRange
    /// s is zero or not below the group order.
    case sOutOfRange
    /// s above n/2: a malleated signature (EIP-2).
    case highS
    /// No public key recovers from this signature and digest (r is not a valid x coordinate).
    case recoveryFailed
    case signingFailed

    public var description: String {
        switch self {
        case .invalidPrivateKeyHex(let error): return "invalid private key: \(error)"
        case .invalidPrivateKeyLength(let count): return "invalid private key: expected 32 bytes, got \(count)"
        case .invalidPrivateKey: return "invalid private key: not in [1, n-1] for secp256k1"
        case .invalidSignatureLength(let count): return "invalid signature: expected 65 bytes, got \(count)"
        case .invalidRecoveryID(let v): return "invalid signature: v = \(v), expected 0, 1, 27 or 28"
        case .rOutOfRange: return "invalid signature: r is zero or not below the curve order"
        case .sOutOfRange: return "invalid signature: s is zero or not below the curve order"
        case .highS: return "invalid signature: s is above n/2 (non-canonical high-s, EIP-2)"
        case .recoveryFailed: return "invalid signature: no public key recovers from it"
        case .signingFailed: return "secp256k1 signing failed"
        }
    }
}
