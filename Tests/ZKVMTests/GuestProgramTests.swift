import Foundation
import Testing
import ZKVM

/// The C guest programs of guest-programs/ (built with the C SDK from the same sources for RV32IM
/// and RV64IM, committed under guest-programs/bin/ and bin/rv64/) run in the engine and produce
/// exactly the outputs in guest-programs/vectors.json and vectors-rv64.json, which
/// scripts/gen_guest_vectors.py computes independently (Python integers, hashlib, its own
/// Keccak-256) and cross-checks with the SP1 reference models (refexec.py, refexec64.py). The
/// third flavour, the RISC Zero builds of the same sources (bin/risc0/, vectors-risc0.json), runs in
/// Risc0GuestProgramTests; the reproducible-build test here rebuilds all three. The unseen corpus
/// (guest-programs/corpus/, one ELF per workload, ISA and -O level) is checked against
/// vectors-corpus.json, whose checksums scripts/corpus_models.py computes independently.
@Suite("C guest programs")
struct GuestProgramTests {
    // MARK: - Fixtures

    enum Fixture {
        /// Repository root, from this file's location (Tests/ZKVMTests/GuestProgramTests.swift).
        static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        static let guestPrograms = repo.appendingPathComponent("guest-programs")
        static let sharedSP1 = repo.deletingLastPathComponent().appendingPathComponent("shared/sp1")

        struct ProgramInfo: Decodable, Sendable {
            let elf: String
            let bytes: Int
            let sha256: String
        }

        struct Case: Decodable, Sendable, CustomTestStringConvertible {
            let program: String
            let name: String
            let stdin_hex: [String]
            let expect_ok: Bool
            let exit_code: UInt32
            let public_values_hex: String
            let refexec_cycles: UInt64?
            let sp1_reference_elf: String?
            var testDescription: String { "\(program): \(name)" }
            var stdin: [[UInt8]] { stdin_hex.map(Fixture.bytes(hex:)) }
        }

        struct Vectors: Decodable, Sendable {
            let programs: [String: ProgramInfo]
            let cases: [Case]
        }

        static let vectors: Vectors? = load("vectors.json")
        /// The RV64IM builds (SP1 v6 guests): same programs and inputs, v6 cycle counts.
        static let vectorsRV64: Vectors? = load("vectors-rv64.json")

        static func load(_ name: String) -> Vectors? {
            guard let data = try? Data(contentsOf: guestPrograms.appendingPathComponent(name)) else { return nil }
            return try? JSONDecoder().decode(Vectors.self, from: data)
        }

        static var cases: [Case] { vectors?.cases ?? [] }
        static var casesRV64: [Case] { vectorsRV64?.cases ?? [] }

        /// Generous: the vectors' largest case is under 10 M cycles.
        static let maxCycles: UInt64 = 1_000_000_000

        static func elf(_ program: String) throws -> [UInt8] {
            [UInt8](try Data(contentsOf: guestPrograms.appendingPathComponent("bin/\(program).elf")))
        }

        static func elf64(_ program: String) throws -> [UInt8] {
            [UInt8](try Data(contentsOf: guestPrograms.appendingPathComponent("bin/rv64/\(program).elf")))
        }

        static let names = ["fibonacci", "keccak-soft", "sort-bench", "coremark-like", "keccak-bench", "mock-consumer",
                            "intensity-test", "stateful-counter", "sdk-selftest", "precompile-loop"]

        /// The developer-tools guests (bin/tools/, bin/rv64/tools/, bin/risc0/tools/; DevToolsTests).
        static let toolNames = ["call-profile.elf", "cycle-tracker.elf", "fault-trace.elf"]

        /// The one program whose modes differ by flavour (its main.c: SECP256K1_DECOMPRESS is SP1
        /// v3-v5 only, SYS_RANDOM RISC Zero only): its vectors are checked per flavour, not across.
        static let perFlavour = "precompile-loop"

        // MARK: The unseen corpus

        static let corpusWorkloads = ["bytecode_vm", "pointer_chase", "mul_div", "call_tree", "byte_scan", "aes_table",
                                      "bigint_modexp", "json_parse", "lz_compress", "mark_mix", "soft_float", "hash_map"]
        /// ELF names of one corpus directory (bin/corpus/, bin/rv64/corpus/): <workload>-O2.elf, -Os.elf.
        static var corpusELFNames: [String] { corpusWorkloads.flatMap { ["\($0)-O2.elf", "\($0)-Os.elf"] }.sorted() }

