import ArgumentParser
import Foundation
import ZKVM
#if canImport(Glibc)
import Glibc
#endif

struct DebugCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug",
        abstract: "Run a guest under GDB: a GDB remote-serial-protocol server (gdb-multiarch: set architecture riscv:rv32, target remote HOST:PORT).",
        discussion: """
            Waits for one GDB connection on --gdb, stopped before the first instruction, then runs the guest as \
            zkvm run does (interpreter; same cycles and outputs) under GDB's control: registers, memory, software \
            breakpoints, single steps, continue. A halt is reported to GDB as an exit (W), a failure as a stop \
            with a signal GDB can inspect (SIGSEGV for memory and jumps, SIGILL for illegal instructions, \
            SIGTRAP for EBREAK) and then as the end of the process; Ctrl-C in GDB stops a running guest (SIGINT). Port 0 picks a free port (printed on stderr). \
            Build the guest with -g for source-level debugging.
            """
    )

    @OptionGroup var guest: GuestOptions
    @Option(name: .customLong("gdb"), help: "Address to listen on for GDB, HOST:PORT (e.g. 127.0.0.1:1234).")
    var gdb: String

    func run() throws {
        let program: Program
        do { program = try loadProgram(guest.elf, vm: guest.vm.vm) } catch let error as CLIFailure { Self.fail(error) }
        let items = try guest.stdin()
        let listener = try Listener(gdb)
        FileHandle.standardError.write(Data("zkvm debug: waiting for GDB on \(listener.address) (\(program.isa); gdb-multiarch: set architecture riscv:\(program.isa == .rv32im ? "rv32" : "rv64"))\n".utf8))
        let connection = try listener.accept()
        let server = GDBServer(connection: connection)
        let result = program.debug(stdin: items, maxCycles: guest.maxCycles, poll: server.interruptRequested) { event, machine in
            server.stop(event, machine)
        }
        server.finish(result)
        switch result {
        case .success(let execution):
            if !execution.stdout.isEmpty { print(execution.stdout, terminator: execution.stdout.hasSuffix("\n") ? "" : "\n") }
            print(executionSummary(execution, program: program), terminator: "")
        case .failure(let error):
            if !error.stdout.isEmpty { print(error.stdout, terminator: error.stdout.hasSuffix("\n") ? "" : "\n") }
            print("cycles:        \(error.cycles)")
            Self.fail(CLIFailure(error, program: program))
        }
    }
}

/// A listening TCP socket (IPv4) for the one GDB connection of `zkvm debug`.
struct Listener {
    let fd: Int32
    /// HOST:PORT as bound (the port chosen by the system for port 0).
    let address: String

    init(_ text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var addr = sockaddr_in()
        guard parts.count == 2, let port = UInt16(parts[1]), inet_pton(AF_INET, String(parts[0]), &addr.sin_addr) == 1 else {
            throw ValidationError("--gdb must be IPv4-HOST:PORT, e.g. 127.0.0.1:1234")
        }
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLIFailure("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0, listen(fd, 1) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw CLIFailure("cannot listen on \(text): \(reason)")
        }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        self.fd = fd
        address = "\(parts[0]):\(UInt16(bigEndian: addr.sin_port))"
    }

    /// Waits for the connection, then stops listening.
    func accept() throws -> RSPConnection {
        let client = Glibc.accept(fd, nil, nil)
        close(fd)
        guard client >= 0 else { throw CLIFailure("accept: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return RSPConnection(fd: client)
    }
}
