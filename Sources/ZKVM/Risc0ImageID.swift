import CZKVM

/// RISC Zero 1.x program identity (R0_V1_ABI.md §2.3, §3): the v1 image ID, and the digests a RISC
/// Zero guest commits to.
public enum Risc0 {
    /// GUEST_MAX_MEM of RISC Zero 1.x: the entry and every loaded word lie below it.
    public static let guestMaxMemory: UInt32 = ZKVM_RISC0_GUEST_MAX_MEM

    /// An ELF as RISC Zero v1 loads it.
    public struct Image: Sendable, Equatable {
        /// The image ID (`risc0_binfmt::compute_image_id`), in its standard byte order.
        public let id: ProgramID
        /// Root of the page-table Merkle tree over the initial memory.
        public let merkleRoot: [UInt8]
        /// The ELF entry point (the SystemState pc).
        public let entry: UInt32
    }

    /// Loads `elf` by RISC Zero v1's rules (not SP1's: see `Program`) and computes its image ID.
    public static func image(elf: [UInt8]) throws(ProgramLoadError) -> Image {
        guard !elf.isEmpty else { throw ProgramLoadError(kind: .empty, message: "the ELF is empty") }
        var out = zkvm_risc0_image()
        var error = zkvm_load_error()
        let status = elf.withUnsafeBufferPointer { zkvm_risc0_image_id($0.baseAddress, $0.count, &out, &error) }
        guard status == ZKVM_LOAD_OK else {
            throw ProgramLoadError(status: status, message: string(fromCharArray: error.message))
        }
        return Image(id: ProgramID(bytes: bytes(of: out.image_id))!, merkleRoot: bytes(of: out.merkle_root),
                     entry: out.entry)
    }

    /// `tagged_struct(tag, digests, words)`: SHA-256(SHA-256(tag) ‖ digests ‖ words as u32 LE ‖
    /// digest count as u16 LE). Every digest must be 32 bytes, and there may be at most 65,535.
    public static func taggedStruct(tag: String, digests: [[UInt8]], words: [UInt32]) -> [UInt8] {
        precondition(digests.allSatisfy { $0.count == 32 } && digests.count <= Int(UInt16.max))
        let down = digests.flatMap { $0 }
        return digest { out in
            down.withUnsafeBufferPointer { d in
                words.withUnsafeBufferPointer { w in
                    zkvm_risc0_tagged_struct(tag, d.baseAddress, digests.count, w.baseAddress, w.count, out)
                }
            }
        }
    }

    /// The output digest a guest halts with for `journal` and no assumptions.
    public static func outputDigest(journal: [UInt8]) -> [UInt8] {
        digest { out in journal.withUnsafeBufferPointer { zkvm_risc0_output_digest($0.baseAddress, $0.count, out) } }
    }

    /// RISC Zero's page hash: SHA-256 compression of each 64-byte block from the IV, no padding.
    public static func pageHash(_ bytes: [UInt8]) -> [UInt8] {
        precondition(bytes.count % 64 == 0, "the page hash takes whole 64-byte blocks")
        return digest { out in bytes.withUnsafeBufferPointer { zkvm_risc0_page_hash($0.baseAddress, $0.count, out) } }
    }

    /// `PageTableInfo::new(pageTableAddress, pageSize)` of RISC Zero v1.
    public struct PageTableGeometry: Sendable, Equatable {
        public let pageSize: UInt32
        public let pageTableAddress: UInt32
        /// Bytes of entries in each layer, the data pages' layer first.
        public let layers: [UInt32]
        /// The layers' total, rounded up to a 64-byte block.
        public let tableBytes: UInt32
        public let numPages: UInt32
        public let rootIndex: UInt32
        public let rootPageAddress: UInt32
        public let rootAddress: UInt32
        public let rootEntries: UInt32
    }

    /// The geometry the image ID uses.
    public static let pageTable = pageTableGeometry(pageTableAddress: 0x0D00_0000, pageSize: 1024)!

    /// nil for parameters RISC Zero rejects.
    public static func pageTableGeometry(pageTableAddress: UInt32, pageSize: UInt32) -> PageTableGeometry? {
        var g = zkvm_risc0_page_table()
        guard zkvm_risc0_page_table_geometry(pageTableAddress, pageSize, &g) == 0 else { return nil }
        let layers = withUnsafeBytes(of: g.layers) { Array($0.bindMemory(to: UInt32.self).prefix(Int(g.layer_count))) }
        return PageTableGeometry(pageSize: g.page_size, pageTableAddress: g.page_table_addr, layers: layers,
                                 tableBytes: g.table_bytes, numPages: g.num_pages, rootIndex: g.root_idx,
                                 rootPageAddress: g.root_page_addr, rootAddress: g.root_addr,
                                 rootEntries: g.num_root_entries)
    }

    private static func digest(_ body: (UnsafeMutablePointer<UInt8>) -> Int32) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let status = out.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
        precondition(status == 0, "RISC Zero digest failed (allocation)")
        return out
    }

    private static func bytes<Tuple>(of tuple: Tuple) -> [UInt8] { withUnsafeBytes(of: tuple) { Array($0) } }
}