        struct CorpusCase: Decodable, Sendable, CustomTestStringConvertible {
            let workload: String
            let build: String
            let isa: String
            let elf: String
            let name: String
            let stdin_hex: [String]
            let public_values_hex: String
            let refexec_cycles: UInt64
            var testDescription: String { "\(workload) \(build): \(name)" }
            var stdin: [[UInt8]] { stdin_hex.map(Fixture.bytes(hex:)) }
        }

        struct CorpusVectors: Decodable, Sendable {
            struct ELFInfo: Decodable, Sendable {
                let bytes: Int
                let sha256: String
            }
            let programs: [String: ELFInfo]
            let cases: [CorpusCase]
        }

        static let corpusVectors: CorpusVectors? = {
            guard let data = try? Data(contentsOf: guestPrograms.appendingPathComponent("vectors-corpus.json")) else { return nil }
            return try? JSONDecoder().decode(CorpusVectors.self, from: data)
        }()

        static var corpusCases: [CorpusCase] { corpusVectors?.cases ?? [] }

        /// An ELF by its path relative to guest-programs/ (as vectors-corpus.json names it).
        static func elf(relative path: String) throws -> [UInt8] {
            [UInt8](try Data(contentsOf: guestPrograms.appendingPathComponent(path)))
        }

        static func bytes(hex s: String) -> [UInt8] {
            var out = [UInt8]()
            out.reserveCapacity(s.utf8.count / 2)
            var it = s.utf8.makeIterator()
            func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10 }
            while let a = it.next(), let b = it.next() { out.append(nibble(a) << 4 | nibble(b)) }
            return out
        }

        static func hex(_ bytes: [UInt8]) -> String {
            let digits = Array("0123456789abcdef".utf8)
            var out = [UInt8]()
            out.reserveCapacity(bytes.count * 2)
            for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
            return String(decoding: out, as: UTF8.self)
        }

