import Foundation
import Testing
@testable import ZKVM
#if canImport(Glibc)
import Glibc
#endif

/// The debugger (README "Debugging with GDB"): `Program.debug` (the engine stopped at its first
/// instruction, after single steps, at breakpoints and failures), the GDB remote-serial-protocol
/// server of `zkvm debug --gdb` driven with raw packets, and a real `gdb-multiarch` session on a
/// guest built with -g.
@Suite("Debugger and zkvm debug (GDB)")
struct DebuggerTests {
    typealias Flavour = DevToolsTests.Flavour
    typealias Fixture = GuestProgramTests.Fixture

    // MARK: - Program.debug

    @Test("stepping every instruction gives the run of execute: same cycles, outputs, and one step per SP1 cycle",
          arguments: Flavour.allCases, ["call-profile", "cycle-tracker"])
    func stepAll(_ flavour: Flavour, _ name: String) throws {
        let program = try DevToolsTests.tool(name, flavour)
        let expected = try program.execute(stdin: [], maxCycles: 1_000_000, engine: .interpreter)
        var events: [DebugEvent] = []
        var lastCycles: UInt64 = 0, increasing = true
        let result = program.debug(stdin: [], maxCycles: 1_000_000) { event, machine in
            events.append(event)
            increasing = increasing && (event == .entry ? machine.cycles == 0 : machine.cycles > lastCycles)
            lastCycles = machine.cycles
            return .step
        }
        let execution = try result.get()
        #expect(execution.cycles == expected.cycles && execution.publicValues == expected.publicValues)
        #expect(execution.stdout == expected.stdout && execution.work == expected.work)
        #expect(execution.cycleRegions == expected.cycleRegions)
        #expect(events.first == .entry && events.dropFirst().allSatisfy { $0 == .stepped })
        #expect(increasing)
        // SP1 counts instructions: the last ECALL (HALT) has no stop after it.
        if flavour != .risc0 { #expect(UInt64(events.count) == expected.cycles) }
    }

    @Test("bundled guests, continued over a breakpoint at every function (one instruction at a time), run as execute does",
          arguments: ["fibonacci", "sort-bench", "keccak-bench", "mock-consumer"])
    func bundled(_ name: String) throws {
        let program = try Program(elf: Fixture.elf(name))
        let stdin: [[UInt8]] = name == "mock-consumer" ? [[UInt8](repeating: 0, count: 32), [], []] : [[0x40, 0, 0, 0]]
        let expected = Self.execute(program, stdin: stdin, maxCycles: 10_000_000)
        // A breakpoint on every function start: the run goes one instruction at a time throughout.
        var hits = 0
        let debugged = program.debug(stdin: stdin, maxCycles: 10_000_000) { event, machine in
            if event == .entry { for symbol in program.symbols { machine.setBreakpoint(symbol.address) } }
            if event == .breakpoint { hits += 1 }
            return .continue
        }
        #expect(hits > 0)
        #expect(debugged.map(\.cycles) == expected.map(\.cycles))
        #expect(debugged.map(\.publicValues) == expected.map(\.publicValues))
        #expect(debugged.map(\.stdout) == expected.map(\.stdout))
        #expect(debugged.error?.kind == expected.error?.kind)
    }

    static func execute(_ program: Program, stdin: [[UInt8]] = [], maxCycles: UInt64) -> Result<Execution, ExecutionError> {
        Result { () throws(ExecutionError) -> Execution in
            try program.execute(stdin: stdin, maxCycles: maxCycles, engine: .interpreter)
        }
    }

    @Test("a breakpoint stops before its instruction each time it is reached (g: 10 calls)", arguments: Flavour.allCases)
    func breakpoints(_ flavour: Flavour) throws {
        let program = try DevToolsTests.tool("call-profile", flavour)
        let g = try #require(program.symbols.first { $0.name == "g" }).address
        var hits: [UInt64] = []
        var ra: Set<UInt64> = []
        let result = program.debug(stdin: [], maxCycles: 1_000_000) { event, machine in
            switch event {
            case .entry:
                #expect(machine.pc == program.entry)
                #expect(machine.setBreakpoint(g))
                #expect(!machine.setBreakpoint(g + 2) && !machine.setBreakpoint(0))  // not instructions
            case .breakpoint:
                hits.append(machine.pc)
                ra.insert(machine.register(1))
            default: Issue.record("unexpected stop \(event)")
            }
            return .continue
        }
        #expect(try result.get().publicValues == [158, 0, 0, 0])
        #expect(hits == [UInt64](repeating: g, count: 10))
        #expect(ra.count == 1)  // every call comes from f's one `jal ra, g`
    }

    @Test("a step after a stop at a breakpoint runs that instruction; cycles count one per SP1 instruction")
    func stepFromBreakpoint() throws {
        let program = try DevToolsTests.tool("call-profile", .sp1)
        let g = try #require(program.symbols.first { $0.name == "g" }).address
        var stops: [(DebugEvent, UInt64, UInt64, UInt64)] = []  // event, pc, cycles, t1
        _ = program.debug(stdin: [], maxCycles: 1_000_000) { event, machine in
            if event == .entry { machine.setBreakpoint(g); return .continue }
            stops.append((event, machine.pc, machine.cycles, machine.register(6)))
            if stops.count < 4 { return .step }
            machine.setBreakpoint(g, false)
            return .continue
        }
        // g: li t1, 5; addi t1, t1, -1; bnez t1, 1b (call-profile/main.c).
        #expect(stops.map(\.0) == [.breakpoint, .stepped, .stepped, .stepped])
        #expect(stops.map(\.1) == [g, g + 4, g + 8, g + 4])
        #expect(stops.map { $0.2 - stops[0].2 } == [0, 1, 2, 3])
        #expect(stops.map(\.3).dropFirst() == [5, 4, 4])
    }

    @Test("registers and memory: reads, writes, bounds; a write changes the run's result")
    func machineAccess() throws {
        let program = try DevToolsTests.tool("call-profile", .sp1)
        let main = try #require(program.symbols.first { $0.name == "main" }).address
        let entryWord = try #require(program.word(at: program.entry))
        var checked = false
        let result = program.debug(stdin: [], maxCycles: 1_000_000) { event, machine in
            if event == .entry {
                #expect(machine.xlen == 32)
                #expect(machine.read(program.entry, count: 4) == withUnsafeBytes(of: entryWord.littleEndian) { Array($0) })
                #expect(machine.read(0xFFFF_FFF0, count: 32) == nil && machine.read(0, count: 4) == nil)
                #expect(machine.write(0x0010_0000, [1, 2, 3]) && machine.read(0x0010_0000, count: 3) == [1, 2, 3])
                #expect(!machine.write(0xFFFF_FFFF, [1, 2]))
                machine.setRegister(0, 7)
                machine.setRegister(9, 0x1_2345_6789)  // truncated to 32 bits
                #expect(machine.register(0) == 0 && machine.register(9) == 0x2345_6789)
                #expect(!machine.setPC(1) && machine.pc == program.entry)
                machine.setBreakpoint(main)
                return .continue
            }
            // At main: skip it (pc = its return address; a0 = 0), so nothing is committed.
            #expect(event == .breakpoint && machine.pc == main)
            #expect(machine.setPC(machine.register(1)))
            machine.setRegister(10, 0)
            checked = true
            return .continue
        }
        #expect(checked)
        #expect(try result.get().publicValues.isEmpty)
    }

    @Test("a failure stops for the debugger with the failed machine, then ends the run as execute does", arguments: Flavour.allCases)
    func fault(_ flavour: Flavour) throws {
        let program = try DevToolsTests.tool("fault-trace", flavour)
        let expected = try #require(Self.execute(program, maxCycles: 1_000_000).error)
        var seen: (UInt64, UInt64, ExecutionError.Kind?, UInt64)?
        let result = program.debug(stdin: [], maxCycles: 1_000_000) { event, machine in
            if event == .fault { seen = (machine.pc, machine.cycles, machine.failure?.kind, machine.register(10)) }
            return .continue
        }
        let error = try #require(result.error)
        #expect(error.kind == expected.kind && error.pc == expected.pc && error.cycles == expected.cycles)
        #expect(seen?.0 == expected.pc && seen?.1 == expected.cycles && seen?.2 == expected.kind)
        #expect(seen?.3 == 0x401)  // crash: addi a0, zero, 0x401; then the misaligned lw a3, 0(a0)
    }

    @Test("kill ends the run as interrupted; detach runs it to the end without stops")
    func killAndDetach() throws {
        let program = try DevToolsTests.tool("call-profile", .sp1)
        var stops = 0
        let killed = program.debug(stdin: [], maxCycles: 1_000_000) { _, _ in
            stops += 1
            return stops == 3 ? .kill : .step
        }
        #expect(killed.error?.kind == .interrupted && killed.error?.cycles == 2)
        stops = 0
        let detached = program.debug(stdin: [], maxCycles: 1_000_000) { _, machine in
            stops += 1
            machine.setBreakpoint(program.entry + 4)
            return .detach
        }
        #expect(stops == 1 && (try? detached.get().publicValues) == [158, 0, 0, 0])
    }

    @Test("the cycle limit fails a debugged run exactly where it fails a normal one",
          arguments: [UInt64(0), 1, 5, 37, 100, 250])
    func cycleLimit(_ limit: UInt64) throws {
        let program = try DevToolsTests.tool("call-profile", .sp1)
        let expected = Self.execute(program, maxCycles: limit)
        let stepped = program.debug(stdin: [], maxCycles: limit) { _, _ in .step }
        #expect(stepped.error?.kind == expected.error?.kind && stepped.error?.cycles == expected.error?.cycles)
        #expect(stepped.error?.pc == expected.error?.pc)
        #expect(stepped.map(\.cycles) == expected.map(\.cycles))
        #expect(expected.error?.kind == .cycleLimitExceeded)
    }

    // MARK: - zkvm debug --gdb: raw packets

    @Test("the RSP server answers raw packets exactly, refuses malformed and hostile ones, reports the exit",
          .enabled(if: ZKVMDebugProcess.binary != nil, "the zkvm executable is not built next to the tests"))
    func packets() throws {
        let elf = Fixture.guestPrograms.appendingPathComponent("bin/tools/call-profile.elf").path
        let program = try DevToolsTests.tool("call-profile", .sp1)
        let g = try #require(program.symbols.first { $0.name == "g" }).address
        let server = try ZKVMDebugProcess(elf: elf)
        let gdb = try RSPClient(port: server.port)
        func le32(_ v: UInt64) -> String { hex(withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { Array($0) }) }

        #expect(try gdb.ask("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+") == "PacketSize=4000")
        #expect(try gdb.ask("qAttached") == "1")
        #expect(try gdb.ask("vCont?") == "")
        #expect(try gdb.ask("vMustReplyEmpty") == "")
        #expect(try gdb.ask("Hg0") == "OK")
        #expect(try gdb.ask("?") == "S05")
        // x0..x31 are zero at the entry; pc last.
        #expect(try gdb.ask("g") == String(repeating: "00000000", count: 32) + le32(program.entry))
        #expect(try gdb.ask("p20") == le32(program.entry))
        #expect(try gdb.ask("p5") == "00000000")
        let word = try #require(program.word(at: program.entry))
        #expect(try gdb.ask("m\(String(program.entry, radix: 16)),4") == le32(UInt64(word)))
        // Writes: a register, memory (hex and binary, with an escaped byte), read back.
        #expect(try gdb.ask("P9=78563412") == "OK")
        #expect(try gdb.ask("p9") == "78563412")
        #expect(try gdb.ask("M100000,3:0a0b0c") == "OK")
        #expect(try gdb.ask("X100003,2:" + "}\u{03}A") == "OK")  // 0x23 ('#') escaped, then 'A'
        #expect(try gdb.ask("m100000,5") == "0a0b0c2341")
        #expect(try gdb.ask("X100000,0:") == "OK")
        // Malformed and hostile: bad hex, missing fields, huge lengths, outside guest memory.
        #expect(try gdb.ask("mzz,4") == "E01")
        #expect(try gdb.ask("m100000") == "E01")
        #expect(try gdb.ask("m100000,ffffffffffffffffff") == "E01")
        #expect(try gdb.ask("m100000,4000") == "E22")
        #expect(try gdb.ask("mffffff00,100") == "E14")
        #expect(try gdb.ask("m0,4") == "E14")
        #expect(try gdb.ask("M100000,2:0a") == "E01")
        #expect(try gdb.ask("M100000,1:zz") == "E01")
        #expect(try gdb.ask("Mfffffffe,4:00000000") == "E14")
        #expect(try gdb.ask("p21") == "E01")
        #expect(try gdb.ask("P20=00000000") == "E14")  // pc must be an instruction of the text
        #expect(try gdb.ask("P5=0011") == "E01")
        #expect(try gdb.ask("Gab") == "E01")
        #expect(try gdb.ask("Z0,0,4") == "E14")
        #expect(try gdb.ask("Z0,\(String(g + 2, radix: 16)),4") == "E14")
        #expect(try gdb.ask("Z1,\(String(g, radix: 16)),4") == "")  // hardware breakpoints: unsupported
        #expect(try gdb.ask("Zq") == "E01")
        #expect(try gdb.ask("qUnknownThing") == "")
        #expect(try gdb.ask("!") == "")
        // A bad checksum is refused with '-' and nothing else; so is an overlong packet.
        #expect(try gdb.sendRaw(Array("$g#00".utf8)) == UInt8(ascii: "-"))
        #expect(try gdb.sendRaw(Array("$".utf8) + [UInt8](repeating: UInt8(ascii: "m"), count: 100_000) + Array("#00".utf8))
                == UInt8(ascii: "-"))
        #expect(try gdb.sendRaw(Array("$m#zz".utf8)) == UInt8(ascii: "-"))
        #expect(try gdb.ask("?") == "S05")  // still serving
        // A breakpoint at g: continue stops there (SIGTRAP); step runs one instruction.
        #expect(try gdb.ask("P9=00000000") == "OK")  // as it was: the run's result stays execute's
        #expect(try gdb.ask("Z0,\(String(g, radix: 16)),4") == "OK")
        #expect(try gdb.ask("c") == "S05")
        #expect(try gdb.ask("p20") == le32(g))
        #expect(try gdb.ask("s") == "S05")
        #expect(try gdb.ask("p20") == le32(g + 4))
        #expect(try gdb.ask("p6") == "05000000")  // li t1, 5
        #expect(try gdb.ask("z0,\(String(g, radix: 16)),4") == "OK")
        // To the end: the exit code (W00); then '?' says so again; k ends the session.
        #expect(try gdb.ask("c") == "W00")
        #expect(try gdb.ask("?") == "W00")
        #expect(try gdb.ask("g") == "E01")
        try gdb.send("k")
        let (status, stdout) = try server.finish()
        let expected = try program.execute(stdin: [], maxCycles: 1_000_000)
        #expect(status == 0)
        #expect(stdout.contains("public values: 9e000000\n") && stdout.contains("cycles:        \(expected.cycles)\n"))
    }

