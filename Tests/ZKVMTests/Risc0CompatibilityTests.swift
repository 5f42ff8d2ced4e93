import Foundation
import Testing
@testable import ZKVM

/// ../shared/risc0/manifest.json: RISC Zero's own ELFs with what RISC Zero asserts about them.
enum Risc0Manifest {
    struct Entry: Sendable, CustomTestStringConvertible {
        let file: String
        let sha256: String
        let stdin: [UInt8]
        let expectHalt: String
        let journal: [UInt8]
        let userCycles: UInt64?
        var testDescription: String { file }
    }

    static let entries: [Entry] = {
        guard let data = try? Data(contentsOf: Risc0Shared.dir.appendingPathComponent("manifest.json")),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list.compactMap { item in
            guard let file = item["file"] as? String, let sha = item["sha256"] as? String,
                  let halt = item["expect_halt"] as? String else { return nil }
            return Entry(file: file, sha256: sha, stdin: hexBytes(item["stdin_hex"] as? String ?? ""),
                         expectHalt: halt, journal: hexBytes(item["expected_journal_hex"] as? String ?? ""),
                         userCycles: (item["expected_user_cycles"] as? NSNumber)?.uint64Value)
        }
    }()

    static var present: Bool { !entries.isEmpty }

    static func elf(_ e: Entry) throws -> [UInt8] { try Paths.bytes(Risc0Shared.dir.appendingPathComponent(e.file)) }
}

/// RISC Zero's own test ELFs run under the RISC Zero ABI exactly as its 1.0.5 executor runs them:
/// loop.bin's user cycles as RISC Zero's datasheet asserts them, and the 46 ISA tests it ships.
@Suite("RISC Zero 1.x compatibility",
       .enabled(if: Risc0Manifest.present,
                "../shared/risc0/manifest.json is absent (a user's clone has none): RISC Zero's own ELFs are not run"))
struct Risc0CompatibilityTests {
    static let loop = Risc0Manifest.entries.first { $0.file.hasSuffix("loop-v1.1.3.bin") }
    static let isaTests = Risc0Manifest.entries.filter { $0.file.hasPrefix("riscv-tests/") }

    @Test("the manifest lists loop.bin and the 46 riscv-tests, unchanged")
    func manifest() throws {
        #expect(Self.loop != nil)
        #expect(Self.isaTests.count == 46)
        for e in Risc0Manifest.entries {
            #expect(GuestProgramTests.Fixture.hex(GuestProgramTests.Fixture.sha256(try Risc0Manifest.elf(e))) == e.sha256,
                    "\(e.file) differs from the manifest")
        }
    }

    @Test("loop.bin, N = 524,278: exactly 1,048,575 user cycles, Halted(0), empty journal")
    func loopBin() throws {
        let e = try #require(Self.loop)
        let program = try Program(elf: Risc0Manifest.elf(e), vm: .risc0)
        let run = try program.execute(stdin: [e.stdin], maxCycles: 10_000_000)
        #expect(e.userCycles == 1_048_575)
        #expect(run.cycles == 1_048_575)
        #expect(run.exit == .halted(0))
        #expect(run.journal.isEmpty)
        #expect(run.outputDigest?.hexString == "836f175c62c0f353831665427e8b0b34f6d1d21902764daeb406c6b83db575b0")
        #expect(run.outputDigest == Risc0.outputDigest(journal: []), "its halt digest is the empty journal's")
    }

    @Test("loop.bin's cycles are 19 + 2 * max(N, 1) (its disassembly), and the session limit is exact")
    func loopBinFormulaAndLimit() throws {
        let e = try #require(Self.loop)
        let program = try Program(elf: Risc0Manifest.elf(e), vm: .risc0)
        for n: UInt32 in [0, 1, 2, 1000] {
            let run = try program.execute(stdin: [n.littleEndianBytes], maxCycles: 10_000_000)
            #expect(run.cycles == 19 + 2 * UInt64(max(n, 1)), "N = \(n)")
        }
        #expect(try program.execute(stdin: [], maxCycles: 100).cycles == 21, "no input: the buffer reads as N = 0")
        #expect(try program.execute(stdin: [e.stdin], maxCycles: 1_048_575).cycles == 1_048_575)
        #expect {
            _ = try program.execute(stdin: [e.stdin], maxCycles: 1_048_574)
        } throws: { error in
            (error as? ExecutionError)?.kind == .cycleLimitExceeded
        }
    }

    @Test("each of RISC Zero's riscv-tests halts Halted(0) with no journal", arguments: isaTests)
    func isaTest(_ e: Risc0Manifest.Entry) throws {
        let program = try Program(elf: Risc0Manifest.elf(e), vm: .risc0)
        #expect(program.entry == 0x0700_0000)
        let run = try program.execute(stdin: [e.stdin], maxCycles: 10_000_000)
        #expect("\(run.exit)" == e.expectHalt)
        #expect(run.journal == e.journal)
        #expect(run.outputDigest == [UInt8](repeating: 0, count: 32))
    }

    @Test("an ISA test whose check fails reaches its failure path, FENCE then a CSR write: an illegal instruction")
    func failingISATest() throws {
        // Invert add.elf's first result check (a BNE to `fail`), so that the first test jumps there.
        let e = try #require(Self.isaTests.first { $0.file == "riscv-tests/add.elf" })
        var elf = try Risc0Manifest.elf(e)
        let text = 0x1000  // file offset of the text segment (entry 0x07000000)
        var patched = false
        for off in stride(from: text, to: elf.count - 3, by: 4) {
            let w = UInt32(elf[off]) | UInt32(elf[off + 1]) << 8 | UInt32(elf[off + 2]) << 16 | UInt32(elf[off + 3]) << 24
            if w & 0x707F == 0x1063 {  // BNE -> BEQ
                let v = w & ~0x7000
                for k in 0..<4 { elf[off + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
                patched = true
                break
            }
        }
        try #require(patched)
        let program = try Program(elf: elf, vm: .risc0)
        #expect {
            _ = try program.execute(stdin: [], maxCycles: 1_000_000)
        } throws: { error in
            (error as? ExecutionError)?.kind == .illegalInstruction
        }
    }
}
