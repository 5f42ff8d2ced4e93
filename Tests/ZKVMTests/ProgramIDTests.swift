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

    @Test("the ID equals an independent recomputation from the README's definition")
    func independentRecomputation() throws {
        var files: [(String, [UInt8])] = [("built", base.build())]
        if Paths.hasShared {
            for name in ["InfinityVM_InfinityVM__mock-consumer.elf", "succinctlabs_sp1__examples-fibonacci-v4.0.1.elf"] {
                files.append((name, try Paths.bytes(Paths.sp1.appendingPathComponent("elfs/" + name))))
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

    @Test("stripping a real SP1 ELF (llvm-objcopy --strip-all) leaves the ID unchanged", .enabled(if: Paths.hasShared, "needs ../shared"))
    func realStrip() throws {
        let swift = shell("/usr/bin/env", ["which", "swift"])?.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let strip = URL(fileURLWithPath: swift ?? "/opt/swift/usr/bin/swift").deletingLastPathComponent()
            .appendingPathComponent("llvm-objcopy").path
        try #require(FileManager.default.isExecutableFile(atPath: strip), "llvm-objcopy next to swift")
        let source = Paths.sp1.appendingPathComponent("elfs/InfinityVM_InfinityVM__intensity-test.elf")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("stripped-\(UUID()).elf")
        defer { try? FileManager.default.removeItem(at: copy) }
        #expect(shell(strip, ["--strip-all", source.path, copy.path])?.status == 0)
        let original = try Paths.bytes(source), stripped = try Paths.bytes(copy)
        #expect(stripped.count < original.count)
        #expect(try Program(elf: stripped).id == Program(elf: original).id)
    }
}
