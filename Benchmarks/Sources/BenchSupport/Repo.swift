import Foundation

/// Where the repository, its guest programs and the shared SP1 material are.
public enum Repo {
    /// `ZKVM_REPO_ROOT` if set, else found from this source file (Benchmarks/Sources/BenchSupport/).
    public static let root: URL = {
        if let env = ProcessInfo.processInfo.environment["ZKVM_REPO_ROOT"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// The committed builds of the same C guest sources (guest-programs/Makefile), by directory.
    public enum GuestBuild: String, Sendable, CaseIterable {
        /// bin/: RV32IM, SP1 v3–v5 guests.
        case rv32 = "bin"
        /// bin/rv64/: RV64IM, SP1 v6 guests.
        case rv64 = "bin/rv64"
        /// bin/risc0/: the SDK's RISC Zero flavour (RV32IM, RISC Zero 1.x ABI).
        case risc0 = "bin/risc0"
    }

    /// guest-programs/<build directory>/<name>.elf.
    public static func guestELF(_ name: String, _ build: GuestBuild = .rv32) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent("guest-programs/\(build.rawValue)/\(name).elf")))
    }

    /// `../shared/sp1` next to the repository (absent in a user's clone).
    public static var sp1Directory: URL? {
        let dir = root.deletingLastPathComponent().appendingPathComponent("shared/sp1")
        return FileManager.default.fileExists(atPath: dir.appendingPathComponent("manifest.json").path) ? dir : nil
    }

    /// True when `ZKVM_BENCH_QUICK` is set to anything but 0/empty: fewer iterations everywhere.
    public static var quick: Bool {
        let v = ProcessInfo.processInfo.environment["ZKVM_BENCH_QUICK"] ?? ""
        return !v.isEmpty && v != "0"
    }
}

/// One SP1 reference ELF with its manifest entry.
public struct SP1Case: Sendable {
    public let name: String
    public let elf: [UInt8]
    public let stdin: [[UInt8]]
    public let expectedPublicValues: [UInt8]
    public let predictedCycles: UInt64

    /// The heaviest SP1 ELFs of the shared set (issue 3's figure), in manifest spelling.
    public static let heaviest = [
        "succinctlabs_sp1__examples-bn254.elf",
        "succinctlabs_sp1__tests-uint256-mul.elf",
        "succinctlabs_sp1__tests-bls12381-double.elf",
        "succinctlabs_sp1__examples-patch-testing.elf",
    ]

    public static func load(_ files: [String]) throws -> [SP1Case] {
        guard let dir = Repo.sp1Directory else { return [] }
        struct Entry: Decodable {
            let file: String
            let stdin_items_hex: [String]
            let expected_public_values_hex: String?
            let predicted_cycles: UInt64?
        }
        let entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: dir.appendingPathComponent("manifest.json")))
        return try files.compactMap { file in
            guard let e = entries.first(where: { $0.file == file }) else { return nil }
            let elf = [UInt8](try Data(contentsOf: dir.appendingPathComponent("elfs/\(file)")))
            return SP1Case(name: Self.shortName(file), elf: elf, stdin: e.stdin_items_hex.map(BenchHex.bytes),
                           expectedPublicValues: BenchHex.bytes(e.expected_public_values_hex ?? ""),
                           predictedCycles: e.predicted_cycles ?? 0)
        }
    }

    /// "succinctlabs_sp1__examples-bn254.elf" → "examples-bn254".
    public static func shortName(_ file: String) -> String {
        var s = file
        if let r = s.range(of: "__") { s = String(s[r.upperBound...]) }
        if s.hasSuffix(".elf") { s = String(s.dropLast(4)) }
        return s
    }
}

/// SP1 v6 guests of ../shared/sp1/elfs-v6 with an input and the exact cycle count to check.
public struct SP1V6Case: Sendable {
    public let name: String
    public let elf: [UInt8]
    public let stdin: [[UInt8]]
    public let predictedCycles: UInt64

    /// The heaviest manifest entries, plus gpu-loop at n = 1,000,000: the manifest states its cycles
    /// as 4n + 4847 (4-instruction loop body), checked there at n = 1,000 and 100,000.
    public static func load() throws -> [SP1V6Case] {
        guard let dir = Repo.sp1Directory,
              FileManager.default.fileExists(atPath: dir.appendingPathComponent("manifest-v6.json").path)
        else { return [] }
        struct Entry: Decodable {
            let file: String
            let stdin_items_hex: [String]
            let predicted_cycles: UInt64
        }
        let entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: dir.appendingPathComponent("manifest-v6.json")))
        func elf(_ kind: String) throws -> [UInt8] {
            [UInt8](try Data(contentsOf: dir.appendingPathComponent("elfs-v6/succinctlabs_sp1__gpu-\(kind)-v6.elf")))
        }
        func entry(_ kind: String, _ stdinPrefix: String) -> Entry? {
            entries.first { $0.file.contains("gpu-\(kind)-") && ($0.stdin_items_hex.first ?? "").hasPrefix(stdinPrefix) }
        }
        var cases = [SP1V6Case(name: "loop-1m", elf: try elf("loop"), stdin: [le64(1_000_000)], predictedCycles: 4 * 1_000_000 + 4847)]
        for (name, kind, prefix) in [("fibonacci-1000", "fibonacci", "e803"), ("sha2-1000", "sha2", "0000"), ("trap", "trap", "")] {
            if let e = entry(kind, prefix) {
                cases.append(SP1V6Case(name: name, elf: try elf(kind), stdin: e.stdin_items_hex.map(BenchHex.bytes),
                                       predictedCycles: e.predicted_cycles))
            }
        }
        return cases
    }
}

public enum BenchHex {
    public static func bytes(_ hex: String) -> [UInt8] {
        var s = Substring(hex)
        if s.hasPrefix("0x") { s = s.dropFirst(2) }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count / 2)
        var high: UInt8?
        for c in s.utf8 {
            let v: UInt8 = c <= 57 ? c &- 48 : (c | 0x20) &- 87
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return out
    }

    public static func string<S: Sequence>(_ data: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in data {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Little-endian u32 as the guests read their parameter (stdin item 1).
public func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }

/// Little-endian u64 (bincode's usize, as SP1 v6's perf guests read it).
public func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

/// A case of guest-programs/vectors-risc0.json: a C guest built for RISC Zero, its stdin stream, its
/// journal, and the instructions and user cycles scripts/risc0_model.py counted for it.
public struct Risc0Case: Sendable {
    public let program: String
    public let stdin: [UInt8]
    public let journal: [UInt8]
    public let instructions: UInt64
    public let userCycles: UInt64

    /// The case `name` of `program`.
    public static func load(program: String, name: String) throws -> Risc0Case? {
        struct Vectors: Decodable {
            struct Case: Decodable {
                let program, name, stdin_hex, journal_hex: String
                let model_instructions, model_cycles: UInt64
            }
            let cases: [Case]
        }
        let url = Repo.root.appendingPathComponent("guest-programs/vectors-risc0.json")
        let vectors = try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
        return vectors.cases.first { $0.program == program && $0.name == name }.map {
            Risc0Case(program: program, stdin: BenchHex.bytes($0.stdin_hex), journal: BenchHex.bytes($0.journal_hex),
                      instructions: $0.model_instructions, userCycles: $0.model_cycles)
        }
    }
}
