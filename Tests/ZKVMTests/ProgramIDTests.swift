import Foundation
import Testing
@testable import ZKVM

/// Program IDs depend on exactly the loaded image (README, "Program IDs").
@Suite("Program IDs")
struct ProgramIDTests {
    static let code: [UInt32] = {
        var asm = Assembler()
        asm.addi(.a0, .zero, 0)
        asm.addi(.a1, .zero, 1)
        asm.halt()
        return asm.assemble()
    }()

    func id(_ b: ELFBuilder) throws -> ProgramID { try Program(elf: b.build()).id }
    var base: ELFBuilder { ELFBuilder(code: Self.code, data: [1, 2, 3, 4, 0, 0]) }

    @Test("section headers and symbols do not change the ID")
    func sectionsDoNotCount() throws {
        var stripped = base, full = base
        stripped.withSections = false
        full.withSections = true
        #expect(stripped.build() != full.build())
        #expect(try id(stripped) == id(full))
    }

    @Test("trailing zero file bytes equal the zero fill")
    func trailingZeros() throws {
        var trimmed = base
        trimmed.segments[1].bytes = [1, 2, 3, 4]
        trimmed.segments[1].memsz = 6
        #expect(try id(trimmed) == id(base))
    }

    @Test("one byte of code, the entry point, a segment address or flags change the ID")
    func contentCounts() throws {
        let original = try id(base)
        var b = base
        b.segments[0].bytes[0] ^= 0x80
        #expect(try id(b) != original)
        b = base
        b.entry += 4
        #expect(try id(b) != original)
        b = base
        b.segments[1].vaddr += 4
        #expect(try id(b) != original)
        b = base
        b.segments[1].flags = 4
        #expect(try id(b) != original)
        b = base
        b.segments[1].memsz = 4096
        #expect(try id(b) != original)
    }

    /// RV64 (SP1 v6): the same scheme over the 64-bit image, plus what else decides how it runs.
    @Test("ELF64: sections do not count; the image, PF_UNTRUSTED, the SUCCINCT note and the trap context do")
    func rv64() throws {
        func id(_ b: ELF64Builder) throws -> ProgramID { try Program(elf: b.build()).id }
        let base = ELF64Builder(code: Self.code, data: [1, 2, 3, 4, 0, 0])
        var symbols = base
        symbols.symbols = [("main", 0x7800_0000)]
        #expect(symbols.build() != base.build())
        #expect(try id(symbols) == id(base))
        var rv32 = ELFBuilder(code: Self.code, data: [1, 2, 3, 4, 0, 0])
        rv32.segments[1].vaddr = 0x7810_0000 - 0x0800_0000
        #expect(try Program(elf: rv32.build()).id != id(base))
        var b = base
        b.segments[0].bytes[0] ^= 0x80
        #expect(try id(b) != id(base))
        b = base
        b.segments[1].flags |= 0x0010_0000
        #expect(try id(b) != id(base))
        var untrusted = base
        untrusted.segments.append(ELF64Builder.succinctNote(heapStart: 0x7820_0000, heapEnd: 0x7830_0000))
        #expect(try id(untrusted) != id(base))
        var withContext = untrusted
        withContext.symbols = [("__SUCCINCT_TRAP_CONTEXT", 0x7810_0000)]
        #expect(try id(withContext) != id(untrusted))
        var otherHeap = untrusted
        otherHeap.segments[2] = ELF64Builder.succinctNote(heapStart: 0x7820_0000, heapEnd: 0x7840_0000)
        #expect(try id(otherHeap) != id(untrusted))
    }

    @Test("the ID equals an independent recomputation from the README's definition")
    func independentRecomputation() throws {
        var withNote = ELF64Builder(code: Self.code, data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        withNote.segments[1].memsz = 64  // SP1 v6's zero-fill quirk applies
        withNote.segments.append(ELF64Builder.succinctNote(heapStart: 0x7820_0000, heapEnd: 0x7830_0000))
        withNote.symbols = [("__SUCCINCT_TRAP_CONTEXT", 0x7810_0000)]
        var files: [(String, [UInt8])] = [("built", base.build()), ("built64", withNote.build())]
        files.append(("sdk-rv64", [UInt8](try Data(contentsOf: Paths.repo.appendingPathComponent(
            "guest-programs/bin/rv64/mock-consumer.elf")))))
        if Paths.hasShared {
            for name in ["InfinityVM_InfinityVM__mock-consumer.elf", "succinctlabs_sp1__examples-fibonacci-v4.0.1.elf"] {
                files.append((name, try Paths.bytes(Paths.sp1.appendingPathComponent("elfs/" + name))))
            }
        }
        if Paths.hasSharedV6 {
            for name in ["succinctlabs_sp1__gpu-fibonacci-v6.elf", "succinctlabs_sp1__gpu-trap-v6.elf"] {
                files.append((name, try Paths.bytes(Paths.sp1.appendingPathComponent("elfs-v6/" + name))))
            }
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pid-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, bytes) in files {
            let path = dir.appendingPathComponent(name)
            try Data(bytes).write(to: path)
            let script = Paths.repo.appendingPathComponent("scripts/program_id.py").path
            let out = try #require(shell("/usr/bin/env", ["python3", script, path.path]), "python3 is required")
            #expect(out.status == 0)
            #expect(out.output.trimmingCharacters(in: .whitespacesAndNewlines) == (try Program(elf: bytes).id.hex), "\(name)")
        }
    }

    @Test("stripping a real SP1 ELF (llvm-objcopy --strip-all) leaves the ID unchanged", .enabled(if: Paths.hasShared, "needs ../shared"),
          arguments: ["elfs/InfinityVM_InfinityVM__intensity-test.elf", "elfs-v6/succinctlabs_sp1__gpu-sha2-v6.elf"])
    func realStrip(_ file: String) throws {
        let swift = shell("/usr/bin/env", ["which", "swift"])?.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let strip = URL(fileURLWithPath: swift ?? "/opt/swift/usr/bin/swift").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("llvm-objcopy").path
        try #require(FileManager.default.isExecutableFile(atPath: strip), "llvm-objcopy next to swift")
        let source = Paths.sp1.appendingPathComponent(file)
        try #require(FileManager.default.fileExists(atPath: source.path), "\(file) is absent")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("stripped-\(UUID()).elf")
        defer { try? FileManager.default.removeItem(at: copy) }
        #expect(shell(strip, ["--strip-all", source.path, copy.path])?.status == 0)
        let original = try Paths.bytes(source), stripped = try Paths.bytes(copy)
        #expect(stripped.count < original.count)
        #expect(try Program(elf: stripped).id == Program(elf: original).id)
    }
}
