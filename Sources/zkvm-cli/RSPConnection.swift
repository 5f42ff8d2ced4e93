#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GDB's remote serial protocol on a connected socket: packets `$payload#checksum` (the checksum
/// the sum of the payload's bytes mod 256, two hex digits), acknowledged with `+` (received intact)
/// or `-` (send again); `}` escapes the next byte (XOR 0x20); a lone 0x03 byte interrupts.
/// Packets are bounded: a longer one is refused (`-`) and its bytes skipped, never buffered.
final class RSPConnection {
    enum Incoming: Equatable {
        case packet([UInt8])
        case interrupt
    }

    /// The largest payload accepted (what `qSupported` announces as PacketSize).
    static let maxPacket = 0x4000

    let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 4096)
    private var start = 0, end = 0
    private var lastReply: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Reads what the peer sent into the empty buffer (waiting for it); false at the end of the connection.
    private func fill() -> Bool {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        start = 0
        end = n
        return true
    }

    /// The next byte from the peer, or nil at the end of the connection.
    private func byte() -> UInt8? {
        if start == end, !fill() { return nil }
        defer { start += 1 }
        return buffer[start]
    }

    /// Without blocking: whether the peer sent an interrupt (0x03, consumed) or closed the
    /// connection (the next `receive` finds the end). Acks are consumed; a packet is left for `receive`.
    func interruptRequested() -> Bool {
        while true {
            if start == end {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, 0) > 0 else { return false }
                guard fill() else { return true }
            }
            switch buffer[start] {
            case 0x03: start += 1; return true
            case UInt8(ascii: "+"): start += 1
            default: return false
            }
        }
    }

    private func write(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// The next packet (acknowledged) or interrupt; nil at the end of the connection. Acks of our
    /// replies are consumed on the way (`-` sends the last reply again); bytes outside a packet
    /// are skipped; a packet with a bad checksum, or too long, is answered `-`.
    func receive() -> Incoming? {
        while let b = byte() {
            switch b {
            case UInt8(ascii: "+"): continue
            case UInt8(ascii: "-"): write(lastReply)
            case 0x03: return .interrupt
            case UInt8(ascii: "$"):
                guard let payload = readPacket() else { return nil }
                if let payload { write([UInt8(ascii: "+")]); return .packet(payload) }
                write([UInt8(ascii: "-")])
            default: continue
            }
        }
        return nil
    }

    /// After `$`: the unescaped payload, nil inside if it is refused, nil at the end of the connection.
    private func readPacket() -> [UInt8]?? {
        var raw: [UInt8] = []
        var tooLong = false
        while true {
            guard let b = byte() else { return nil }
            if b == UInt8(ascii: "#") { break }
            if raw.count < Self.maxPacket * 2 { raw.append(b) } else { tooLong = true }
        }
        guard let h = byte(), let l = byte() else { return nil }
        guard !tooLong, let high = hexValue(h), let low = hexValue(l),
              UInt8(high << 4 | low) == raw.reduce(0, &+) else { return .some(nil) }
        var payload: [UInt8] = []
        payload.reserveCapacity(raw.count)
        var escaped = false
        for b in raw {
            if escaped { payload.append(b ^ 0x20); escaped = false } else if b == UInt8(ascii: "}") { escaped = true } else { payload.append(b) }
        }
        guard !escaped, payload.count <= Self.maxPacket else { return .some(nil) }
        return .some(payload)
    }

    /// Sends a reply packet (ASCII payload, escaped where needed).
    func send(_ payload: String) {
        var body: [UInt8] = []
        for b in payload.utf8 {
            if b == UInt8(ascii: "$") || b == UInt8(ascii: "#") || b == UInt8(ascii: "}") || b == UInt8(ascii: "*") {
                body += [UInt8(ascii: "}"), b ^ 0x20]
            } else {
                body.append(b)
            }
        }
        let sum = body.reduce(0, &+)
        lastReply = [UInt8(ascii: "$")] + body + [UInt8(ascii: "#")] + Array(hex([sum]).utf8)
        write(lastReply)
    }
}