    @Test("a fault is a stop with SIGSEGV, registers readable, then the end of the process (X0b)",
          .enabled(if: ZKVMDebugProcess.binary != nil, "the zkvm executable is not built next to the tests"))
    func faultPackets() throws {
        let elf = Fixture.guestPrograms.appendingPathComponent("bin/tools/fault-trace.elf").path
        let server = try ZKVMDebugProcess(elf: elf)
        let gdb = try RSPClient(port: server.port)
        #expect(try gdb.ask("c") == "S0b")
        #expect(try gdb.ask("?") == "S0b")
        #expect(try gdb.ask("pa") == "01040000")  // a0 = 0x401, the misaligned address
        #expect(try gdb.ask("c") == "X0b")
        try gdb.send("k")
        let (status, _) = try server.finish()
        #expect(status == 1)  // like zkvm run: the execution failed
    }

    @Test("RV64 (SP1 v6): registers are 8 bytes, as GDB's riscv:rv64 expects",
          .enabled(if: ZKVMDebugProcess.binary != nil, "the zkvm executable is not built next to the tests"))
    func rv64Packets() throws {
        let elf = Fixture.guestPrograms.appendingPathComponent("bin/rv64/tools/call-profile.elf").path
        let program = try DevToolsTests.tool("call-profile", .rv64)
        let g = try #require(program.symbols.first { $0.name == "g" }).address
        let server = try ZKVMDebugProcess(elf: elf)
        let gdb = try RSPClient(port: server.port)
        func le64(_ v: UInt64) -> String { hex(withUnsafeBytes(of: v.littleEndian) { Array($0) }) }
        #expect(try gdb.ask("g") == String(repeating: "0000000000000000", count: 32) + le64(program.entry))
        #expect(try gdb.ask("P5=0100000000000080") == "OK")
        #expect(try gdb.ask("p5") == "0100000000000080")  // all 64 bits
        #expect(try gdb.ask("P5=01000000") == "E01")  // 4 bytes: not a register of this width
        #expect(try gdb.ask("P5=0000000000000000") == "OK")
        #expect(try gdb.ask("Z0,\(String(g, radix: 16)),4") == "OK")
        #expect(try gdb.ask("c") == "S05")
        #expect(try gdb.ask("p20") == le64(g))
        #expect(try gdb.ask("z0,\(String(g, radix: 16)),4") == "OK")
        #expect(try gdb.ask("c") == "W00")
        try gdb.send("k")
        let (status, stdout) = try server.finish()
        let expected = try program.execute(stdin: [], maxCycles: 1_000_000)
        #expect(status == 0 && stdout.contains("cycles:        \(expected.cycles)\n"))
    }

