/// One EIP-2930 access list entry: an address and storage slots the transaction pre-declares.
public struct AccessListEntry: Hashable, Sendable {
    public var address: Address
    public var storageKeys: [Bytes32]

    public init(address: Address, storageKeys: [Bytes32] = []) {
        self.address = address
        self.storageKeys = storageKeys
    }

    var rlp: RLPItem {
        .list([.bytes(address.bytes), .list(storageKeys.map { .bytes($0.bytes) })])
    }
}

/// An unsigned EIP-1559 (type 2) transaction.
///
/// Counters that consensus bounds to 64 bits (chain id by EIP-2294's practical range, nonce by
/// EIP-2681, gas) are `UInt64`; wei amounts are `UInt256`.
public struct EIP1559Transaction: Hashable, Sendable {
    /// The EIP-2718 type byte.
    public static let typeByte: UInt8 = 0x02

    public var chainID: UInt64
    public var nonce: UInt64
    public var maxPriorityFeePerGas: UInt256
    public var maxFeePerGas: UInt256
    public var gasLimit: UInt64
    /// `nil` creates a contract.
    public var to: Address?
    public var value: UInt256
    public var data: [UInt8]
    public var accessList: [AccessListEntry]

    public init(
        chainID: UInt64, nonce: UInt64, maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256, gasLimit: UInt64,
        to: Address?, value: UInt256 = .zero, data: [UInt8] = [], accessList: [AccessListEntry] = []
    ) {
        self.chainID = chainID
        self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
    }

    /// The nine payload fields in EIP-1559 order.
    var payloadFields: [RLPItem] {
        [
            .uint(chainID), .uint(nonce), .uint(maxPriorityFeePerGas), .uint(maxFeePerGas), .uint(gasLimit),
            .bytes(to?.bytes ?? []), .uint(value), .bytes(data), .list(accessList.map(\.rlp)),
        ]
    }

    /// 0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList]).
    public var signingPayload: [UInt8] {
        [Self.typeByte] + RLP.encode(.list(payloadFields))
    }

    /// keccak256 of `signingPayload`: the digest the sender signs.
    public var signingHash: Bytes32 { Keccak256.hash(signingPayload) }

    /// Signs with `key` (RFC 6979, low-s) and serializes.
    public func sign(with key: PrivateKey) throws(Secp256k1Error) -> SignedTransaction {
        SignedTransaction(transaction: self, signature: try key.sign(digest: signingHash))
    }
}

/// A signed EIP-1559 transaction: its network (`raw`) encoding and its hash.
public struct SignedTransaction: Hashable, Sendable {
    public let transaction: EIP1559Transaction
    /// v is kept in the 27/28 form of `Signature`; the transaction carries `yParity` = v - 27.
    public let signature: Signature
    /// 0x02 ‖ rlp([...9 payload fields, yParity, r, s]): what `eth_sendRawTransaction` takes.
    public let raw: [UInt8]
    /// keccak256(raw): the transaction hash nodes and receipts use.
    public let hash: Bytes32

    init(transaction: EIP1559Transaction, signature: Signature) {
        self.transaction = transaction
        self.signature = signature
        let fields = transaction.payloadFields + [
            .uint(UInt64(signature.v - 27)),
            // r and s are integers in the encoding, so their leading zero bytes are dropped.
            .bytes(Array(signature.r.drop { $0 == 0 })),
            .bytes(Array(signature.s.drop { $0 == 0 })),
        ]
        raw = [EIP1559Transaction.typeByte] + RLP.encode(.list(fields))
        hash = Keccak256.hash(raw)
    }

    /// 0 or 1.
    public var yParity: UInt8 { signature.v - 27 }

    /// `0x`-prefixed hex of `raw`.
    public var rawHex: String { Hex.encode(raw) }

