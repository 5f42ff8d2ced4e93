import ArgumentParser
import Foundation
import ZKVM

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Run a guest and attribute every cycle to the function that executed it (self and inclusive cycles, calls, syscalls).",
        discussion: """
            The run is the engine's own on the interpreter (same cycles, outputs and failure as zkvm run), one basic \
            block at a time. Functions come from the ELF's symbol table; a stripped ELF is profiled by address ranges \
            from its entry and call targets (sub_<address>). Calls are JAL/JALR writing ra, returns jalr x0, 0(ra). \
            A syscall's cycles count for the function that made it and are listed per syscall too. --folded writes \
            flame-graph folded stacks (flamegraph.pl, inferno, speedscope); --speedscope a speedscope JSON file; \
            --svg a flame graph drawn by zkvm itself.
            """
    )

    @OptionGroup var guest: GuestOptions
    @Option(name: .customLong("top"), help: "Functions in the table (by self cycles).") var top = 20
    @Option(name: .customLong("folded"), help: "Write folded stacks ('a;b;c cycles' lines) to this file.") var folded: String?
    @Option(name: .customLong("speedscope"), help: "Write a speedscope JSON profile to this file.") var speedscope: String?
    @Option(name: .customLong("svg"), help: "Write a flame graph (a static SVG, no scripts) to this file.") var svg: String?

    func run() throws {
        let program: Program
        do { program = try loadProgram(guest.elf, vm: guest.vm.vm) } catch let error as CLIFailure { Self.fail(error) }
        let items = try guest.stdin()
        let profile = program.profile(stdin: items, maxCycles: guest.maxCycles)
        if let folded { try profile.folded().write(toFile: folded, atomically: true, encoding: .utf8) }
        if let speedscope {
            try profile.speedscopeJSON(name: URL(fileURLWithPath: guest.elf).lastPathComponent)
                .write(to: URL(fileURLWithPath: speedscope))
        }
        if let svg {
            let title = "\(URL(fileURLWithPath: guest.elf).lastPathComponent): \(profile.totalCycles) cycles"
            try profile.flameGraph.svg(title: title).write(toFile: svg, atomically: true, encoding: .utf8)
        }
        print(profileReport(profile, top: top, unit: program.vm == .risc0 ? "user cycles" : "cycles"), terminator: "")
        if case .failure(let error) = profile.result {
            Self.fail(CLIFailure(error, program: program))
        }
    }
}

/// The terminal report: totals, the top functions, the syscalls.
func profileReport(_ profile: Profile, top: Int, unit: String) -> String {
    let total = max(profile.totalCycles, 1)
    func pct(_ v: UInt64) -> String { String(format: "%5.1f%%", Double(v) * 100 / Double(total)) }
    func lpad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
    var out = ""
    if let note = profile.note { out += "note: \(note)\n" }
    if profile.incomplete { out += "note: the profiler ran out of memory; the counts are partial\n" }
    let seconds = Double(profile.wallTime.components.seconds) + Double(profile.wallTime.components.attoseconds) * 1e-18
    out += "total: \(profile.totalCycles) \(unit) in \(profile.functions.count) functions"
        + String(format: " (profiled in %.3f s)\n", seconds)
    out += lpad("self", 14) + "  " + lpad("%", 6) + "  " + lpad("inclusive", 14) + "  " + lpad("%", 6) + "  "
        + lpad("calls", 10) + "  function\n"
    for f in profile.functions.prefix(max(0, top)) {
        out += lpad(String(f.selfCycles), 14) + "  " + pct(f.selfCycles) + "  " + lpad(String(f.inclusiveCycles), 14) + "  "
            + pct(f.inclusiveCycles) + "  " + lpad(String(f.calls), 10) + "  " + f.name + "\n"
    }
    if profile.functions.count > top { out += "  … \(profile.functions.count - top) more (--top N)\n" }
    if !profile.syscalls.isEmpty {
        out += "syscalls (their cycles are part of the caller's self cycles):\n"
        out += lpad("cycles", 14) + "  " + lpad("calls", 10) + "  syscall ← caller\n"
        for s in profile.syscalls {
            out += lpad(String(s.cycles), 14) + "  " + lpad(String(s.calls), 10) + "  \(s.name) ← \(s.caller)\n"
        }
    }
    return out
}
