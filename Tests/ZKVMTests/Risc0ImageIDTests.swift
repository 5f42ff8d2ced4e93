import Foundation
import Testing
@testable import ZKVM

/// ../shared/risc0: RISC Zero test ELFs and the image IDs an independent (unverified) Python model
/// computes for them. Absent in a user's clone.
enum Risc0Shared {
    static let dir = Paths.shared.appendingPathComponent("risc0")
    static let crossCheck = dir.appendingPathComponent("image_ids_cross_check.txt")
    static var present: Bool { FileManager.default.fileExists(atPath: crossCheck.path) }

    struct Entry: Sendable, CustomStringConvertible {
        let file: String, entry: UInt32, root: String, imageID: String
        var description: String { file }
    }

    /// Lines `<file> pc=0x<entry> root= <hex> image_id= <hex>`.
    static let entries: [Entry] = {
        guard let text = try? String(contentsOf: crossCheck, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ").map(String.init)
            guard f.count == 6, f[1].hasPrefix("pc=0x"), f[2] == "root=", f[4] == "image_id=",
                  let pc = UInt32(f[1].dropFirst(5), radix: 16) else { return nil }
            return Entry(file: f[0], entry: pc, root: f[3], imageID: f[5])
        }
    }()

    /// file → sha256 from manifest.json.
    static let manifestHashes: [String: String] = {
        guard let data = try? Data(contentsOf: dir.appendingPathComponent("manifest.json")),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [:] }
        return Dictionary(list.compactMap { item in
            (item["file"] as? String).flatMap { f in (item["sha256"] as? String).map { (f, $0) } }
        }, uniquingKeysWith: { a, _ in a })
    }()
}

/// Plain SHA-256 from the tests' own FIPS 180-4 implementation (independent of OpenSSL).
private func sha256(_ message: [UInt8]) -> [UInt8] { GuestProgramTests.Fixture.sha256(message) }

/// The authoritative intermediate vectors (R0_V1_ABI.md §2.3, §3.1 and the RISC Zero unit tests
/// they come from), and the image IDs of RISC Zero's own test ELFs.
@Suite("RISC Zero v1 image ID")
struct Risc0ImageIDTests {
    @Test("page-table geometry equals RISC Zero's page_table_info unit test (binfmt image.rs)")
    func geometry() {
        let g = Risc0.pageTable
        #expect(g.layers == [6_815_744, 212_992, 6_656, 192])
        #expect(g.tableBytes == 7_035_584)
        #expect(g.tableBytes / 1024 == 6_870)
        #expect(g.numPages == 219_862)
        #expect(g.rootIndex == 219_862)
        #expect(g.rootPageAddress == 0x0D6B_5800)
        #expect(g.rootAddress == 0x0D6B_5AC0)
        #expect(g.rootEntries == 22)
    }

    @Test("geometry of other sizes, from RISC Zero's page_size_1k unit test; invalid parameters are refused")
    func otherGeometries() {
        func size(_ maxMem: UInt32) -> UInt32? { Risc0.pageTableGeometry(pageTableAddress: maxMem, pageSize: 1024)?.tableBytes }
        #expect(size(1024) == 64)
        #expect(size(2048) == 64)
        let twoLayers: UInt32 = 32 * 256 + 256
        #expect(size(256 * 1024) == twoLayers)
        let big = Risc0.pageTableGeometry(pageTableAddress: 256 << 20, pageSize: 1024)
        let layers: [UInt32] = [8 << 20, 256 << 10, 8 << 10, 256]
        #expect(big?.layers == layers)
        #expect(big?.tableBytes == layers.reduce(0, +))
        #expect(Risc0.pageTableGeometry(pageTableAddress: 0x0D00_0000, pageSize: 1000) == nil)  // not a power of 2
        #expect(Risc0.pageTableGeometry(pageTableAddress: 0x0D00_0000, pageSize: 32) == nil)  // never shrinks
        #expect(Risc0.pageTableGeometry(pageTableAddress: 512, pageSize: 1024) == nil)  // less than a page
    }

