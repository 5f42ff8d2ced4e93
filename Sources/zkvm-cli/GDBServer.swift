import ZKVM

/// The GDB remote-serial-protocol commands of `zkvm debug --gdb`, over one connection and one
/// debug run (`Program.debug`): registers (`g` `G` `p` `P`: x0..x31 then pc, little-endian at the
/// guest's register width, the layout of GDB's default riscv:rv32 / riscv:rv64 description), memory
/// (`m` `M` `X`), software breakpoints (`Z0` `z0`), `s`, `c`, `?`, `k`, `D`, `qSupported`,
/// `qAttached`. Other packets get the empty reply (unsupported); malformed ones, addresses
/// outside guest memory and lengths over the packet size get `E01`, `E14` (EFAULT) or `E22`.
final class GDBServer {
    /// Signals of stop replies (GDB's numbering).
    enum Signal: UInt8 {
        case interrupt = 2, trap = 5, illegal = 4, abort = 6, segv = 11, cpuLimit = 24
    }

    /// How the command loop of one stop ended.
    enum Resume { case action(DebugAction), disconnected }

    let connection: RSPConnection
    /// The reply to `?` and to the `s` / `c` that led to the current stop.
    private(set) var stopReply = "S05"
    /// Set once the connection ended, `k` or `D` was received: later stops run on.
    private(set) var finished = false

    init(connection: RSPConnection) { self.connection = connection }

    /// One stop of the run: reports it (unless it is the entry, which GDB asks for with `?`) and
    /// serves packets until one resumes the run.
    func stop(_ event: DebugEvent, _ machine: DebugMachine) -> DebugAction {
        if finished { return .detach }
        // A non-zero exit code (SP1 v6) is no fault to GDB: the run ends and finish reports W.
        if event == .fault, machine.failure?.kind == .nonZeroExitCode { return .continue }
        stopReply = "S" + hex([Self.signal(event, machine).rawValue])
        if event != .entry { connection.send(stopReply) }
        switch serve(machine) {
        case .action(let action):
            if action == .kill || action == .detach { finished = true }
            return action
        case .disconnected:
            finished = true
            return .kill
        }
    }

    /// After the run: answers its pending `s` / `c` with `W` (exit code) or `X` (signal) and serves
    /// `?` until the debugger leaves.
    func finish(_ result: Result<Execution, ExecutionError>) {
        if finished { return }
        switch result {
        case .success(let execution): stopReply = "W" + hex([UInt8(truncatingIfNeeded: execution.exitCode)])
        case .failure(let error) where error.kind == .nonZeroExitCode:
            stopReply = "W" + hex([UInt8(truncatingIfNeeded: error.exitCode)])
        case .failure(let error): stopReply = "X" + hex([Self.signal(of: error.kind).rawValue])
        }
        connection.send(stopReply)
        while let incoming = connection.receive() {
            guard case .packet(let packet) = incoming else { continue }
            switch packet.first {
            case UInt8(ascii: "?"): connection.send(stopReply)
            case UInt8(ascii: "k"): return
            case UInt8(ascii: "D"): connection.send("OK"); return
            default: connection.send(reply(packet, machine: nil).reply)
            }
        }
    }

    static func signal(_ event: DebugEvent, _ machine: DebugMachine) -> Signal {
        if event == .interrupted { return .interrupt }
        guard event == .fault, let failure = machine.failure else { return .trap }
        return signal(of: failure.kind)
    }

    static func signal(of kind: ExecutionError.Kind) -> Signal {
        switch kind {
        case .memoryAccess, .invalidJump: .segv
        case .illegalInstruction, .unimplementedInstruction: .illegal
        case .breakpoint: .trap
        case .cycleLimitExceeded: .cpuLimit
        default: .abort
        }
    }

    /// While the run goes on (`Program.debug`'s poll): true when GDB interrupted it (Ctrl-C) or left.
    func interruptRequested() -> Bool { !finished && connection.interruptRequested() }

    /// Packets until one resumes the run.
    private func serve(_ machine: DebugMachine) -> Resume {
        while let incoming = connection.receive() {
            guard case .packet(let packet) = incoming else { continue }  // already stopped
            let (text, resume) = reply(packet, machine: machine)
            if let resume {
                if !text.isEmpty { connection.send(text) }  // D and vKill answer OK; s, c and k nothing now
                return .action(resume)
            }
            connection.send(text)
        }
        return .disconnected
    }