    @Test("GDB's interrupt (0x03) stops a running guest with SIGINT; k then ends it",
          .enabled(if: ZKVMDebugProcess.binary != nil, "the zkvm executable is not built next to the tests"))
    func interruptPacket() throws {
        let elf = Fixture.guestPrograms.appendingPathComponent("bin/fibonacci.elf").path
        let server = try ZKVMDebugProcess(elf: elf, arguments: ["--stdin-hex", "ffffffff"])  // minutes of work
        let gdb = try RSPClient(port: server.port)
        try gdb.send("c")
        Thread.sleep(forTimeInterval: 0.2)
        let stop = try gdb.interrupt()
        #expect(stop == "S02")
        #expect(try gdb.ask("?") == "S02")
        #expect(try gdb.ask("p20").count == 8)
        try gdb.send("k")
        let (status, stdout) = try server.finish()
        #expect(status == 1 && stdout.contains("cycles:"))  // interrupted: a failed run, as zkvm run reports one
    }

    // MARK: - gdb-multiarch

    @Test("gdb-multiarch: break at main, step, read a register and locals, continue to the exit",
          .enabled(if: ZKVMDebugProcess.binary != nil, "the zkvm executable is not built next to the tests"),
          .enabled(if: Fixture.which("gdb-multiarch") != nil, "gdb-multiarch is not installed (scripts/bootstrap.sh --test-peers installs it)"),
          .enabled(if: Fixture.clangFound, "clang/ld.lld not found next to `swift` on PATH; cannot build the guest"),
          .timeLimit(.minutes(5)))
    func gdbSession() throws {
        // The guest, built with -g as `make debug PROGRAM=gdb-demo` builds it.
        let bin = try #require(Fixture.toolchainBin)
        let make = try #require(Fixture.which("make"), "make not found on PATH")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gdb-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let build = try Fixture.run(make, ["-s", "-C", Fixture.guestPrograms.path, "debug", "PROGRAM=gdb-demo",
                                           "OUT=\(out.path)", "CLANG=\(bin.appendingPathComponent("clang").path)",
                                           "LLD=\(bin.appendingPathComponent("ld.lld").path)"])
        try #require(build.status == 0, "make failed:\n\(build.output)")
        let elf = out.appendingPathComponent("obj/debug/gdb-demo.elf").path
        let expected = try Program(elf: [UInt8](Data(contentsOf: URL(fileURLWithPath: elf)))).execute(stdin: [], maxCycles: 1_000_000)

        let server = try ZKVMDebugProcess(elf: elf)
        let commands = [
            "set architecture riscv:rv32", "set pagination off", "set confirm off",
            "target remote 127.0.0.1:\(server.port)",
            "break main", "continue",
            "next", "next", "print n", "print total",
            "set $before = $pc", "stepi", "print (unsigned int)$pc - (unsigned int)$before",
            "break square", "continue", "print x", "print $a0",
            "continue", "continue", "print x", "up", "print total",
            "delete", "continue",
        ]
        let gdb = try Fixture.run(try #require(Fixture.which("gdb-multiarch")),
                                  ["-batch", "-nx"] + commands.flatMap { ["-ex", $0] } + [elf])
        let (status, stdout) = try server.finish()
        let lines = gdb.output.split(separator: "\n").map(String.init)
        func has(_ prefix: String) -> Bool { lines.contains { $0.hasPrefix(prefix) } }
        #expect(has("Breakpoint 1, main () at programs/gdb-demo/main.c:14"), "\(gdb.output)")
        #expect(lines.contains("$1 = 10") && lines.contains("$2 = 0"), "\(gdb.output)")  // n, total
        #expect(lines.contains("$3 = 4"), "\(gdb.output)")  // stepi: one 4-byte instruction
        #expect(has("Breakpoint 2, square (x=1) at programs/gdb-demo/main.c:9"), "\(gdb.output)")
        #expect(lines.contains("$4 = 1") && lines.contains("$5 = 1"), "\(gdb.output)")  // x, a0
        #expect(has("Breakpoint 2, square (x=3) at programs/gdb-demo/main.c:9"), "\(gdb.output)")
        #expect(lines.contains("$6 = 3") && lines.contains("$7 = 5"), "\(gdb.output)")  // x; total = 1 + 4
        #expect(lines.contains("[Inferior 1 (Remote target) exited normally]"), "\(gdb.output)")
        // The debugged run is the normal run: 385 committed, the same cycles.
        #expect(status == 0)
        #expect(stdout.contains("public values: 81010000\n") && stdout.contains("cycles:        \(expected.cycles)\n"),
                "\(stdout)")
    }
}