    @Test("zero-page hash (compression only, no padding)")
    func zeroPage() {
        #expect(Risc0.pageHash([UInt8](repeating: 0, count: 1024)).hexString
            == "93fa7a18cb52031408d29f5110e42be6fc4a07de4d0e65025156c97d72e04acf")
    }

    @Test("the page hash is SHA-256's compression: over explicitly padded blocks it gives SHA-256")
    func compressionIsSHA256() {
        func padded(_ m: [UInt8]) -> [UInt8] {
            let p = m + [0x80]
            let length = withUnsafeBytes(of: (UInt64(m.count) * 8).bigEndian) { Array($0) }
            return p + [UInt8](repeating: 0, count: (120 - p.count % 64) % 64) + length
        }
        #expect(Risc0.pageHash(padded(Array("abc".utf8))).hexString
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(Risc0.pageHash(padded(long)) == sha256(long))
    }

    @Test("the risc0.SystemState tag hash is 206115a8…21d6")
    func systemStateTag() {
        let tag = sha256(Array("risc0.SystemState".utf8)).hexString
        #expect(tag.hasPrefix("206115a8") && tag.hasSuffix("21d6"))
        #expect(tag == "206115a847207c0892e0c0547225df31d02a96eeb395670c31112dff90b421d6")
    }

    /// risc0/binfmt/src/hash.rs, `test_tagged_struct` (same at v1.0.5 and later).
    @Test("tagged_struct vector of RISC Zero's hash.rs: baz = 9ff20cc6…d442")
    func taggedStructVector() {
        let p: UInt32 = 2_013_265_920  // the BabyBear modulus minus one
        let d1 = Risc0.taggedStruct(tag: "foo", digests: [], words: [1, p, 3])
        let d2 = Risc0.taggedStruct(tag: "bar", digests: [d1, d1], words: [p, 5])
        let d3 = Risc0.taggedStruct(tag: "baz", digests: [d1, d2, d1], words: [6, 7, p, 9, 10])
        #expect(d3.hexString == "9ff20cc6d365efa2af09181772f49013d05cdee6da896851614cae23aa5dd442")
    }

    @Test("tagged_struct encoding: SHA-256(SHA-256(tag) ‖ digests ‖ u32 LE words ‖ u16 LE count)")
    func taggedStructEncoding() {
        let a = [UInt8](repeating: 0xAB, count: 32), b = Array(0..<32 as Range<UInt8>)
        let tag = sha256(Array("t".utf8))
        let manual = sha256(tag + a + b + [4, 3, 2, 1] + [0xFF, 0, 0, 0x80] + [2, 0])
        #expect(Risc0.taggedStruct(tag: "t", digests: [a, b], words: [0x0102_0304, 0x8000_00FF]) == manual)
    }

    @Test("output digest of the empty journal = loop.s's halt digest 836f175c…b0")
    func emptyJournalOutput() {
        #expect(Risc0.outputDigest(journal: []).hexString
            == "836f175c62c0f353831665427e8b0b34f6d1d21902764daeb406c6b83db575b0")
        let journal = Array("hello".utf8)
        let zero = [UInt8](repeating: 0, count: 32)
        #expect(Risc0.outputDigest(journal: journal)
            == Risc0.taggedStruct(tag: "risc0.Output", digests: [sha256(journal), zero], words: []))
    }

    @Test("image ID = tagged risc0.SystemState over [merkle root] and [entry]")
    func imageIDIsTaggedSystemState() throws {
        let image = try Risc0.image(elf: Risc0LoaderTests.valid.build())
        let manual = sha256(sha256(Array("risc0.SystemState".utf8)) + image.merkleRoot
            + image.entry.littleEndianBytes + [1, 0])
        #expect(image.id.bytes == manual)
        #expect(image.entry == 0x0020_0800)
    }

    /// §3.1 steps 2–6 read literally: every entry 0 ..< num_pages written in ascending order into
    /// 1 KiB pages (creating table pages as it goes), each page hashed in full, then the root.
    static func literalRoot(memory: [UInt32: UInt8]) -> [UInt8] {
        let g = Risc0.pageTable
        var pages: [UInt32: [UInt8]] = [:]
        for (addr, byte) in memory { pages[addr / 1024, default: [UInt8](repeating: 0, count: 1024)][Int(addr % 1024)] = byte }
        let zero = Risc0.pageHash([UInt8](repeating: 0, count: 1024))
        for idx in 0..<g.numPages {
            let digest = pages[idx].map(Risc0.pageHash) ?? zero
            let entry = g.pageTableAddress + 32 * idx, at = Int(entry % 1024)
            pages[entry / 1024, default: [UInt8](repeating: 0, count: 1024)].replaceSubrange(at..<at + 32, with: digest)
        }
        return Risc0.pageHash(Array(pages[g.rootIndex]![0..<Int(g.rootAddress - g.rootPageAddress)]))
    }

    @Test("the sparse tree equals the literal ascending fill, for memory spread over every table layer")
    func sparseEqualsLiteral() throws {
        var rng = SplitMix64(seed: 0x0C0F_FEE0)
        func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        let segments: [ELFBuilder.Segment] = [
            .init(vaddr: 0, bytes: bytes(40), memsz: 64, flags: 6),                  // below GUEST_MIN_MEM
            .init(vaddr: 0x8000, bytes: bytes(1500), flags: 5),                       // second level-0 table page
            .init(vaddr: 0x0080_0000, bytes: bytes(3000), memsz: 5000, flags: 6),    // another level-1 subtree
            .init(vaddr: 0x07FF_FC00, bytes: bytes(7), flags: 6),                     // partial word
            .init(vaddr: 0x0BFF_FC00, bytes: bytes(1024), flags: 6),                  // the last guest page
        ]
        var memory: [UInt32: UInt8] = [:]
        for s in segments {
            let words = (Int(s.memsz ?? UInt32(s.bytes.count)) + 3) / 4
            for i in 0..<words * 4 { memory[s.vaddr + UInt32(i)] = i < s.bytes.count ? s.bytes[i] : 0 }
        }
        let image = try Risc0.image(elf: ELFBuilder(entry: 0x8000, segments: segments).build())
        #expect(image.merkleRoot == Self.literalRoot(memory: memory))
        // And all-zero memory (no PT_LOAD at all).
        let empty = try Risc0.image(elf: ELFBuilder(entry: 0, segments: [.init(type: 4, vaddr: 0, bytes: [1], flags: 4)]).build())
        #expect(empty.merkleRoot == Self.literalRoot(memory: [:]))
    }

    @Test("image IDs of RISC Zero's loop.bin and riscv-tests equal image_ids_cross_check.txt",
          .enabled(if: Risc0Shared.present, "../shared/risc0 is absent (a user's clone has none)"),
          arguments: Risc0Shared.entries)
    func crossCheck(_ expected: Risc0Shared.Entry) throws {
        let elf = try Paths.bytes(Risc0Shared.dir.appendingPathComponent(expected.file))
        if let sha = Risc0Shared.manifestHashes[expected.file] {
            #expect(sha256(elf).hexString == sha, "\(expected.file) differs from manifest.json")
        }
        let image = try Risc0.image(elf: elf)
        #expect(image.entry == expected.entry)
        #expect(image.merkleRoot.hexString == expected.root)
        #expect(image.id.hex == expected.imageID)
    }

    @Test("the cross-check file lists loop.bin and the 46 riscv-tests",
          .enabled(if: Risc0Shared.present, "../shared/risc0 is absent (a user's clone has none)"))
    func crossCheckIsComplete() throws {
        let files = Set(Risc0Shared.entries.map(\.file))
        #expect(files.contains("elfs/risc0__loop-v1.1.3.bin"))
        let tests = try FileManager.default.contentsOfDirectory(atPath: Risc0Shared.dir.appendingPathComponent("riscv-tests").path)
            .filter { $0.hasSuffix(".elf") }
        #expect(tests.count == 46)
        #expect(Set(tests.map { "riscv-tests/" + $0 }).isSubset(of: files))
    }
}

