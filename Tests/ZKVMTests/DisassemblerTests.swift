import Foundation
import Testing
@testable import ZKVM

/// The disassembler against llvm-objdump (`-M no-aliases`), and where a program's addresses fall
/// in its functions.
@Suite("Disassembler and symbols")
struct DisassemblerTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test("every instruction of llvm-objdump's table reads the same", arguments: [ISA.rv32im, .rv64im])
    func matchesLLVMObjdump(isa: ISA) throws {
        // Made by scripts/gen-disasm-table.py: pc, word, llvm-objdump's text.
        let table = try String(contentsOf: Self.fixtures.appendingPathComponent("disasm-\(isa).tsv"), encoding: .utf8)
        var checked = 0
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 2).map(String.init)
            try #require(fields.count == 3, "bad table line: \(line)")
            let pc = try #require(UInt64(fields[0], radix: 16)), word = try #require(UInt32(fields[1], radix: 16))
            let expected = fields[2].replacingOccurrences(of: "\t", with: " ")
            #expect(Disassembler.text(of: word, at: pc, isa: isa) == expected, "word \(fields[1]) at 0x\(fields[0])")
            checked += 1
        }
        #expect(checked > 1_000)
    }

    @Test("words that are no instruction read <unknown>; RV64-only forms are unknown on RV32")
    func unknown() {
        for word: UInt32 in [0x0000_0000, 0xFFFF_FFFF, 0x0000_0007, 0x0200_7033 /* funct3 7 with funct7 1 is remu: known */] {
            let text = Disassembler.text(of: word, at: 0, isa: .rv32im)
            #expect((text == "<unknown>") == (word != 0x0200_7033), "\(String(word, radix: 16)): \(text)")
        }
        #expect(Disassembler.text(of: 0x0085_B503, at: 0, isa: .rv32im) == "<unknown>")  // ld
        #expect(Disassembler.text(of: 0x0085_B503, at: 0, isa: .rv64im) == "ld a0, 0x8(a1)")
        #expect(Disassembler.text(of: 0x03F5_1513, at: 0, isa: .rv32im) == "<unknown>")  // slli by 63
    }

    @Test("a bundled guest's functions: name+offset, labels, past the end of a sized function")
    func symbols() throws {
        let program = try Program(elf: try Paths.bytes(Paths.repo.appendingPathComponent("guest-programs/bin/fibonacci.elf")))
        let main = try #require(program.symbols.first { $0.name == "main" })
        #expect(main.size > 0)
        #expect(program.symbols.contains { $0.name == "_start" }, "a label in .text counts")
        #expect(!program.symbols.contains { $0.name.hasPrefix("$") || $0.name.hasPrefix(".L") })
        #expect(program.symbols.map(\.address) == program.symbols.map(\.address).sorted())
        #expect(program.symbolize(main.address) == "main")
        #expect(program.symbolize(main.address + 0x34) == "main+0x34")
        #expect(program.symbolize(0x100) == nil, "below every symbol")
        let location = try #require(program.location(of: main.address))
        #expect(location.hasPrefix("main: "))
        #expect(location == "main: " + Disassembler.text(of: try #require(program.word(at: main.address)), at: main.address,
                                                          isa: .rv32im))
    }

    @Test("a fault in a stripped program is located by address and instruction")
    func faultLocation() throws {
        // lw a0, 0(zero): address 0 is outside SP1's guest window.
        let program = try Program(elf: ELFBuilder(code: [0x0000_2503, 0x0000_0073]).build())
        #expect(program.symbols.isEmpty)
        do {
            _ = try program.execute(stdin: [], maxCycles: 100)
            Issue.record("the load from address 0 ran")
        } catch {
            #expect(error.kind == .memoryAccess)
            #expect(program.location(of: error.pc) == "0x200800: lw a0, 0x0(zero)")
        }
        #expect(program.location(of: 0x10) == nil, "outside every segment")
    }
}
