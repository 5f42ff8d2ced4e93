import CKeccak

/// Keccak-256 as Ethereum uses it (original Keccak padding, not FIPS-202 SHA3-256).
///
/// One-shot: `Keccak256.hash(bytes)`. Incremental: `var h = Keccak256(); h.update(a); h.update(b);
/// let digest = h.finalize()`.
public struct Keccak256: Sendable {
    private var context = ckeccak256_ctx()

    public init() {
        ckeccak256_init(&context)
    }

    public mutating func update<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            ckeccak256_update(&context, buffer.baseAddress, buffer.count)
        }
        if handled == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { ckeccak256_update(&context, $0.baseAddress, $0.count) }
        }
    }

    /// The digest of everything passed to `update`. Consumes the hasher.
    public consuming func finalize() -> Bytes32 {
        var digest = [UInt8](repeating: 0, count: 32)
        digest.withUnsafeMutableBufferPointer { ckeccak256_final(&context, $0.baseAddress!) }
        return Bytes32(uncheckedBytes: digest)
    }

    public static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bytes32 {
        var hasher = Keccak256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Hash of the UTF-8 bytes of `text` (e.g. a function or event signature).
    public static func hash(utf8 text: String) -> Bytes32 {
        hash(Array(text.utf8))
    }
}

/// The Keccak-f[1600] permutation, the same C function the zkVM's KECCAK_PERMUTE precompile uses.
public enum KeccakF1600 {
    /// Permutes 25 little-endian lanes in place; lane i is state[x + 5*y].
    public static func permute(_ state: inout [UInt64]) {
        precondition(state.count == 25, "Keccak-f[1600] state must have 25 lanes, got \(state.count)")
        state.withUnsafeMutableBufferPointer { ckeccak_f1600($0.baseAddress!) }
    }
}