/// RISC Zero v1's ELF loader rules (risc0-binfmt 1.0.x `Program::load_elf`, max_mem 0x0C000000),
/// which differ from the SP1 loader's.
@Suite("RISC Zero v1 loader")
struct Risc0LoaderTests {
    static var valid: ELFBuilder {
        ELFBuilder(code: [0x0000_0513, 0x0000_0073], data: [1, 2, 3, 4, 5, 6, 7, 8], dataAddress: 0x0030_0000)
    }

    func rejection(_ elf: [UInt8]) -> ProgramLoadError? {
        do {
            _ = try Risc0.image(elf: elf)
            return nil
        } catch {
            #expect(!error.message.isEmpty)
            return error
        }
    }

    func id(_ b: ELFBuilder) throws -> [UInt8] { try Risc0.image(elf: b.build()).id.bytes }

    /// Overwrites a little-endian field of a built ELF.
    func patched(_ elf: [UInt8], at offset: Int, _ value: UInt32, width: Int = 4) -> [UInt8] {
        var out = elf
        out.replaceSubrange(offset..<offset + width, with: value.littleEndianBytes.prefix(width))
        return out
    }

    /// Offset of program header `i`'s field (p_offset 4, p_vaddr 8, p_filesz 16, p_memsz 20).
    func ph(_ i: Int, _ field: Int) -> Int { 52 + 32 * i + field }

