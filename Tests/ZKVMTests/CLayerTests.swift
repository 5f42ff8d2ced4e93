import Foundation
import Testing

/// The C core's layering (CSources/CZKVM/README.md): scripts/check-c-layers.py derives the include
/// graph from the sources and the cross-file call graph from `nm` on each object, and fails on a
/// cycle in either, on an edge to a higher layer, or on a file in no layer.
@Suite("C core layering", .enabled(if: LayerCheck.tools != nil, "python3, or clang and llvm-nm next to `swift`, not found"))
struct CLayerTests {
    typealias Fixture = GuestProgramTests.Fixture

    @Test("the C files form layers: no include or call cycle, no edge to a higher layer")
    func layered() throws {
        let result = try LayerCheck.run(root: Fixture.repo)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("OK: no include or call cycle, no edge to a higher layer"), "\(result.output)")
        #expect(result.output.contains("1 machine: 7 files"), "\(result.output)")
    }

    /// The check is not vacuous: a copy of CSources in which the machine layer calls into the ABI
    /// layer (which reaches the machine through dispatch.c) fails with that edge and that cycle.
    @Test("a call from the machine layer up to the ABI layer is reported as an upward edge and a cycle")
    func upwardCallIsCaught() throws {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("c-layers-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: root) }
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        try fm.copyItem(at: Fixture.repo.appendingPathComponent("CSources"), to: root.appendingPathComponent("CSources"))
        let machine = root.appendingPathComponent("CSources/CZKVM/machine.c")
        let source = try String(contentsOf: machine, encoding: .utf8)
        try (source + "\nconst char *vm_probe_name(void) { return zkvm_syscall_name(0); }\n")
            .write(to: machine, atomically: true, encoding: .utf8)

        let result = try LayerCheck.run(root: root)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains(
            "FAIL: call edge to a higher layer: CZKVM/machine.c (layer 1) -> CZKVM/abis.c (layer 4)"), "\(result.output)")
        let cycle = result.output.split(separator: "\n").first { $0.hasPrefix("FAIL: call cycle among: ") }
        let members = Set((cycle?.dropFirst("FAIL: call cycle among: ".count) ?? "").components(separatedBy: ", "))
        #expect(members.isSuperset(of: ["CZKVM/machine.c", "CZKVM/dispatch.c", "CZKVM/abis.c", "CZKVM/syscalls.c"]),
                "\(result.output)")
    }
}

/// Runs scripts/check-c-layers.py with python3 from PATH and clang / llvm-nm from the Swift toolchain.
private enum LayerCheck {
    typealias Fixture = GuestProgramTests.Fixture

    static let tools: (python: String, cc: String, nm: String)? = {
        guard let python = Fixture.which("python3"), let bin = Fixture.toolchainBin else { return nil }
        let cc = bin.appendingPathComponent("clang").path, nm = bin.appendingPathComponent("llvm-nm").path
        guard FileManager.default.isExecutableFile(atPath: cc), FileManager.default.isExecutableFile(atPath: nm) else {
            return nil
        }
        return (python, cc, nm)
    }()

    static func run(root: URL) throws -> (status: Int32, output: String) {
        let tools = try #require(tools)
        let script = Fixture.repo.appendingPathComponent("scripts/check-c-layers.py").path
        return try Fixture.run(tools.python, [script, "--root", root.path, "--cc", tools.cc, "--nm", tools.nm])
    }
}