extension Result {
    var error: Failure? { if case .failure(let e) = self { e } else { nil } }
}

/// `zkvm debug ELF --gdb 127.0.0.1:0` as a child process; `port` is the one it listens on.
final class ZKVMDebugProcess {
    /// `zkvm` next to the test bundle (`swift build --build-tests` builds every product).
    static let binary: String? = {
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("zkvm").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    let process = Process()
    let port: Int
    private let stdout = Pipe(), stderr = Pipe()

    init(elf: String, arguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: try #require(Self.binary))
        process.arguments = ["debug", elf, "--gdb", "127.0.0.1:0"] + arguments
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // "zkvm debug: waiting for GDB on 127.0.0.1:PORT (...)"
        var text = ""
        while !text.contains("\n") {
            let chunk = stderr.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let address = try #require(text.split(separator: " ").first { $0.hasPrefix("127.0.0.1:") }, "zkvm debug said: \(text)")
        port = try #require(Int(address.dropFirst("127.0.0.1:".count)))
    }

    /// Waits for the process: its exit status and standard output.
    func finish() throws -> (Int32, String) {
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A GDB remote-serial-protocol client at the packet level: sends `$payload#checksum`, expects
/// `+`, reads the reply packet and checks its checksum.
final class RSPClient {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0, "cannot connect to 127.0.0.1:\(port)")
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    private func byte() throws -> UInt8 {
        var b: UInt8 = 0
        guard recv(fd, &b, 1, 0) == 1 else { throw RSPClientError("connection closed or timed out") }
        return b
    }

    private func write(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) } }

    static func frame(_ payload: [UInt8]) -> [UInt8] {
        [UInt8(ascii: "$")] + payload + [UInt8(ascii: "#")] + Array(hex([payload.reduce(0, &+)]).utf8)
    }

    /// Sends a packet and waits for its acknowledgement.
    func send(_ payload: String) throws {
        write(Self.frame(Array(payload.utf8)))
        let ack = try byte()
        guard ack == UInt8(ascii: "+") else { throw RSPClientError("packet \(payload) not acknowledged: \(ack)") }
    }

    /// Sends bytes as they are; returns the first byte that comes back.
    func sendRaw(_ bytes: [UInt8]) throws -> UInt8 {
        write(bytes)
        return try byte()
    }

    /// Sends the interrupt byte (0x03) and returns the stop reply it brings.
    func interrupt() throws -> String {
        write([0x03])
        return try reply(to: "0x03")
    }

    /// Sends a packet and returns the reply's payload (its checksum checked, acknowledged).
    func ask(_ payload: String) throws -> String {
        try send(payload)
        return try reply(to: payload)
    }

    private func reply(to payload: String) throws -> String {
        while try byte() != UInt8(ascii: "$") {}
        var body: [UInt8] = []
        while true {
            let b = try byte()
            if b == UInt8(ascii: "#") { break }
            body.append(b)
        }
        let sum = String(decoding: [try byte(), try byte()], as: UTF8.self)
        guard sum == hex([body.reduce(0, &+)]) else { throw RSPClientError("bad checksum in reply to \(payload)") }
        write([UInt8(ascii: "+")])
        return String(decoding: body, as: UTF8.self)
    }
}

struct RSPClientError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