    @Test("header rejections")
    func headerRejections() {
        let elf = Self.valid.build()
        #expect(rejection([])?.kind == .empty)
        #expect(rejection(Array("not an elf at all".utf8))?.kind == .notELF)
        #expect(rejection(Array(elf.prefix(10)))?.kind == .truncated)
        #expect(rejection(Array(elf.prefix(40)))?.kind == .truncated)
        #expect(rejection(patched(elf, at: 6, 2, width: 1))?.kind == .notELF)  // EI_VERSION
        var b = Self.valid
        b.elfClass = 2
        #expect(rejection(b.build())?.kind == .wrongClass)
        b = Self.valid
        b.dataEncoding = 2
        #expect(rejection(b.build())?.kind == .wrongEndianness)
        b = Self.valid
        b.machine = 62
        #expect(rejection(b.build())?.kind == .wrongMachine)
        b = Self.valid
        b.type = 3
        #expect(rejection(b.build())?.kind == .wrongType)
    }

    @Test("entry: below 0x0C000000 and 4-aligned, but it need not lie in a segment")
    func entry() throws {
        var b = Self.valid
        b.entry = 0x0020_0802
        #expect(rejection(b.build())?.kind == .misalignedEntry)
        b.entry = Risc0.guestMaxMemory
        let error = rejection(b.build())
        #expect(error?.kind == .entryNotExecutable)
        #expect(error?.message.contains("0x0c000000") == true)
        b.entry = Risc0.guestMaxMemory - 4
        #expect(try Risc0.image(elf: b.build()).entry == 0x0BFF_FFFC)
        b.entry = 0  // in no segment: RISC Zero accepts it
        #expect(throws: Never.self) { try Risc0.image(elf: b.build()) }
    }

    @Test("program and section header tables")
    func headerTables() throws {
        let elf = Self.valid.build()
        #expect(rejection(patched(elf, at: 28, 0))?.kind == .noExecutableSegment)  // e_phoff = 0
        #expect(rejection(patched(elf, at: 42, 40, width: 2))?.kind == .invalidSegment)  // e_phentsize
        #expect(rejection(patched(elf, at: 44, 200, width: 2))?.kind == .truncated)  // table past the end
        var sections = Self.valid
        sections.withSections = true
        let withSections = sections.build()
        #expect(rejection(patched(withSections, at: 46, 41, width: 2))?.kind == .notELF)  // e_shentsize
        #expect(rejection(patched(withSections, at: 32, UInt32(withSections.count - 8)))?.kind == .truncated)
        #expect(try id(sections) == id(Self.valid))  // sections and symbols do not count
    }

    @Test("at most 256 program headers")
    func programHeaderCount() throws {
        func elf(_ n: Int) -> [UInt8] {
            var b = Self.valid
            b.segments += (0..<(n - 2)).map { _ in ELFBuilder.Segment(type: 4, vaddr: 0, bytes: [], flags: 4) }
            return b.build()
        }
        #expect(throws: Never.self) { try Risc0.image(elf: elf(256)) }
        #expect(rejection(elf(257))?.kind == .tooManySegments)
        #expect(try Risc0.image(elf: elf(256)) == Risc0.image(elf: Self.valid.build()))  // non-PT_LOAD headers are ignored
    }

    @Test("segment rejections: sizes, alignment, addresses and file bytes")
    func segmentRejections() {
        let elf = Self.valid.build()
        #expect(rejection(patched(elf, at: ph(1, 16), Risc0.guestMaxMemory))?.kind == .invalidSegment)
        #expect(rejection(patched(elf, at: ph(1, 20), Risc0.guestMaxMemory))?.kind == .invalidSegment)
        var b = Self.valid
        b.segments[1].vaddr = 0x0030_0002
        #expect(rejection(b.build())?.kind == .misalignedSegment)
        b = Self.valid
        b.segments[1].vaddr = Risc0.guestMaxMemory - 4  // its second word is at 0x0C000000
        let error = rejection(b.build())
        #expect(error?.kind == .segmentOutsideWindow)
        #expect(error?.message.contains("0x0c000000") == true)
        b.segments[1].vaddr = 0xFFFF_FFF8  // would wrap around
        #expect(rejection(b.build())?.kind == .segmentOutsideWindow)
        b = Self.valid
        b.segments[1].offsetOverride = 1 << 20
        #expect(rejection(b.build())?.kind == .truncated)
        #expect(rejection(Array(elf.prefix(elf.count - 1)))?.kind == .truncated)
    }

