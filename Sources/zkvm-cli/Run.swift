import ArgumentParser
import Foundation
import ZKVM

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Execute a guest ELF and print its output (SP1 public values, RISC Zero journal), cycles, exit status and speed.",
        discussion: """
            The ELF class picks the ISA and, for SP1, the ABI: ELF32 runs as RV32IM under SP1 v3-v5's ABI (the \
            version detected from the code), ELF64 as RV64IM under SP1 v6's. Each --stdin-hex / --stdin-file adds \
            one stdin item (like SP1Stdin.write_slice), in command-line order. Coprocessor jobs pass three items: \
            onchain input, offchain input, state. A RISC Zero guest (--vm risc0) reads the items concatenated as \
            one byte stream; --framed writes each as LE32(len) ‖ bytes, as the seed's node framed a job's inputs. \
            Cycles are user cycles for RISC Zero. Exits with status 1 when loading or execution fails, and when an \
            SP1 v6 guest halts with a non-zero exit code (which v6 reports rather than fails on).
            """
    )

    @OptionGroup var guest: GuestOptions
    @Option(name: .customLong("random-seed"), help: "RISC Zero: 32-byte hex seed of SYS_RANDOM's bytes (default zeros).")
    var randomSeed: String?
    @Option(name: .customLong("max-work"),
            help: "Fail if the syscalls' host work (precompiles, hooks, I/O; units of about one interpreted instruction) passes this (default: \(ExecutionLimits.workBase) + \(ExecutionLimits.workPerCycle) per cycle of --max-cycles).")
    var maxWork: UInt64?
    @Option(help: "The execution tier: auto (the JIT where available), interpreter or jit. Results are identical.")
    var engine: Engine = .auto
    @Option(name: .customLong("trace-tail"),
            help: "On a failure, print the last N instructions executed (pc, function+offset, disassembly). Runs in the profiler's mode (interpreter, one block at a time): slower, same result.")
    var traceTail: Int = 0
    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
        let program: Program
        do { program = try loadProgram(guest.elf, vm: guest.vm.vm) } catch let error as CLIFailure { Self.fail(error) }
        let items = try guest.stdin()
        let seed = try randomSeed.map { text -> [UInt8] in
            guard let bytes = parseHex(text), bytes.count == 32 else {
                throw ValidationError("--random-seed must be 32 bytes of hex")
            }
            return bytes
        }
        guard traceTail >= 0 else { throw ValidationError("--trace-tail must be at least 0") }
        var trace: [UInt64] = []
        do {
            let execution: Execution
            if traceTail > 0 {
                let profile = program.profile(stdin: items, maxCycles: guest.maxCycles, limits: ExecutionLimits(maxWork: maxWork),
                                              randomSeed: seed, traceTail: traceTail)
                trace = profile.trace
                execution = try profile.result.get()
            } else {
                execution = try program.execute(stdin: items, maxCycles: guest.maxCycles,
                                                limits: ExecutionLimits(maxWork: maxWork), randomSeed: seed, engine: engine)
            }
            if json {
                printJSON([
                    "ok": true, "programId": program.id.hex, "vm": program.vm.rawValue, "isa": program.isa.rawValue,
                    "abi": "\(program.abi)", "publicValues": hex(execution.publicValues), "cycles": execution.cycles,
                    "exitCode": execution.exitCode, "exit": "\(execution.exit)",
                    "outputDigest": execution.outputDigest.map(hex) ?? NSNull(), "mips": execution.mips,
                    "wallTimeSeconds": execution.wallSeconds, "stdout": execution.stdout,
                    "stderr": execution.stderr, "engine": execution.engine.rawValue,
                    "engineNote": execution.engineNote ?? NSNull(),
                    "jitTranslationSeconds": seconds(execution.jitTranslationTime), "work": execution.work,
                    "cycleTracker": execution.cycleRegions.map(regionJSON),
                    "cycleTrackerTruncated": execution.cycleRegionsTruncated,
                ])
            } else {
                if !execution.stdout.isEmpty { print(execution.stdout, terminator: execution.stdout.hasSuffix("\n") ? "" : "\n") }
                print(executionSummary(execution, program: program), terminator: "")
                let unit = program.vm == .risc0 ? "M user cycles/s" : "MIPS"
                print(String(format: "speed:         %.1f ", execution.mips) + unit
                    + String(format: " (%.3f ms)", execution.wallSeconds * 1e3))
                print("engine:        \(engineLine(execution.engine, note: execution.engineNote, translation: execution.jitTranslationTime))")
                if !execution.cycleRegions.isEmpty {
                    print("cycle tracker (\(program.vm == .risc0 ? "user cycles" : "cycles")):")
                    print(regionTable(execution.cycleRegions, truncated: execution.cycleRegionsTruncated), terminator: "")
                }
            }
            if execution.exitCode != 0 && program.vm == .sp1 {  // RISC Zero: any Halted(n) is a result
                if !json && !execution.stderr.isEmpty {
                    FileHandle.standardError.write(Data(("guest stderr:\n" + execution.stderr + "\n").utf8))
                }
                if !json {
                    FileHandle.standardError.write(Data("error: the guest exited with code \(execution.exitCode)\n".utf8))
                }
                Foundation.exit(1)
            }
        } catch {
            if json {
                printJSON([
                    "ok": false, "programId": program.id.hex, "vm": program.vm.rawValue, "isa": program.isa.rawValue,
                    "abi": "\(program.abi)", "error": error.kind.rawValue,
                    "message": error.description, "cycles": error.cycles, "pc": error.pc,
                    "exitCode": error.exitCode, "stdout": error.stdout, "stderr": error.stderr,
                    "engine": error.engine.rawValue, "work": error.work,
                    "location": program.location(of: error.pc) ?? NSNull(),
                    "traceTail": trace.map { pc in
                        ["pc": pc, "instruction": program.location(of: pc) ?? "0x\(String(pc, radix: 16))"] as [String: Any]
                    },
                ])
                Foundation.exit(1)
            }
            if !error.stderr.isEmpty { FileHandle.standardError.write(Data(("guest stderr:\n" + error.stderr + "\n").utf8)) }
            if !trace.isEmpty {
                FileHandle.standardError.write(Data(traceText(trace, program: program).utf8))
            }
            Self.fail(CLIFailure(error, program: program))
        }
    }
}

