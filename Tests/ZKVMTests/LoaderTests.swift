import Foundation
import Testing
@testable import ZKVM

/// ELF validation: every rejection with its specific reason, and no crash on arbitrary bytes.
@Suite("ELF loader")
struct LoaderTests {
    static let code: [UInt32] = {
        var asm = Assembler()
        asm.addi(.a0, .zero, 0)
        asm.halt()
        return asm.assemble()
    }()

    var valid: ELFBuilder { ELFBuilder(code: Self.code, data: [1, 2, 3, 4]) }

    func rejection(_ elf: [UInt8], limits: LoadLimits = .default) -> ProgramLoadError? {
        #expect(throws: ProgramLoadError.self) { try Program(elf: elf, limits: limits) }
    }

    @Test("a valid image loads with its segments and entry")
    func validImage() throws {
        let p = try Program(elf: valid.build())
        #expect(p.entry == 0x0020_0800)
        #expect(p.abi == .unknown)
        #expect(p.instructionCount == Self.code.count)
        #expect(p.segments == [
            // The text ends with ECALL (73 00 00 00): its three zero bytes are trimmed.
            Segment(address: 0x0020_0800, memorySize: UInt64(Self.code.count * 4), fileSize: UInt64(Self.code.count * 4 - 3),
                    readable: true, writable: false, executable: true),
            Segment(address: 0x0030_0000, memorySize: 4, fileSize: 4, readable: true, writable: true, executable: false),
        ])
        #expect(try p.execute(stdin: [], maxCycles: 100).cycles == UInt64(Self.code.count))
    }

    @Test("header rejections")
    func headerRejections() {
        #expect(rejection([])?.kind == .empty)
        #expect(rejection(Array("hello world, not an elf".utf8))?.kind == .notELF)
        #expect(rejection([0x7F, 0x45, 0x4C, 0x46, 1, 1])?.kind == .truncated)
        var b = valid
        b.elfClass = 3  // ELFCLASS64 (2) is an RV64 guest, see LoaderV6Tests
        #expect(rejection(b.build())?.kind == .wrongClass)
        b = valid
        b.dataEncoding = 2
        #expect(rejection(b.build())?.kind == .wrongEndianness)
        b = valid
        b.machine = 62  // x86-64
        #expect(rejection(b.build())?.kind == .wrongMachine)
        #expect(rejection(b.build())?.message.contains("EM_RISCV") == true)
        b = valid
        b.type = 3  // ET_DYN
        #expect(rejection(b.build())?.kind == .wrongType)
        #expect(rejection(Array(valid.build().prefix(40)))?.kind == .truncated)
    }

    @Test("entry point rejections")
    func entryRejections() {
        var b = valid
        b.entry = 0x0020_0802
        #expect(rejection(b.build())?.kind == .misalignedEntry)
        b.entry = 0x0030_0000  // the data segment
        #expect(rejection(b.build())?.kind == .entryNotExecutable)
        b.entry = 0x0010_0000
        #expect(rejection(b.build())?.kind == .entryNotExecutable)
    }

    @Test("segment rejections")
    func segmentRejections() {
        var b = valid
        b.segments[0].flags = 4
        #expect(rejection(b.build())?.kind == .noExecutableSegment)
        b = valid
        b.segments[1].vaddr = 0x0040_0002
        #expect(rejection(b.build())?.kind == .misalignedSegment)
        b = valid
        b.segments[1].vaddr = 0x0020_0804
        #expect(rejection(b.build())?.kind == .overlappingSegments)
        b = valid
        b.segments[1].vaddr = 0x10
        #expect(rejection(b.build())?.kind == .segmentOutsideWindow)
        b = valid
        b.segments[1].vaddr = 0x7800_0000
        b.segments[1].memsz = 8
        #expect(rejection(b.build())?.kind == .segmentOutsideWindow)
        b = valid
        b.segments[1].memsz = 2
        #expect(rejection(b.build())?.kind == .invalidSegment)  // filesz > memsz
        b = valid
        b.segments[1].memsz = 64 << 20
        #expect(rejection(b.build(), limits: LoadLimits(maxImageBytes: 32 << 20))?.kind == .imageTooLarge)
        #expect(throws: Never.self) { try Program(elf: b.build(), limits: LoadLimits(maxImageBytes: 128 << 20)) }
        b = valid
        b.segments[0].bytes = [UInt8](repeating: 0x13, count: 600 << 10)  // 600 KiB of code
        #expect(rejection(b.build(), limits: LoadLimits(maxTextBytes: 512 << 10))?.kind == .imageTooLarge)
        b = valid
        b.segments[1].offsetOverride = 1 << 20
        #expect(rejection(b.build())?.kind == .truncated)
        let elf = valid.build()
        #expect(rejection(Array(elf.prefix(elf.count - 2)))?.kind == .truncated)
    }

    @Test("only file-backed code is decoded: a tiny ELF cannot claim a huge text")
    func zeroFilledText() throws {
        var b = valid
        b.segments[0].memsz = 16 << 20  // 16 MiB executable segment, a few words of code
        b.segments[1].vaddr = 0x0200_0000  // the data segment after it
        let p = try Program(elf: b.build())
        #expect(p.instructionCount == Self.code.count)
        #expect(try p.execute(stdin: [], maxCycles: 100).cycles == UInt64(Self.code.count))
        b.entry = 0x0020_0800 + 1 << 20  // inside the segment, but in its zero fill
        let error = rejection(b.build())
        #expect(error?.kind == .entryNotExecutable)
        #expect(error?.message.contains("zero-filled") == true)
    }

    @Test("a large .bss is zero-filled without being stored")
    func zeroFill() throws {
        var b = valid
        b.segments[1].memsz = 16 << 20
        let p = try Program(elf: b.build())
        #expect(p.segments[1].memorySize == 16 << 20)
        #expect(p.segments[1].fileSize == 4)
    }

    @Test("arbitrary and mutated bytes never crash the loader")
    func fuzz() {
        var rng = SplitMix64(seed: 0x5EED)
        let elf = valid.build()
        var loaded = 0, rejected = 0
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int(rng.next() % 512)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if round % 2 == 0 && bytes.count >= 4 { bytes.replaceSubrange(0..<4, with: [0x7F, 0x45, 0x4C, 0x46]) }
            } else {
                bytes = elf
                for _ in 0..<(1 + rng.next() % 8) {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                }
                if rng.next() % 4 == 0 { bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count)))) }
            }
            do {
                let p = try Program(elf: bytes)
                loaded += 1
                _ = try? p.execute(stdin: [], maxCycles: 10_000)  // whatever it decodes to must run safely
            } catch {
                rejected += 1
                #expect(!error.message.isEmpty)
            }
        }
        #expect(loaded + rejected == 3000)
        #expect(rejected > 1000)
    }
}
