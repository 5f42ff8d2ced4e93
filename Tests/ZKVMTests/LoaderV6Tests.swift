import Foundation
import Testing
@testable import ZKVM

/// SP1 v6.4.0's loader rules on ELF64 files (SP1_V6_ABI.md §1.2): every rejection with its
/// specific kind, the class deciding the ISA and ABI, and the image quirk SP1 v6 has.
@Suite("ELF loader (SP1 v6, ELF64)")
struct LoaderV6Tests {
    static let code: [UInt32] = {
        var asm = Assembler(base: 0x7800_0000)
        asm.addi(.a0, .zero, 0)
        asm.halt()
        return asm.assemble()
    }()
    static var text: [UInt8] { code.flatMap { $0.littleEndianBytes } }

    var valid: ELF64Builder { ELF64Builder(code: Self.code, data: [1, 2, 3, 4, 5, 6, 7, 8]) }

    func rejection(_ elf: [UInt8], limits: LoadLimits = .default) -> ProgramLoadError? {
        #expect(throws: ProgramLoadError.self) { try Program(elf: elf, limits: limits) }
    }

    @Test("a valid ELF64 is an RV64IM program under SP1 v6's ABI")
    func validImage() throws {
        let p = try Program(elf: valid.build())
        #expect(p.isa == .rv64im)
        #expect(p.abi == .sp1v6)
        #expect(p.entry == 0x7800_0000 && p.textBase == 0x7800_0000)
        #expect(p.instructionCount == Self.code.count)
        #expect(p.untrustedMode == nil)
        #expect(p.segments.map(\.address) == [0x7800_0000, 0x7810_0000])
        #expect(try p.execute(stdin: [], maxCycles: 100).cycles == UInt64(Self.code.count))
        // The same code as ELF32 is RV32IM (SP1 v3-v5 rules): 0x78000000 lies outside that window.
        var b32 = ELFBuilder(code: Self.code)
        b32.segments[0].vaddr = 0x0020_0800
        #expect(try Program(elf: b32.build()).isa == .rv32im)
    }

    @Test("header rejections")
    func headers() {
        var b = valid
        b.machine = 62
        #expect(rejection(b.build())?.kind == .wrongMachine)
        b = valid
        b.type = 3
        #expect(rejection(b.build())?.kind == .wrongType)
        b = valid
        b.entry = 0x7800_0002
        #expect(rejection(b.build())?.kind == .misalignedEntry)
        b = valid
        b.entry = 0x7810_0000  // data: SP1 would fail at the first fetch; we refuse to load
        #expect(rejection(b.build())?.kind == .entryNotExecutable)
        var other = valid.build()
        other[4] = 3
        #expect(rejection(other)?.kind == .wrongClass)
        #expect(rejection(Array(valid.build().prefix(60)))?.kind == .truncated)
    }

    @Test("segment rules: STACK_TOP, readable, not W+X, sorted and disjoint, aligned, inside 2^40")
    func segments() {
        var b = valid
        b.segments[1].vaddr = 0x7700_0000
        #expect(rejection(b.build())?.kind == .segmentOutsideWindow)
        #expect(rejection(b.build())?.message.contains("0x78000000") == true)
        b = valid
        b.segments[1].vaddr = 1 << 40
        #expect(rejection(b.build())?.kind == .segmentOutsideWindow)
        b = valid
        b.segments[0].flags = 1  // X only
        #expect(rejection(b.build())?.kind == .unreadableSegment)
        b = valid
        b.segments[0].flags = 7
        #expect(rejection(b.build())?.kind == .writableExecutable)
        b = valid
        b.segments.swapAt(0, 1)  // file order must be address order
        #expect(rejection(b.build())?.kind == .overlappingSegments)
        b = valid
        b.segments[1].vaddr = 0x7800_0004
        #expect(rejection(b.build())?.kind == .overlappingSegments)
        b = valid
        b.segments[1].vaddr = 0x7810_0002
        #expect(rejection(b.build())?.kind == .misalignedSegment)
        b = valid
        b.segments[0].memsz = UInt64((1 << 48) - 1)
        #expect(rejection(b.build())?.kind == .invalidSegment)
    }

    @Test("executable code must be one contiguous block; a second segment right after the first is fine")
    func contiguousText() throws {
        let half = Self.code.count / 2 * 4
        var b = ELF64Builder(entry: 0x7800_0000, segments: [
            .init(vaddr: 0x7800_0000, bytes: Array(Self.text[..<half]), flags: 5),
            .init(vaddr: 0x7800_0000 + UInt64(half), bytes: Array(Self.text[half...]), flags: 5),
        ])
        let p = try Program(elf: b.build())
        #expect(p.instructionCount == Self.code.count)
        #expect(try p.execute(stdin: [], maxCycles: 100).cycles == UInt64(Self.code.count))
        b.segments[1].vaddr += 0x1000
        #expect(rejection(b.build())?.kind == .noncontiguousText)
        // A PF_UNTRUSTED executable segment is not part of the trusted text: no contiguity rule.
        b.segments[1].flags = 5 | 0x0010_0000
        let untrusted = try Program(elf: b.build())
        #expect(untrusted.instructionCount == half / 4)
        #expect(untrusted.segments[1].untrusted)
    }