/// The result lines of a run (`zkvm run`, `zkvm debug`): ABI, public values (RISC Zero: journal),
/// cycles, host work, exit status.
func executionSummary(_ execution: Execution, program: Program) -> String {
    let output = program.vm == .risc0 ? "journal:      " : "public values:"
    return """
        ABI:           \(program.abi), \(program.isa)
        \(output) \(hex(execution.publicValues))
        cycles:        \(execution.cycles)\(program.vm == .risc0 ? " (user cycles)" : "")
        host work:     \(execution.work) units
        exit status:   \(program.vm == .risc0 ? "ok (\(execution.exit))"
            : execution.exitCode == 0 ? "ok (exit code 0)" : "guest exit code \(execution.exitCode)")

        """
}

/// The cycle tracker's regions as an indented table: name (two spaces per level), cycles, hits,
/// cycles per hit.
func regionTable(_ regions: [CycleRegion], truncated: Bool) -> String {
    let names = regions.map { String(repeating: "  ", count: $0.depth) + $0.name + ($0.reportHits > 0 ? " (report)" : "") }
    let width = max(6, names.map(\.count).max() ?? 0)
    func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
    func lpad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
    var out = "  " + pad("region", width) + "  " + lpad("cycles", 14) + "  " + lpad("hits", 8) + "  " + lpad("per hit", 12) + "\n"
    for (region, name) in zip(regions, names) {
        let perHit = region.hits > 0 ? String(region.cycles / region.hits) : "-"
        out += "  " + pad(name, width) + "  " + lpad(String(region.cycles), 14) + "  " + lpad(String(region.hits), 8)
            + "  " + lpad(perHit, 12) + (region.hits == 0 ? "  (never ended)" : "") + "\n"
    }
    if truncated { out += "  (more regions than the tracker keeps: the rest are missing)\n" }
    return out
}

func regionJSON(_ region: CycleRegion) -> [String: Any] {
    ["name": region.name, "parent": region.parent.map { $0 as Any } ?? NSNull(), "depth": region.depth,
     "cycles": region.cycles, "hits": region.hits, "reportCycles": region.reportCycles, "reportHits": region.reportHits]
}

/// The last instructions before a failure, one per line: pc, function+offset, disassembly.
func traceText(_ trace: [UInt64], program: Program) -> String {
    var out = "last \(trace.count) instructions:\n"
    for (i, pc) in trace.enumerated() {
        let text = program.location(of: pc) ?? "(no instruction)"
        out += (i == trace.count - 1 ? "  => " : "     ") + String(format: "%10llx  ", pc) + text + "\n"
    }
    return out
}

/// "jit (translated in 1.234 ms)", "interpreter", or the note when the JIT was asked for but did not run.
func engineLine(_ engine: Engine, note: String?, translation: Duration) -> String {
    if let note { return "\(engine) (\(note))" }
    if translation > .zero { return "\(engine) (translated in " + String(format: "%.3f ms)", seconds(translation) * 1e3) }
    return "\(engine)"
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func printJSON(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
    print(String(decoding: data, as: UTF8.self))
}