    @Test("what RISC Zero accepts that SP1's loader would not")
    func acceptedQuirks() throws {
        var b = Self.valid
        b.segments.append(.init(vaddr: 0xF000_0000, bytes: [], memsz: 0, flags: 6))  // empty, out of range
        #expect(try id(b) == id(Self.valid))
        b = Self.valid
        b.segments[1].vaddr = 0x10  // below GUEST_MIN_MEM
        #expect(throws: Never.self) { try id(b) }
        b = Self.valid
        b.segments[1].memsz = Risc0.guestMaxMemory - 0x0030_0000 - 1  // zero fill up to the last word
        #expect(try id(b) == id(Self.valid))  // zeros are zeros, loaded or not
        b = Self.valid
        b.segments[1].flags = 7  // flags do not count
        #expect(try id(b) == id(Self.valid))
        // p_filesz beyond the file is fine when memsz stops the reading first.
        b = Self.valid
        b.segments[1].memsz = 4
        let long = patched(b.build(), at: ph(1, 16), 4096)
        b.segments[1].bytes = [1, 2, 3, 4]
        #expect(try Risc0.image(elf: long) == Risc0.image(elf: b.build()))
    }

    @Test("word-wise fill: partial words, filesz above memsz, zero fill")
    func wordFill() throws {
        var a = Self.valid, b = Self.valid
        a.segments[1].memsz = 5  // two words: all 8 file bytes are read
        b.segments[1].memsz = 8
        #expect(try id(a) == id(b))
        a.segments[1].bytes = [1, 2, 3, 4, 5]  // the second word is 05 00 00 00
        b.segments[1].bytes = [1, 2, 3, 4, 5, 0, 0, 0]
        #expect(try id(a) == id(b))
        a = Self.valid
        a.segments[1].memsz = 4  // the file's second word is not loaded
        b.segments[1].bytes = [1, 2, 3, 4]
        b.segments[1].memsz = nil
        #expect(try id(a) == id(b))
        a = Self.valid
        a.segments[1].bytes = [1, 2, 3, 4, 0, 0, 0, 0]  // explicit zeros equal the zero fill
        b = Self.valid
        b.segments[1].bytes = [1, 2, 3, 4]
        b.segments[1].memsz = 8
        #expect(try id(a) == id(b))
    }

    @Test("later segments replace earlier words, zero fill included; so order matters")
    func overwrite() throws {
        var layered = Self.valid
        layered.segments.append(.init(vaddr: 0x0030_0004, bytes: [9], memsz: 8, flags: 6))
        var flat = Self.valid
        flat.segments[1].bytes = [1, 2, 3, 4, 9, 0, 0, 0]
        flat.segments[1].memsz = 12
        #expect(try id(layered) == id(flat))
        var cleared = Self.valid
        cleared.segments.append(.init(vaddr: 0x0030_0000, bytes: [], memsz: 8, flags: 6))
        var none = Self.valid
        none.segments.removeLast()
        #expect(try Risc0.image(elf: cleared.build()).merkleRoot == Risc0.image(elf: none.build()).merkleRoot)
        var swapped = layered
        swapped.segments.swapAt(1, 2)
        #expect(try id(swapped) != id(layered))
    }

    @Test("the entry and every loaded byte count; the root does not depend on the entry")
    func contentCounts() throws {
        let base = try Risc0.image(elf: Self.valid.build())
        var b = Self.valid
        b.entry += 4
        let moved = try Risc0.image(elf: b.build())
        #expect(moved.id != base.id && moved.merkleRoot == base.merkleRoot)
        b = Self.valid
        b.segments[1].bytes[7] ^= 1
        #expect(try id(b) != base.id.bytes)
        b = Self.valid
        b.segments[1].vaddr += 4
        #expect(try id(b) != base.id.bytes)
    }

    @Test("arbitrary and mutated bytes never crash the loader")
    func fuzz() {
        var rng = SplitMix64(seed: 0x0052_3053)
        let elf = Self.valid.build()
        var loaded = 0
        for round in 0..<2000 {
            var bytes = elf
            if round % 4 == 0 {
                bytes = (0..<Int(rng.next() % 256)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if bytes.count >= 7 { bytes.replaceSubrange(0..<7, with: [0x7F, 0x45, 0x4C, 0x46, 1, 1, 1]) }
            } else {
                for _ in 0..<(1 + rng.next() % 6) {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
                if rng.next() % 4 == 0 { bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count)))) }
            }
            if (try? Risc0.image(elf: bytes)) != nil { loaded += 1 } else { _ = rejection(bytes) }
        }
        #expect(loaded > 0 && loaded < 2000)
    }
}