    @Test("a word of the text that does not decode refuses the program; CSR and FENCE load (as UNIMP)", arguments: [
        (UInt32(0x0000_0000), true), (0x0000_100F, true) /* FENCE.I */, (0x0005_202F, true) /* AMOADD.W */,
        (0x1020_0073, true) /* SRET */, (0x0000_4073, true) /* SYSTEM funct3 4 */, (0x0200_0033 | 3 << 12 | 1 << 25, false),
        (0x0000_000F, false) /* FENCE */, (0xC000_2573, false) /* csrr a0, cycle */, (0x3020_0073, false) /* MRET */,
        (0x4000_0033 | 1 << 12, true) /* SLL with funct7 0x20 */, (0x0000_703B, true) /* OP-32 funct3 7 */,
    ] as [(UInt32, Bool)])
    func undecodable(_ word: UInt32, _ rejected: Bool) throws {
        var b = valid
        b.segments[0].bytes = word.littleEndianBytes + Self.text
        if rejected {
            let error = rejection(b.build())
            #expect(error?.kind == .undecodableInstruction)
            #expect(error?.message.contains(String(format: "0x%08x", word)) == true, "\(error?.message ?? "")")
        } else {
            let p = try Program(elf: b.build())
            do {
                let run = try p.execute(stdin: [], maxCycles: 100)
                #expect(word == 0x0200_0033 | 3 << 12 | 1 << 25, "only MULHU runs to the end: \(run.cycles)")
            } catch {
                #expect(error.kind == .unimplementedInstruction)
            }
        }
    }

    @Test("at most 2^22 instructions")
    func instructionCap() {
        var b = valid
        b.segments[0].bytes = [UInt8](repeating: 0x13, count: 1) + [UInt8](repeating: 0, count: 4 << 22)  // 2^22 + 1 words
        #expect(rejection(b.build())?.kind == .tooManyInstructions)
    }

    @Test("the SUCCINCT note turns on untrusted mode; its heap range must not be empty")
    func note() throws {
        var b = valid
        b.segments.append(ELF64Builder.succinctNote(heapStart: 0x7820_0000, heapEnd: 0x1C_0000_0000))
        let p = try Program(elf: b.build())
        #expect(p.untrustedMode == UntrustedMode(heapStart: 0x7820_0000, heapEnd: 0x1C_0000_0000, trapContext: nil))
        b.symbols = [("__SUCCINCT_TRAP_CONTEXT", 0x7810_0000)]
        #expect(try Program(elf: b.build()).untrustedMode?.trapContext == 0x7810_0000)
        b.segments[2] = ELF64Builder.succinctNote(heapStart: 0x7820_0000, heapEnd: 0x7820_0000)
        #expect(rejection(b.build())?.kind == .invalidNote)
    }

    /// SP1 v6 builds its image in u64 slots 4 bytes at a time and writes a zero-fill word as a
    /// whole zero slot: file data ending 4 bytes into a slot, followed by zero fill, reads as zero.
    @Test("the zero-fill quirk of SP1 v6's image")
    func zeroFillQuirk() throws {
        let data: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]  // ends 4 bytes into the slot at +8
        var asm = Assembler(base: 0x7800_0000)
        asm.li(.t1, 0x7810_0000)
        asm.ld(.a0, 0, .t1)
        asm.ld(.a1, 8, .t1)
        asm.li(.t6, 0x7820_0000)
        asm.sd(.a0, 0, .t6)
        asm.sd(.a1, 8, .t6)
        asm.syscall(2, a0: 13, a1: 0x7820_0000, a2: 16)
        asm.halt()
        var b = ELF64Builder(code: asm.assemble(), data: data)
        b.segments[1].memsz = 32
        let quirk = b.build()
        let run = try Program(elf: quirk).execute(stdin: [], maxCycles: 1000)
        #expect(doublewords(run.publicValues) == [0x0807_0605_0403_0201, 0])
        b.segments[1].memsz = 12  // no zero fill: the bytes stay
        let plain = try Program(elf: b.build()).execute(stdin: [], maxCycles: 1000)
        #expect(doublewords(plain.publicValues) == [0x0807_0605_0403_0201, 0x0C0B_0A09])
        try UntrustedModeTests.agreesWithModel([quirk, b.build()])
    }
}