    /// The reply to one packet, or the action it resumes with (then no reply now: `s` and `c` are
    /// answered at the next stop). Without a machine (the run is over) only stateless packets work.
    func reply(_ packet: [UInt8], machine: DebugMachine?) -> (reply: String, resume: DebugAction?) {
        guard let command = packet.first else { return ("", nil) }
        let body = Array(packet.dropFirst())
        let text = String(decoding: packet, as: UTF8.self)
        switch command {
        case UInt8(ascii: "?"): return (stopReply, nil)
        case UInt8(ascii: "k"): return ("", .kill)
        case UInt8(ascii: "D"): return ("OK", .detach)
        case UInt8(ascii: "H"): return ("OK", nil)
        case UInt8(ascii: "q"):
            if text.hasPrefix("qSupported") { return ("PacketSize=\(String(RSPConnection.maxPacket, radix: 16))", nil) }
            if text == "qAttached" || text.hasPrefix("qAttached:") { return ("1", nil) }
            return ("", nil)
        case UInt8(ascii: "v"):
            if text.hasPrefix("vKill") { return ("OK", .kill) }
            return ("", nil)  // vCont? and the rest: unsupported, GDB uses s and c
        default: break
        }
        guard let machine else { return ("E01", nil) }
        let width = machine.xlen / 8
        switch command {
        case UInt8(ascii: "g"):
            guard body.isEmpty else { return ("E01", nil) }
            return ((0..<32).map { le(machine.register($0), width) }.joined() + le(machine.pc, width), nil)
        case UInt8(ascii: "G"):
            guard let bytes = decodeHex(body[...]), bytes.count == 33 * width else { return ("E01", nil) }
            let values = (0..<33).map { i in Self.value(le: bytes[(i * width)..<((i + 1) * width)]) }
            guard values[32] == machine.pc || machine.setPC(values[32]) else { return ("E14", nil) }
            for i in 1..<32 { machine.setRegister(i, values[i]) }
            return ("OK", nil)
        case UInt8(ascii: "p"):
            guard let n = Self.number(body), n <= 32 else { return ("E01", nil) }
            return (le(n == 32 ? machine.pc : machine.register(Int(n)), width), nil)
        case UInt8(ascii: "P"):
            let parts = body.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let n = Self.number(parts[0]), n <= 32,
                  let bytes = decodeHex(parts[1]), bytes.count == width else { return ("E01", nil) }
            let value = Self.value(le: bytes[...])
            if n == 32 { return (machine.setPC(value) ? "OK" : "E14", nil) }
            machine.setRegister(Int(n), value)
            return ("OK", nil)
        case UInt8(ascii: "m"):
            guard let (address, count) = Self.range(body[...]) else { return ("E01", nil) }
            guard count <= RSPConnection.maxPacket / 2 else { return ("E22", nil) }
            guard let bytes = machine.read(address, count: count) else { return ("E14", nil) }
            return (hex(bytes), nil)
        case UInt8(ascii: "M"), UInt8(ascii: "X"):
            let parts = body.split(separator: UInt8(ascii: ":"), maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let (address, count) = Self.range(parts[0]) else { return ("E01", nil) }
            let data = command == UInt8(ascii: "M") ? decodeHex(parts[1]) : Array(parts[1])
            guard let data, data.count == count else { return ("E01", nil) }
            return (count == 0 || machine.write(address, data) ? "OK" : "E14", nil)
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            let fields = body.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard fields.count >= 3, let type = Self.number(fields[0]), let address = Self.number(fields[1]),
                  Self.number(fields[2]) != nil else { return ("E01", nil) }
            guard type == 0 else { return ("", nil) }  // hardware breakpoints and watchpoints: unsupported
            return (machine.setBreakpoint(address, command == UInt8(ascii: "Z")) ? "OK" : "E14", nil)
        case UInt8(ascii: "s"), UInt8(ascii: "c"):
            if !body.isEmpty {
                guard let address = Self.number(body[...]), machine.setPC(address) else { return ("E14", nil) }
            }
            return ("", command == UInt8(ascii: "s") ? .step : .continue)
        default:
            return ("", nil)
        }
    }

    // MARK: - Fields

    /// A hex number of at most 16 digits (GDB writes addresses and register numbers so).
    static func number(_ digits: ArraySlice<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var value: UInt64 = 0
        for c in digits {
            guard let d = hexValue(c) else { return nil }
            value = value << 4 | UInt64(d)
        }
        return value
    }

    static func number(_ digits: [UInt8]) -> UInt64? { number(digits[...]) }

    /// `addr,length`, the length bounded by the packet size.
    static func range(_ text: ArraySlice<UInt8>) -> (UInt64, Int)? {
        let parts = text.split(separator: UInt8(ascii: ","), maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let address = number(parts[0]), let count = number(parts[1]),
              count <= UInt64(RSPConnection.maxPacket) else { return nil }
        return (address, Int(count))
    }

    static func value(le bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// `value`'s low `width` bytes as little-endian hex (GDB's register encoding).
private func le(_ value: UInt64, _ width: Int) -> String {
    hex((0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) })
}
