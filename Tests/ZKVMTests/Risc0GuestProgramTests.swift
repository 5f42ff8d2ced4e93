import Foundation
import Testing
import ZKVM

/// The same C guest programs built with the SDK's RISC Zero flavour (guest-programs/bin/risc0/)
/// run as RISC Zero 1.x guests: their journals equal the expectations of
/// guest-programs/vectors-risc0.json (scripts/gen_guest_vectors.py --vm risc0, computed
/// independently), their user cycles equal those of the instruction-by-instruction model
/// scripts/risc0_model.py, and they halt with the output digest RISC Zero's finalize computes.
@Suite("C guest programs as RISC Zero guests")
struct Risc0GuestProgramTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let program: String
        let name: String
        let stdin_hex: String
        let expect_ok: Bool
        let journal_hex: String
        let model_cycles: UInt64
        var testDescription: String { "\(program): \(name)" }
    }

    struct Vectors: Decodable, Sendable {
        let programs: [String: GuestProgramTests.Fixture.ProgramInfo]
        let cases: [Case]
    }

    typealias Fixture = GuestProgramTests.Fixture

    static let vectors: Vectors? = {
        guard let data = try? Data(contentsOf: Fixture.guestPrograms.appendingPathComponent("vectors-risc0.json")) else {
            return nil
        }
        return try? JSONDecoder().decode(Vectors.self, from: data)
    }()

    static func elf(_ program: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Fixture.guestPrograms.appendingPathComponent("bin/risc0/\(program).elf")))
    }

    @Test("vectors-risc0.json lists every RISC Zero ELF, unchanged since it was generated")
    func vectorsPresent() throws {
        let vectors = try #require(Self.vectors, "guest-programs/vectors-risc0.json missing or unreadable")
        #expect(Set(vectors.programs.keys) == Set(Fixture.vectors?.programs.keys.map { $0 } ?? []))
        for (name, info) in vectors.programs.sorted(by: { $0.key < $1.key }) {
            let elf = try Self.elf(name)
            #expect(elf.count == info.bytes && Fixture.hex(Fixture.sha256(elf)) == info.sha256,
                    "bin/risc0/\(name).elf changed: run scripts/gen_guest_vectors.py --vm risc0")
            let program = try Program(elf: elf, vm: .risc0)
            #expect(program.abi == .risc0v1 && program.entry == 0x0020_0800)
            #expect(program.id == (try Risc0.image(elf: elf).id))
        }
    }

    @Test("journal, Halted(0), output digest and user cycles match the vector", arguments: vectors?.cases ?? [])
    func output(_ c: Case) throws {
        let program = try Program(elf: Self.elf(c.program), vm: .risc0)
        let stdin = Fixture.bytes(hex: c.stdin_hex)
        if c.expect_ok {
            let e = try program.execute(stdin: [stdin], maxCycles: Fixture.maxCycles)
            #expect(Fixture.hex(e.journal) == c.journal_hex)
            #expect(e.exit == .halted(0))
            #expect(e.outputDigest == Risc0.outputDigest(journal: e.journal))
            #expect(e.cycles == c.model_cycles, "user cycles differ from scripts/risc0_model.py")
        } else {
            do {
                let e = try program.execute(stdin: [stdin], maxCycles: Fixture.maxCycles)
                Issue.record("expected a guest panic; got journal \(Fixture.hex(e.journal))")
            } catch {
                #expect(error.kind == .guestPanicked, "\(error)")
                #expect(error.message.hasPrefix("Guest panicked: "))
                #expect(error.cycles == c.model_cycles, "user cycles differ from scripts/risc0_model.py")
            }
        }
    }

    @Test("the same sources give the same output on both VMs: each SP1 case's public values = the RISC Zero journal")
    func sameOutputOnBothVMs() throws {
        let sp1 = Dictionary(uniqueKeysWithValues: (Fixture.vectors?.cases ?? []).map { ("\($0.program)/\($0.name)", $0) })
        let cases = try #require(Self.vectors).cases
        #expect(cases.count >= 50)
        for c in cases {
            let s = try #require(sp1["\(c.program)/\(c.name)"])
            if c.program != Fixture.perFlavour {  // its modes differ by flavour
                #expect(s.expect_ok == c.expect_ok && s.public_values_hex == c.journal_hex, "\(c.program): \(c.name)")
            }
            // The vector's stream is the job framing of the SP1 case's items.
            #expect(Fixture.hex(Risc0.framedInput(s.stdin)) == c.stdin_hex)
        }
    }

    @Test("three inputs framed into one stream (Risc0.framedInput) reach the RISC Zero guest as three items reach the SP1 one")
    func framedInput() throws {
        let program = try Program(elf: Self.elf("stateful-counter"), vm: .risc0)
        let items: [[UInt8]] = [[UInt8](repeating: 0, count: 31) + [5], [0, 0, 0, 1, 0, 0, 0, 2], [0, 0, 0, 0, 0, 0, 0, 10]]
        let r0 = try program.execute(stdin: [Risc0.framedInput(items)], maxCycles: Fixture.maxCycles)
        let sp1 = try Program(elf: Fixture.elf("stateful-counter"))
        let s = try sp1.execute(stdin: items, maxCycles: Fixture.maxCycles)
        #expect(r0.journal == s.publicValues)
        #expect(r0.journal.count == 224)
    }
}