    /// Parses a raw type-2 transaction strictly: canonical RLP, exactly 12 fields, canonical integers,
    /// a 0- or 20-byte `to`, yParity 0 or 1, r and s in range with low s (EIP-2). Re-encoding gives
    /// back the same bytes, so `hash` is the hash of the input.
    public init(raw: [UInt8]) throws(TransactionDecodingError) {
        guard let type = raw.first else { throw .empty }
        guard type == EIP1559Transaction.typeByte else { throw .unsupportedType(type) }
        let fields: [RLPItem]
        do {
            fields = try RLP.decode(Array(raw.dropFirst())).asList()
        } catch {
            throw .rlp(error)
        }
        guard fields.count == 12 else { throw .wrongFieldCount(fields.count) }

        func field<T>(_ index: Int, _ name: String, _ read: (RLPItem) throws(RLPError) -> T) throws(TransactionDecodingError) -> T {
            do {
                return try read(fields[index])
            } catch {
                throw .invalidField(name, error)
            }
        }

        let toBytes = try field(5, "to") { item throws(RLPError) in try item.asBytes() }
        let to: Address?
        switch toBytes.count {
        case 0: to = nil
        case 20: to = try? Address(bytes: toBytes)
        default: throw .invalidTo(length: toBytes.count)
        }

        let accessListItems = try field(8, "accessList") { item throws(RLPError) in try item.asList() }
        var accessList = [AccessListEntry]()
        for entry in accessListItems {
            guard case .list(let parts) = entry, parts.count == 2,
                  case .bytes(let addressBytes) = parts[0], let address = try? Address(bytes: addressBytes),
                  case .list(let keyItems) = parts[1]
            else { throw .invalidAccessList }
            var keys = [Bytes32]()
            for keyItem in keyItems {
                guard case .bytes(let keyBytes) = keyItem, let key = try? Bytes32(keyBytes) else { throw .invalidAccessList }
                keys.append(key)
            }
            accessList.append(AccessListEntry(address: address, storageKeys: keys))
        }

        let transaction = EIP1559Transaction(
            chainID: try field(0, "chainId") { item throws(RLPError) in try item.asUInt64() },
            nonce: try field(1, "nonce") { item throws(RLPError) in try item.asUInt64() },
            maxPriorityFeePerGas: try field(2, "maxPriorityFeePerGas") { item throws(RLPError) in try item.asUInt256() },
            maxFeePerGas: try field(3, "maxFeePerGas") { item throws(RLPError) in try item.asUInt256() },
            gasLimit: try field(4, "gasLimit") { item throws(RLPError) in try item.asUInt64() },
            to: to,
            value: try field(6, "value") { item throws(RLPError) in try item.asUInt256() },
            data: try field(7, "data") { item throws(RLPError) in try item.asBytes() },
            accessList: accessList
        )

        let yParity = try field(9, "yParity") { item throws(RLPError) in try item.asUInt64() }
        guard yParity <= 1 else { throw .invalidYParity(yParity) }
        let r = try field(10, "r") { item throws(RLPError) in try item.asUInt256() }
        let s = try field(11, "s") { item throws(RLPError) in try item.asUInt256() }
        let signature: Signature
        do {
            signature = try Signature(bytes: r.bigEndianBytes + s.bigEndianBytes + [UInt8(yParity)])
        } catch {
            throw .invalidSignature(error)
        }
        self.init(transaction: transaction, signature: signature)
        // The strict decoder admits one encoding per value, so this only guards against a bug here.
        guard self.raw == raw else { throw .nonCanonical }
    }

    /// The address that signed the transaction.
    public func recoverSender() throws(Secp256k1Error) -> Address {
        try signature.recoverSigner(digest: transaction.signingHash)
    }
}

public enum TransactionDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    /// Not a type-2 (EIP-1559) envelope; legacy transactions start with an RLP list prefix ≥ 0xc0.
    case unsupportedType(UInt8)
    case rlp(RLPError)
    case wrongFieldCount(Int)
    case invalidField(String, RLPError)
    case invalidTo(length: Int)
    case invalidAccessList
    case invalidYParity(UInt64)
    case invalidSignature(Secp256k1Error)
    case nonCanonical

    public var description: String {
        switch self {
        case .empty: return "transaction: no bytes"
        case .unsupportedType(let type): return "transaction: type 0x\(String(type, radix: 16)) is not EIP-1559 (0x02)"
        case .rlp(let error): return "transaction: \(error)"
        case .wrongFieldCount(let count): return "transaction: \(count) fields, a signed EIP-1559 transaction has 12"
        case .invalidField(let name, let error): return "transaction field \(name): \(error)"
        case .invalidTo(let length): return "transaction: `to` has \(length) bytes, expected 0 or 20"
        case .invalidAccessList: return "transaction: malformed access list"
        case .invalidYParity(let value): return "transaction: yParity \(value), expected 0 or 1"
        case .invalidSignature(let error): return "transaction: \(error)"
        case .nonCanonical: return "transaction: not in canonical encoding"
        }
    }
}