        /// SHA-256 (FIPS 180-4), to notice ELFs that changed without regenerating vectors.json.
        static func sha256(_ message: [UInt8]) -> [UInt8] {
            let k: [UInt32] = [
                0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
                0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
                0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
                0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
                0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
                0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
                0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
                0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
            ]
            var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
            var m = message + [0x80]
            m += [UInt8](repeating: 0, count: (120 - m.count % 64) % 64)
            let bits = UInt64(message.count) * 8
            m += (0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * UInt64($0))) }
            func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
            var w = [UInt32](repeating: 0, count: 64)
            for block in stride(from: 0, to: m.count, by: 64) {
                for i in 0..<16 {
                    w[i] = (0..<4).reduce(0) { $0 << 8 | UInt32(m[block + 4 * i + $1]) }
                }
                for i in 16..<64 {
                    let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ w[i - 15] >> 3
                    let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ w[i - 2] >> 10
                    w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                }
                var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
                for i in 0..<64 {
                    let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ (e & f ^ ~e & g) &+ k[i] &+ w[i]
                    let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ (a & b ^ a & c ^ b & c)
                    (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                }
                for (i, v) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ v }
            }
            return h.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * UInt32($0))) } }
        }

        /// Directory of the `swift` found on PATH (symlinks resolved): clang and ld.lld live beside it.
        static let toolchainBin: URL? = {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
            for dir in path.split(separator: ":") {
                let swift = URL(fileURLWithPath: String(dir)).appendingPathComponent("swift")
                if FileManager.default.isExecutableFile(atPath: swift.path) {
                    return swift.resolvingSymlinksInPath().deletingLastPathComponent()
                }
            }
            return nil
        }()

        static var clangFound: Bool {
            guard let bin = toolchainBin else { return false }
            return FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("clang").path)
                && FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("ld.lld").path)
        }

        static func which(_ tool: String) -> String? {
            for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
                let p = "\(dir)/\(tool)"
                if FileManager.default.isExecutableFile(atPath: p) { return p }
            }
            return nil
        }

        /// Runs a command; returns its exit status and combined output.
        static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    // MARK: - Outputs

    @Test("vectors.json is present and lists every committed ELF")
    func vectorsPresent() throws {
        let vectors = try #require(Fixture.vectors, "guest-programs/vectors.json missing or unreadable")
        #expect(Set(vectors.programs.keys) == [
            "fibonacci", "keccak-soft", "sort-bench", "coremark-like", "keccak-bench",
            "mock-consumer", "intensity-test", "stateful-counter", "sdk-selftest", "precompile-loop",
        ])
        for (name, info) in vectors.programs.sorted(by: { $0.key < $1.key }) {
            let elf = try Fixture.elf(name)
            #expect(elf.count == info.bytes && Fixture.hex(Fixture.sha256(elf)) == info.sha256,
                    "bin/\(name).elf changed since vectors.json was generated: run scripts/gen_guest_vectors.py")
        }
    }

    @Test("each ELF loads under SP1's rules", arguments: Fixture.names)
    func loads(_ name: String) throws {
        let program = try Program(elf: Fixture.elf(name))
        #expect(program.entry == 0x0020_0800)
        #expect(program.textBase == 0x0020_0800)
        #expect(program.isa == .rv32im)
        #expect(program.abi != .sp1v3, "C SDK guests use the v4 fds")
        #expect(program.id.bytes.count == 32)
        let rv64 = try Program(elf: Fixture.elf64(name))
        #expect(rv64.isa == .rv64im && rv64.abi == .sp1v6)
        #expect(rv64.entry == 0x7800_0000 && rv64.textBase == 0x7800_0000)
        #expect(rv64.id != program.id)
    }

    @Test("vectors-rv64.json lists every committed RV64 ELF")
    func vectorsRV64Present() throws {
        let vectors = try #require(Fixture.vectorsRV64, "guest-programs/vectors-rv64.json missing or unreadable")
        #expect(Set(vectors.programs.keys) == Set(Fixture.names))
        for (name, info) in vectors.programs.sorted(by: { $0.key < $1.key }) {
            let elf = try Fixture.elf64(name)
            #expect(elf.count == info.bytes && Fixture.hex(Fixture.sha256(elf)) == info.sha256,
                    "bin/rv64/\(name).elf changed since vectors-rv64.json was generated: run scripts/gen_guest_vectors.py --isa rv64")
        }
        // Same programs, same inputs, same expected outputs as the RV32 builds (but for the one
        // program whose modes differ by flavour).
        let rv32 = Fixture.cases.filter { $0.program != Fixture.perFlavour }
            .map { [$0.program, $0.name, $0.public_values_hex, "\($0.expect_ok)"] }
        #expect(vectors.cases.filter { $0.program != Fixture.perFlavour }
            .map { [$0.program, $0.name, $0.public_values_hex, "\($0.expect_ok)"] } == rv32)
        #expect(vectors.cases.map { [$0.program, $0.name] } == Fixture.cases.map { [$0.program, $0.name] })
    }

    /// SP1 v6 reports a guest's exit code: a panicking RV64 guest ends with exit code 1, not an error.
    @Test("RV64 build: output matches the independently computed vector", arguments: Fixture.casesRV64)
    func outputRV64(_ c: Fixture.Case) throws {
        let program = try Program(elf: Fixture.elf64(c.program))
        let e = try program.execute(stdin: c.stdin, maxCycles: Fixture.maxCycles)
        #expect(e.exitCode == c.exit_code)
        #expect(Fixture.hex(e.publicValues) == c.public_values_hex)
        #expect(e.digestCommitted, "the SDK commits sha256(public values) at halt")
        if !c.expect_ok { #expect(e.stderr.contains("panicked"), "panic message goes to stderr: \(e.stderr)") }
        if let cycles = c.refexec_cycles {
            #expect(e.cycles == cycles, "cycles differ from the SP1 v6 reference model")
        }
    }

    @Test("program output matches the independently computed vector", arguments: Fixture.cases)
    func output(_ c: Fixture.Case) throws {
        let program = try Program(elf: Fixture.elf(c.program))
        if c.expect_ok {
            let e = try program.execute(stdin: c.stdin, maxCycles: Fixture.maxCycles)
            #expect(e.exitCode == 0)
            #expect(Fixture.hex(e.publicValues) == c.public_values_hex)
            #expect(e.digestCommitted, "the SDK must commit sha256(public values) at halt")
            if let cycles = c.refexec_cycles {
                #expect(e.cycles == cycles, "cycles differ from the SP1 reference model")
            }
        } else {
            do {
                let e = try program.execute(stdin: c.stdin, maxCycles: Fixture.maxCycles)
                Issue.record("expected a panic (exit code \(c.exit_code)); got public values \(Fixture.hex(e.publicValues))")
            } catch {
                // The engine may name a panic after reading past the last item .stdinExhausted.
                #expect(error.kind == .nonZeroExitCode || error.kind == .stdinExhausted, "\(error)")
                #expect(error.exitCode == c.exit_code)
                #expect(error.stderr.contains("panicked"), "panic message goes to stderr: \(error.stderr)")
                if let cycles = c.refexec_cycles {
                    #expect(error.cycles == cycles, "cycles differ from the SP1 reference model")
                }
            }
        }
    }

    @Test("keccak-bench (precompile) and keccak-soft (software) agree")
    func keccakVariantsAgree() throws {
        let bench = try Program(elf: Fixture.elf("keccak-bench"))
        let soft = try Program(elf: Fixture.elf("keccak-soft"))
        for n: UInt32 in [0, 1, 7, 40] {
            let item = withUnsafeBytes(of: n.littleEndian) { [UInt8]($0) }
            let a = try bench.execute(stdin: [item, [], []], maxCycles: Fixture.maxCycles).publicValues
            let b = try soft.execute(stdin: [item, [], []], maxCycles: Fixture.maxCycles).publicValues
            #expect(a == b, "n = \(n)")
        }
    }

    // MARK: - The unseen corpus

    @Test("vectors-corpus.json lists every corpus ELF of both ISAs and both -O levels")
    func corpusVectorsPresent() throws {
        let vectors = try #require(Fixture.corpusVectors, "guest-programs/vectors-corpus.json missing or unreadable")
        let expected = Set(["bin/corpus/", "bin/rv64/corpus/"].flatMap { dir in Fixture.corpusELFNames.map { dir + $0 } })
        #expect(Set(vectors.programs.keys) == expected)
        for (path, info) in vectors.programs.sorted(by: { $0.key < $1.key }) {
            let elf = try Fixture.elf(relative: path)
            #expect(elf.count == info.bytes && Fixture.hex(Fixture.sha256(elf)) == info.sha256,
                    "\(path) changed since vectors-corpus.json was generated: run scripts/gen_guest_vectors.py --corpus")
        }
        // Every ELF has its cases, and all four builds of a workload agree on every parameter.
        for workload in Fixture.corpusWorkloads {
            let cases = vectors.cases.filter { $0.workload == workload }
            #expect(Set(cases.map(\.build)) == ["rv32-O2", "rv32-Os", "rv64-O2", "rv64-Os"], "\(workload)")
            for name in Set(cases.map(\.name)) {
                #expect(Set(cases.filter { $0.name == name }.map(\.public_values_hex)).count == 1, "\(workload) \(name)")
            }
        }
    }

    @Test("corpus ELFs load: RV32 under SP1's v4 rules, RV64 as SP1 v6", arguments: Fixture.corpusWorkloads)
    func corpusLoads(_ workload: String) throws {
        for opt in ["O2", "Os"] {
            let rv32 = try Program(elf: Fixture.elf(relative: "bin/corpus/\(workload)-\(opt).elf"))
            #expect(rv32.isa == .rv32im && rv32.entry == 0x0020_0800 && rv32.abi != .sp1v3)
            let rv64 = try Program(elf: Fixture.elf(relative: "bin/rv64/corpus/\(workload)-\(opt).elf"))
            #expect(rv64.isa == .rv64im && rv64.abi == .sp1v6 && rv64.entry == 0x7800_0000)
            #expect(rv64.id != rv32.id)
        }
    }

    @Test("corpus: output and cycles match the independent vector", arguments: Fixture.corpusCases)
    func corpusOutput(_ c: Fixture.CorpusCase) throws {
        let program = try Program(elf: Fixture.elf(relative: c.elf))
        let e = try program.execute(stdin: c.stdin, maxCycles: Fixture.maxCycles)
        #expect(e.exitCode == 0)
        #expect(Fixture.hex(e.publicValues) == c.public_values_hex)
        #expect(e.digestCommitted, "the SDK commits sha256(public values) at halt")
        #expect(e.cycles == c.refexec_cycles, "cycles differ from the SP1 reference model (\(c.isa))")
    }

    /// Our mock-consumer and intensity-test must be drop-in replacements for InfinityVM's SP1 builds.
    @Test("same outputs as InfinityVM's SP1 builds",
          .enabled(if: FileManager.default.fileExists(atPath: Fixture.sharedSP1.appendingPathComponent("elfs").path),
                   "../shared/sp1/elfs is absent (a user's clone has none)"),
          arguments: Fixture.cases.filter { $0.sp1_reference_elf != nil })
    func sameAsSP1Build(_ c: Fixture.Case) throws {
        let ours = try Program(elf: Fixture.elf(c.program))
        let reference = try Program(elf: [UInt8](Data(contentsOf: Fixture.sharedSP1.appendingPathComponent(
            "elfs/" + c.sp1_reference_elf!))))
        // InfinityVM's executor pushed two items (onchain, offchain); ours pushes three.
        let stdin = c.stdin
        func outcome(_ p: Program, _ items: [[UInt8]]) -> String {
            do { return "ok " + Fixture.hex(try p.execute(stdin: items, maxCycles: Fixture.maxCycles).publicValues) }
            catch { return "failed exit=\(error.exitCode) \(error.kind)" }
        }
        #expect(outcome(ours, stdin) == outcome(reference, Array(stdin.prefix(2))))
    }

    // MARK: - Reproducible build

    @Test("rebuilding every ELF with the Makefile gives byte-identical files",
          .enabled(if: Fixture.clangFound, "clang/ld.lld not found next to `swift` on PATH; cannot rebuild guests"),
          .timeLimit(.minutes(10)))
    func reproducibleBuild() throws {
        let bin = try #require(Fixture.toolchainBin)
        let make = try #require(Fixture.which("make"), "make not found on PATH")
        let clang = bin.appendingPathComponent("clang").path
        let lld = bin.appendingPathComponent("ld.lld").path
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("guest-build-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }

        let build = try Fixture.run(make, ["-s", "-j2", "-C", Fixture.guestPrograms.path, "OUT=\(out.path)",
                                           "CLANG=\(clang)", "LLD=\(lld)"])
        try #require(build.status == 0, "make failed:\n\(build.output)")

        // A different clang/lld cannot be expected to reproduce the committed bytes; say so.
        let committedToolchain = (try? String(contentsOf: Fixture.guestPrograms.appendingPathComponent("bin/toolchain.txt"),
                                              encoding: .utf8)) ?? "(missing)"
        let builtToolchain = (try? String(contentsOf: out.appendingPathComponent("toolchain.txt"), encoding: .utf8)) ?? ""
        let note = committedToolchain == builtToolchain ? ""
            : " — note: the committed ELFs were built with\n\(committedToolchain)but this toolchain is\n\(builtToolchain)"
            + "rebuild with `make -C guest-programs all vectors` and commit bin/ and vectors*.json"

        // Every program in each flavour: SP1 RV32IM (bin/), SP1 v6 RV64IM (bin/rv64/), RISC Zero (risc0/),
        // and the corpus of both ISAs (corpus/, rv64/corpus/).
        let corpusNames = Fixture.corpusELFNames
        for (dir, expected) in [("", Fixture.names.map { $0 + ".elf" }.sorted()), ("rv64/", Fixture.names.map { $0 + ".elf" }.sorted()),
                                ("risc0/", Fixture.names.map { $0 + ".elf" }.sorted()), ("corpus/", corpusNames),
                                ("rv64/corpus/", corpusNames), ("tools/", Fixture.toolNames), ("rv64/tools/", Fixture.toolNames),
                                ("risc0/tools/", Fixture.toolNames)] {
            let names = try FileManager.default.contentsOfDirectory(
                atPath: Fixture.guestPrograms.appendingPathComponent("bin/" + dir).path).filter { $0.hasSuffix(".elf") }.sorted()
            #expect(names == expected, "bin/\(dir) holds one ELF per program")
            for name in names {
                let committed = try Data(contentsOf: Fixture.guestPrograms.appendingPathComponent("bin/" + dir + name))
                let rebuilt = try Data(contentsOf: out.appendingPathComponent(dir + name))
                #expect(committed == rebuilt, "\(dir + name) is not byte-identical after a rebuild\(note)")
            }
        }
    }
}
