import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ZKVM

/// The guest developer tools (README "Writing and profiling guests"): SP1's cycle tracker, the
/// profiler (`Program.profile`, `zkvm profile`) and the trace tail (`zkvm run --trace-tail`), on
/// the developer-tools guests of guest-programs/ (bin/tools/, bin/rv64/tools/, bin/risc0/tools/),
/// whose exact counts their sources state, and on real SP1 ELFs of ../shared.
@Suite("Guest developer tools")
struct DevToolsTests {
    typealias Fixture = GuestProgramTests.Fixture

    /// The three builds of a developer-tools guest.
    enum Flavour: String, CaseIterable, Sendable {
        case sp1 = "tools/", rv64 = "rv64/tools/", risc0 = "risc0/tools/"
        var vm: GuestVM { self == .risc0 ? .risc0 : .sp1 }
    }

    static func tool(_ name: String, _ flavour: Flavour) throws -> Program {
        try Program(elf: Fixture.elf(relative: "bin/\(flavour.rawValue)\(name).elf"), vm: flavour.vm)
    }

    // MARK: - Cycle tracker

    @Test("cycle-tracker guest: nested and repeated regions with their exact counts, on every ABI and both tiers",
          arguments: Flavour.allCases, [Engine.interpreter, .jit])
    func trackerGuest(_ flavour: Flavour, _ engine: Engine) throws {
        let program = try Self.tool("cycle-tracker", flavour)
        let e = try program.execute(stdin: [], maxCycles: 1_000_000, engine: engine)
        // SP1: 6 cycles of markers around each region; RISC Zero: 11 user cycles (cycle-tracker/main.c).
        let (outer, inner, report): (UInt64, UInt64, UInt64) = flavour == .risc0 ? (341, 32, 26) : (306, 27, 21)
        #expect(e.cycleRegions == [
            CycleRegion(name: "outer", parent: nil, depth: 0, cycles: outer, hits: 1),
            CycleRegion(name: "inner", parent: 0, depth: 1, cycles: 3 * inner, hits: 3),
            CycleRegion(name: "report", parent: nil, depth: 0, cycles: 2 * report, hits: 2, reportCycles: 2 * report,
                        reportHits: 2),
        ])
        #expect(e.cycleTrackerReport.mapValues { [$0.cycles, $0.invocations] } == ["report": [2 * report, 2]])
        #expect(!e.cycleRegionsTruncated)
        #expect(e.publicValues == [42, 0, 0, 0])
        // SP1 v3-v5 consume the markers; SP1 v6 and RISC Zero print them.
        let lines = ["outer", "inner", "inner", "inner", "inner", "inner", "inner", "outer", "report", "report", "report", "report"]
        let kinds = ["start", "start", "end", "start", "end", "start", "end", "end", "report-start", "report-end", "report-start", "report-end"]
        let printed = zip(kinds, lines).map { "cycle-tracker-\($0): \($1)\n" }.joined()
        #expect(e.stdout == (flavour == .sp1 ? "done\n" : printed + "done\n"))
        // The run itself is the same on both tiers (cycles; the tracker changes nothing).
        let other = try program.execute(stdin: [], maxCycles: 1_000_000, engine: engine == .jit ? .interpreter : .jit)
        #expect(other.cycles == e.cycles && other.work == e.work && other.cycleRegions == e.cycleRegions)
        #expect(e.cycles == (flavour == .sp1 ? 1123 : flavour == .rv64 ? 1134 : 2394))
    }

    @Test("SP1 v3-v5 take a whole write as one command (text before the first ':'); other writes print")
    func trackerParsing() throws {
        let text = Array("cycle-tracker-start:  a b \ncycle-tracker-foo: x\ncycle-tracker-end: a b\ncycle-tracker-end: never\n".utf8)
        // 1 WRITE start (27 bytes), 1 WRITE not a command (21), 1 WRITE end (23), 1 WRITE of an unopened end (25).
        let p = try program(data: text) { asm in
            asm.syscall(2, a0: 1, a1: scratch, a2: 27)
            asm.syscall(2, a0: 1, a1: scratch + 27, a2: 21)
            asm.syscall(2, a0: 1, a1: scratch + 48, a2: 23)
            asm.syscall(2, a0: 1, a1: scratch + 71, a2: 25)
        }
        let e = try p.execute(stdin: [], maxCycles: 1_000)
        #expect(e.stdout == "cycle-tracker-foo: x\n")
        // The name is trimmed; an end that matches no start is ignored. The span: the start ECALL,
        // the second syscall (4 two-instruction LIs and its ECALL) and the end's LIs.
        #expect(e.cycleRegions == [CycleRegion(name: "a b", parent: nil, depth: 0, cycles: 1 + 9 + 8, hits: 1)])
    }

    @Test("a real SP1 ELF's regions (../shared: tests-cycle-tracker)",
          .enabled(if: Paths.hasShared, "../shared/sp1 is absent (a user's clone has none)"))
    func realSP1() throws {
        let elf = try Paths.bytes(Paths.sp1.appendingPathComponent("elfs/succinctlabs_sp1__tests-cycle-tracker.elf"))
        let program = try Program(elf: elf)
        for engine in [Engine.interpreter, .jit] {
            let e = try program.execute(stdin: [], maxCycles: 100_000_000, engine: engine)
            #expect(e.cycles == 6350)  // the manifest's prediction: the tracker changes nothing
            #expect(e.cycleRegions == [CycleRegion(name: "f", parent: nil, depth: 0, cycles: 386, hits: 1),
                                       CycleRegion(name: "g", parent: nil, depth: 0, cycles: 386, hits: 1)])
            #expect(e.stdout == "")  // SP1 v3 consumes the markers
        }
    }

    // MARK: - Profiler

    @Test("call-profile: f calls g ten times: exact self and inclusive cycles and calls, on every ABI",
          arguments: Flavour.allCases)
    func callProfile(_ flavour: Flavour) throws {
        let program = try Self.tool("call-profile", flavour)
        let profile = program.profile(stdin: [], maxCycles: 1_000_000)
        let run = try program.execute(stdin: [], maxCycles: 1_000_000)
        let e = try profile.result.get()
        #expect(e.cycles == run.cycles && e.publicValues == run.publicValues && e.publicValues == [158, 0, 0, 0])
        #expect(profile.totalCycles == run.cycles)
        #expect(profile.functions.reduce(0) { $0 + $1.selfCycles } == run.cycles)
        let f = try #require(profile.functions.first { $0.name == "f" })
        let g = try #require(profile.functions.first { $0.name == "g" })
        #expect([f.selfCycles, f.inclusiveCycles, f.calls] == [38, 158, 1])
        #expect([g.selfCycles, g.inclusiveCycles, g.calls] == [120, 120, 10])
        let main = try #require(profile.functions.first { $0.name == "main" })
        #expect(main.inclusiveCycles >= 158 + main.selfCycles && main.calls == 1)
        let start = try #require(profile.functions.first { $0.name == "_start" })
        #expect(start.inclusiveCycles == run.cycles)  // everything runs under _start
        let folded = profile.folded().split(separator: "\n")
        #expect(folded.contains { $0.hasSuffix(";main;f;g 120") })
        #expect(folded.contains { $0.hasSuffix(";main;f 38") })
        // The HALT and the syscalls, each from its caller.
        let halt = try #require(profile.syscalls.first { $0.name == "HALT" })
        #expect(halt.calls == 1 && halt.caller == (flavour == .risc0 ? "r0_halt" : "zkvm_halt"))
        #expect(halt.cycles == (flavour == .risc0 ? 1 : 1))  // HALT: its ECALL (RISC Zero adds 0 extra cycles)
        #expect(profile.note == nil)
    }

    /// For each bundled program (every flavour), its largest successful vector case under 3 M cycles
    /// and its smallest failing one.
    static let bundledCases: [BundledCase] = {
        var out: [BundledCase] = []
        for (file, dir, vm) in [("vectors.json", "bin/", GuestVM.sp1), ("vectors-rv64.json", "bin/rv64/", .sp1),
                                ("vectors-risc0.json", "bin/risc0/", .risc0)] {
            guard let data = try? Data(contentsOf: Fixture.guestPrograms.appendingPathComponent(file)),
                  let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let cases = json["cases"] as? [[String: Any]] else { continue }
            var chosen: [String: (UInt64, [String: Any])] = [:]
            for c in cases {
                guard let program = c["program"] as? String, let ok = c["expect_ok"] as? Bool else { continue }
                let cycles = (c["refexec_cycles"] as? NSNumber ?? c["model_cycles"] as? NSNumber)?.uint64Value ?? 0
                let key = program + (ok ? "+ok" : "+fail")
                if cycles > 3_000_000 { continue }
                if let old = chosen[key], ok ? old.0 >= cycles : old.0 <= cycles { continue }
                chosen[key] = (cycles, c)
            }
            for (key, value) in chosen.sorted(by: { $0.key < $1.key }) {
                let c = value.1
                let hexItems: [String] = (c["stdin_hex"] as? [String]) ?? [(c["stdin_hex"] as? String) ?? ""]
                let items = hexItems.map(Fixture.bytes(hex:))
                out.append(BundledCase(elf: dir + (c["program"] as? String ?? "") + ".elf", vm: vm,
                                       stdin: vm == .risc0 ? [items.flatMap { $0 }] : items, label: dir + key))
            }
        }
        return out
    }()

    struct BundledCase: Sendable, CustomTestStringConvertible {
        let elf: String
        let vm: GuestVM
        let stdin: [[UInt8]]
        let label: String
        var testDescription: String { label }
    }

    @Test("self cycles sum to the run's cycle count on every bundled guest; the run is execute's", arguments: bundledCases)
    func bundledSums(_ c: BundledCase) throws {
        let program = try Program(elf: Fixture.elf(relative: c.elf), vm: c.vm)
        let profile = program.profile(stdin: c.stdin, maxCycles: 100_000_000)
        #expect(profile.functions.count > 5)
        let selfSum = profile.functions.reduce(0) { $0 + $1.selfCycles }
        #expect(selfSum == profile.totalCycles)
        #expect(profile.stacks().reduce(0) { $0 + $1.cycles } == profile.totalCycles)
        switch (profile.result, Result { () throws(ExecutionError) in try program.execute(stdin: c.stdin, maxCycles: 100_000_000) }) {
        case (.success(let p), .success(let e)):
            #expect(p.cycles == e.cycles && p.publicValues == e.publicValues && p.work == e.work && p.stdout == e.stdout)
            #expect(profile.totalCycles == e.cycles)
        case (.failure(let p), .failure(let e)):
            #expect(p == e)  // same kind, message, pc, cycles, outputs
            #expect(profile.totalCycles == e.cycles)
        default:
            Issue.record("the profiled run and execute disagree: \(profile.result)")
        }
        #expect(!profile.incomplete && profile.note == nil)
    }

    /// The real SP1 ELFs of ../shared (v3-v5 and v6) up to 5 M cycles: unconstrained blocks,
    /// hooks, precompiles, Rust call structure.
    static let realELFs: [BundledCase] = {
        var out: [BundledCase] = []
        for (manifest, dir) in [("manifest.json", "elfs/"), ("manifest-v6.json", "elfs-v6/")] {
            guard let data = try? Data(contentsOf: Paths.sp1.appendingPathComponent(manifest)),
                  let entries = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { continue }
            for e in entries {
                guard let file = e["file"] as? String, let cycles = (e["predicted_cycles"] as? NSNumber)?.uint64Value,
                      cycles <= 5_000_000 else { continue }
                let stdin = ((e["stdin_items_hex"] as? [String]) ?? []).map(hexBytes)
                out.append(BundledCase(elf: Paths.sp1.appendingPathComponent(dir + file).path, vm: .sp1, stdin: stdin,
                                       label: "\(dir)\(file) (\(stdin.count) items)"))
            }
        }
        return out
    }()

    @Test("real SP1 ELFs (../shared, up to 5 M cycles): self cycles sum to the run's cycles; the run is execute's",
          .enabled(if: Paths.hasShared, "../shared/sp1 is absent (a user's clone has none)"), arguments: realELFs)
    func realSums(_ c: BundledCase) throws {
        let program = try Program(elf: Paths.bytes(URL(fileURLWithPath: c.elf)))
        let profile = program.profile(stdin: c.stdin, maxCycles: 100_000_000)
        #expect(profile.functions.reduce(0) { $0 + $1.selfCycles } == profile.totalCycles)
        switch (profile.result, Result { () throws(ExecutionError) in try program.execute(stdin: c.stdin, maxCycles: 100_000_000) }) {
        case (.success(let p), .success(let e)):
            #expect(p.cycles == e.cycles && p.publicValues == e.publicValues && p.work == e.work && p.exitCode == e.exitCode)
            #expect(profile.totalCycles == e.cycles)
        case (.failure(let p), .failure(let e)):
            #expect(p == e)
            #expect(profile.totalCycles == e.cycles)
        default:
            Issue.record("the profiled run and execute disagree: \(profile.result)")
        }
        #expect(!profile.incomplete)
    }

    @Test("a cycle limit: the profiled run fails as execute does; the profile covers what ran, through the crossing block")
    func cycleLimit() throws {
        let program = try Self.tool("call-profile", .sp1)
        for limit: UInt64 in [1, 7, 300, 500, 871] {
            let profile = program.profile(stdin: [], maxCycles: limit)
            let expected = try #require(Result { () throws(ExecutionError) in try program.execute(stdin: [], maxCycles: limit) }.failure)
            #expect(profile.result.failure == expected && expected.kind == .cycleLimitExceeded && expected.cycles == limit)
            #expect(profile.totalCycles >= limit && profile.totalCycles < limit + 16)
            #expect(profile.functions.reduce(0) { $0 + $1.selfCycles } == profile.totalCycles)
        }
        #expect(program.profile(stdin: [], maxCycles: 872).totalCycles == 872)
    }

    @Test("folded stacks parse as 'frame;frame;... count' lines; speedscope JSON has the file format's structure")
    func outputs() throws {
        let program = try Self.tool("call-profile", .sp1)
        let profile = program.profile(stdin: [], maxCycles: 1_000_000)
        var total: UInt64 = 0
        for line in profile.folded().split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let parts = line.split(separator: " ")
            #expect(parts.count == 2, "\(line)")
            let frames = parts[0].split(separator: ";", omittingEmptySubsequences: false)
            #expect(!frames.isEmpty && frames.allSatisfy { !$0.isEmpty })
            total += try #require(UInt64(parts[1]))
        }
        #expect(total == profile.totalCycles && profile.folded().hasSuffix("\n"))

        let json = try #require(try JSONSerialization.jsonObject(with: profile.speedscopeJSON(name: "call-profile")) as? [String: Any])
        #expect(json["$schema"] as? String == "https://www.speedscope.app/file-format-schema.json")
        let frames = try #require((json["shared"] as? [String: Any])?["frames"] as? [[String: Any]])
        #expect(frames.map { $0["name"] as? String } == profile.functions.map(\.name))
        let profiles = try #require(json["profiles"] as? [[String: Any]])
        #expect(profiles.count == 1)
        let p = profiles[0]
        #expect(p["type"] as? String == "sampled" && p["unit"] as? String == "none" && p["name"] as? String == "call-profile")
        let samples = try #require(p["samples"] as? [[Int]])
        let weights = try #require(p["weights"] as? [UInt64])
        #expect(samples.count == weights.count && samples.allSatisfy { $0.allSatisfy { frames.indices.contains($0) } })
        #expect(weights.reduce(0, +) == profile.totalCycles)
        #expect((p["startValue"] as? Int) == 0 && (p["endValue"] as? UInt64) == profile.totalCycles)
        // The g samples: _start;__zkvm_start;main;f;g with 120 cycles.
        let gIndex = try #require(frames.firstIndex { $0["name"] as? String == "g" })
        let gSample = try #require(samples.firstIndex { $0.last == gIndex })
        #expect(weights[gSample] == 120 && samples[gSample].map { frames[$0]["name"] as? String } == ["_start", "__zkvm_start", "main", "f", "g"])
    }

    @Test("flame graph: boxes are the calling contexts with their inclusive cycles, nested under their callers; the SVG parses")
    func flameGraph() throws {
        let program = try Self.tool("call-profile", .sp1)
        let profile = program.profile(stdin: [], maxCycles: 1_000_000)
        let graph = profile.flameGraph
        #expect(graph.totalCycles == profile.totalCycles)
        // One box per calling context with cycles; the outermost is _start with every cycle.
        #expect(graph.boxes.first == FlameGraph.Box(name: "_start", depth: 0, start: 0, cycles: profile.totalCycles))
        let f = try #require(graph.boxes.first { $0.name == "f" })
        let g = try #require(graph.boxes.first { $0.name == "g" })
        #expect(f.cycles == 158 && g.cycles == 120 && g.depth == f.depth + 1)
        // A child lies inside its parent's span, siblings side by side (by name) without overlap.
        func encloses(_ outer: FlameGraph.Box, _ inner: FlameGraph.Box) -> Bool {
            outer.depth + 1 == inner.depth && outer.start <= inner.start && inner.start + inner.cycles <= outer.start + outer.cycles
        }
        #expect(encloses(f, g))
        let deepest = graph.boxes.map { $0.depth }.max() ?? 0
        for depth in 1...deepest {
            let row: [FlameGraph.Box] = graph.boxes.filter { $0.depth == depth }.sorted { $0.start < $1.start }
            for (a, b) in zip(row, row.dropFirst()) { #expect(a.start + a.cycles <= b.start) }
            for box in row { #expect(graph.boxes.contains { encloses($0, box) }) }
        }
        // Self cycles are what a box has beyond its children: summed over boxes, the run's cycles.
        var selfSum: UInt64 = 0
        for box in graph.boxes {
            let children: [FlameGraph.Box] = graph.boxes.filter { encloses(box, $0) }
            selfSum += box.cycles - children.reduce(UInt64(0)) { $0 + $1.cycles }
        }
        #expect(selfSum == profile.totalCycles)

        let svg = graph.svg(title: "call-profile <&>")
        #expect(svg.contains("<title>g (120 cycles, ") && svg.contains("<title>f (158 cycles, "))
        #expect(svg.contains("call-profile &lt;&amp;&gt;") && !svg.contains("<script"))
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = RectCounter()
        parser.delegate = counter
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        #expect(counter.rects == graph.boxes.count + 1)  // every box (none is under 0.3 px here) and the background
    }

    @Test("a stripped ELF profiles by address ranges from its call targets, with a note")
    func stripped() throws {
        var elf = try Fixture.elf(relative: "bin/tools/call-profile.elf")
        // No section headers: no symbol table (the loader reads only the program headers).
        for offset in [32, 33, 34, 35, 48, 49, 50, 51] { elf[offset] = 0 }  // e_shoff, e_shnum, e_shstrndx
        let program = try Program(elf: elf)
        #expect(program.symbols.isEmpty)
        let profile = program.profile(stdin: [], maxCycles: 1_000_000)
        #expect(profile.note?.contains("no symbol table") == true)
        #expect(profile.totalCycles == (try program.execute(stdin: [], maxCycles: 1_000_000)).cycles)
        // f and g are call targets: their ranges are exact.
        let symbols = try Program(elf: Fixture.elf(relative: "bin/tools/call-profile.elf")).symbols
        let gAddress = try #require(symbols.first { $0.name == "g" }?.address)
        let fAddress = try #require(symbols.first { $0.name == "f" }?.address)
        let g = try #require(profile.functions.first { $0.address == gAddress })
        let f = try #require(profile.functions.first { $0.address == fAddress })
        #expect(g.name == "sub_\(String(gAddress, radix: 16))")
        #expect([g.selfCycles, g.calls, f.selfCycles, f.inclusiveCycles] == [120, 10, 38, 158])
    }

    // MARK: - Trace tail

    @Test("fault-trace: the last instructions before the fault, the failing one last, on every ABI",
          arguments: Flavour.allCases)
    func traceTail(_ flavour: Flavour) throws {
        let program = try Self.tool("fault-trace", flavour)
        let profile = program.profile(stdin: [], maxCycles: 1_000_000, traceTail: 5)
        let error = try #require(profile.result.failure)
        #expect(error.kind == .memoryAccess && error.address == 0x401)
        let expected = try #require(Result { () throws(ExecutionError) in try program.execute(stdin: [], maxCycles: 1_000_000) }.failure)
        #expect(error == expected)
        #expect(profile.trace.count == 5)
        #expect(profile.trace.last == error.pc)
        #expect(profile.trace.suffix(4).map { program.location(of: $0) } == [
            "crash: addi a0, zero, 0x401", "crash+0x4: addi a1, zero, 0x7", "crash+0x8: add a2, a0, a1",
            "crash+0xc: lw a3, 0x0(a0)",
        ])
        #expect(program.location(of: profile.trace[0])?.hasPrefix("main+") == true)  // the call into crash
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Counts the `rect` elements of an SVG.
private final class RectCounter: NSObject, XMLParserDelegate {
    var rects = 0
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) { if name == "rect" { rects += 1 } }
}
