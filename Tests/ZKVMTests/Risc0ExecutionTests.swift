import Foundation
import Testing
@testable import ZKVM

private func sha256(_ m: [UInt8]) -> [UInt8] { GuestProgramTests.Fixture.sha256(m) }

private func le32(_ v: UInt32) -> [UInt8] { v.littleEndianBytes }

/// A 256-bit value given as big-endian hex, as RISC Zero's BIGINT reads it: little-endian bytes.
private func le256(_ hex: String) -> [UInt8] {
    Array(hexBytes(String(repeating: "0", count: 64 - hex.count) + hex).reversed())
}

private func expectFailure(_ p: Program, stdin: [[UInt8]] = [], maxCycles: UInt64 = 10_000_000,
                           randomSeed: [UInt8]? = nil) -> ExecutionError? {
    #expect(throws: ExecutionError.self) { try p.execute(stdin: stdin, maxCycles: maxCycles, randomSeed: randomSeed) }
}

/// RISC Zero 1.x execution with hand-assembled guests: user cycles (the cost table and the ecall
/// extras), the session limit, every ecall and named syscall with their error paths, the traps
/// and the loader rules (R0_V1_ABI.md §2-§4).
@Suite("RISC Zero 1.x execution")
struct Risc0ExecutionTests {
    typealias Body = @Sendable (inout Assembler) -> Void

    // MARK: - User cycles

    struct CostCase: Sendable, CustomTestStringConvertible {
        let name: String
        let cycles: UInt64
        let emit: Body
        var testDescription: String { "\(name): \(cycles)" }
    }

    static let costCases: [CostCase] = [
        .init(name: "XOR", cycles: 2) { $0.xor(.a1, .a2, .a3) }, .init(name: "OR", cycles: 2) { $0.or(.a1, .a2, .a3) },
        .init(name: "AND", cycles: 2) { $0.and(.a1, .a2, .a3) }, .init(name: "SRL", cycles: 2) { $0.srl(.a1, .a2, .a3) },
        .init(name: "SRA", cycles: 2) { $0.sra(.a1, .a2, .a3) }, .init(name: "XORI", cycles: 2) { $0.xori(.a1, .a2, 5) },
        .init(name: "ORI", cycles: 2) { $0.ori(.a1, .a2, 5) }, .init(name: "ANDI", cycles: 2) { $0.andi(.a1, .a2, 5) },
        .init(name: "SRLI", cycles: 2) { $0.srli(.a1, .a2, 3) }, .init(name: "SRAI", cycles: 2) { $0.srai(.a1, .a2, 3) },
        .init(name: "DIV", cycles: 2) { $0.div(.a1, .a2, .a3) }, .init(name: "DIVU", cycles: 2) { $0.divu(.a1, .a2, .a3) },
        .init(name: "REM", cycles: 2) { $0.rem(.a1, .a2, .a3) }, .init(name: "REMU", cycles: 2) { $0.remu(.a1, .a2, .a3) },
        .init(name: "ADD", cycles: 1) { $0.add(.a1, .a2, .a3) }, .init(name: "SUB", cycles: 1) { $0.sub(.a1, .a2, .a3) },
        .init(name: "SLL", cycles: 1) { $0.sll(.a1, .a2, .a3) }, .init(name: "SLT", cycles: 1) { $0.slt(.a1, .a2, .a3) },
        .init(name: "SLTU", cycles: 1) { $0.sltu(.a1, .a2, .a3) }, .init(name: "ADDI", cycles: 1) { $0.addi(.a1, .a2, 7) },
        .init(name: "ADDI rd, rs, 0", cycles: 1) { $0.addi(.a1, .a2, 0) },
        .init(name: "SLLI", cycles: 1) { $0.slli(.a1, .a2, 3) }, .init(name: "SLTI", cycles: 1) { $0.slti(.a1, .a2, 3) },
        .init(name: "SLTIU", cycles: 1) { $0.sltiu(.a1, .a2, 3) }, .init(name: "MUL", cycles: 1) { $0.mul(.a1, .a2, .a3) },
        .init(name: "MULH", cycles: 1) { $0.mulh(.a1, .a2, .a3) },
        .init(name: "MULHSU", cycles: 1) { $0.mulhsu(.a1, .a2, .a3) },
        .init(name: "MULHU", cycles: 1) { $0.mulhu(.a1, .a2, .a3) }, .init(name: "LUI", cycles: 1) { $0.lui(.a1, 0x12345) },
        .init(name: "AUIPC", cycles: 1) { $0.auipc(.a1, 1) },
        .init(name: "LW", cycles: 1) { $0.lw(.a1, 0x400, .zero) }, .init(name: "LB", cycles: 1) { $0.lb(.a1, 0x401, .zero) },
        .init(name: "LHU", cycles: 1) { $0.lhu(.a1, 0x402, .zero) }, .init(name: "SW", cycles: 1) { $0.sw(.a2, 0x400, .zero) },
        .init(name: "SB", cycles: 1) { $0.sb(.a2, 0x403, .zero) },
        .init(name: "BEQ (taken, to the next instruction)", cycles: 1) { $0.beqRaw(.zero, .zero, offset: 4) },
        .init(name: "BEQ (not taken)", cycles: 1) { $0.beqRaw(.zero, .ra, offset: 4) },
        .init(name: "JAL", cycles: 1) { $0.jalRaw(.ra, offset: 4) },
    ]

    @Test("user cycles per instruction: 2 for the bitwise ops, right shifts and division, else 1",
          arguments: costCases)
    func costTable(_ c: CostCase) throws {
        let p = try R0Guest.program { asm in
            asm.li(.a3, 3)  // a non-zero divisor
            for _ in 0..<10 { c.emit(&asm) }
        }
        #expect(try p.execute(stdin: [], maxCycles: 1_000).cycles == 2 + 10 * c.cycles + R0Guest.haltCycles)
    }

    @Test("ecall user cycles: HALT 1, INPUT 2, SOFTWARE 2 + ceil(a1 / 4), SHA 6 + 68 per block, BIGINT 10")
    func ecallCosts() throws {
        func cycles(_ body: Body) throws -> UInt64 {
            try R0Guest.program(body).execute(stdin: [], maxCycles: 100_000).cycles
        }
        #expect(try cycles { _ in } == R0Guest.haltCycles)
        #expect(try cycles { $0.r0Ecall(1, [3]) } == 4 + 2 + R0Guest.haltCycles)
        for (words, chunks) in [(0, 0), (1, 1), (4, 1), (5, 2), (8, 2), (9, 3)] as [(UInt32, UInt64)] {
            let c = try cycles { $0.r0Software("SYS_RANDOM", buf: R0Guest.buffer, words: words) }
            #expect(c == 8 + 2 + chunks + R0Guest.haltCycles, "SYS_RANDOM with a1 = \(words)")
        }
        let b = R0Guest.buffer
        for count: UInt32 in [0, 1, 3] {
            let c = try cycles { $0.r0Ecall(3, [b, b, b + 0x100, b + 0x120, count]) }
            #expect(c == 12 + 6 + 68 * UInt64(count) + R0Guest.haltCycles, "SHA with \(count) blocks")
        }
        #expect(try cycles { $0.r0Ecall(4, [b, 0, b + 0x20, b + 0x40, b + 0x60]) } == 12 + 10 + R0Guest.haltCycles)
    }

    @Test("the session limit: a run of N user cycles succeeds iff N <= max_cycles, also when a 2-cycle op crosses it")
    func sessionLimit() throws {
        let p = try R0Guest.program { asm in
            for _ in 0..<5 { asm.xor(.a1, .a1, .a2) }
        }
        let n: UInt64 = 10 + R0Guest.haltCycles
        #expect(try p.execute(stdin: [], maxCycles: n).cycles == n)
        for limit in [n - 1, n - 7, 9, 1, 0] {
            let e = expectFailure(p, maxCycles: limit)
            #expect(e?.kind == .cycleLimitExceeded, "max_cycles \(limit)")
            #expect(e?.message.contains("user cycles") == true)
        }
        // SHA's 68-per-block extra counts against the limit like instructions do.
        let sha = try R0Guest.program { $0.r0Ecall(3, [R0Guest.buffer, R0Guest.buffer, 0x0060_0000, 0x0060_0020, 10]) }
        let total: UInt64 = 12 + 6 + 680 + R0Guest.haltCycles
        #expect(try sha.execute(stdin: [], maxCycles: total).cycles == total)
        #expect(expectFailure(sha, maxCycles: total - 1)?.kind == .cycleLimitExceeded)
    }

    @Test("SYS_CYCLE_COUNT and SYS_LOG see the user cycles before their ecall")
    func cycleCountAndLog() throws {
        let r = try R0Guest.run([.a0, .a1]) { asm in
            for _ in 0..<3 { asm.xor(.a5, .a5, .a5) }
            asm.r0Software("SYS_CYCLE_COUNT")
        }
        #expect(r == [0, 6 + 8])
        let message = Array("hello, R0".utf8)
        let p = try R0Guest.program(extraData: message) { asm in
            asm.r0Software("SYS_LOG", a3: R0Guest.extraData, a4: UInt32(message.count))
        }
        #expect(try p.execute(stdin: [], maxCycles: 1000).stdout == "R0VM[12] hello, R0\n")
    }

    // MARK: - HALT and INPUT

    @Test("HALT: Halted(n) and Paused(n) both succeed with their user exit code; the journal needs a non-zero digest")
    func halt() throws {
        var asm = Assembler()
        asm.r0Software("SYS_WRITE", a3: 3, a4: R0Guest.digest, a5: 4)
        asm.r0Halt(type: 0, exit: 7)
        let halted = try Program(elf: R0Guest.elf(asm.assemble()), vm: .risc0).execute(stdin: [], maxCycles: 1000)
        #expect(halted.exit == .halted(7))
        #expect(halted.exitCode == 7)
        #expect(halted.journal == [0x5A, 0x5A, 0x5A, 0x5A])
        #expect(halted.outputDigest == [UInt8](repeating: 0x5A, count: 32))

        var pause = Assembler()
        pause.r0Software("SYS_WRITE", a3: 3, a4: R0Guest.digest, a5: 4)
        pause.r0Halt(type: 1, exit: 255)
        let paused = try Program(elf: R0Guest.elf(pause.assemble()), vm: .risc0).execute(stdin: [], maxCycles: 1000)
        #expect(paused.exit == .paused(255))

        var zero = Assembler()
        zero.r0Software("SYS_WRITE", a3: 3, a4: R0Guest.digest, a5: 4)
        zero.r0Halt(digest: R0Guest.zeroDigest)
        let dropped = try Program(elf: R0Guest.elf(zero.assemble()), vm: .risc0).execute(stdin: [], maxCycles: 1000)
        #expect(dropped.journal.isEmpty, "RISC Zero keeps the journal only with a non-zero output digest")
        #expect(dropped.outputDigest == [UInt8](repeating: 0, count: 32))
    }

    @Test("INPUT returns the (zero) input digest's words")
    func input() throws {
        #expect(try R0Guest.run([.a0]) { asm in
            asm.li(.a0, 99)
            asm.r0Ecall(1, [7])
        } == [0])
    }

    // MARK: - Error paths

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        let name: String
        let kind: ExecutionError.Kind
        let message: String
        var stdin: [[UInt8]] = []
        var extraData: [UInt8] = []
        let body: Body
        var testDescription: String { name }
    }

    static let buf = R0Guest.buffer
    static let errorCases: [ErrorCase] = [
        // HALT
        .init(name: "HALT: halt type 2 (split) is illegal", kind: .syscallFailed, message: "Illegal halt type: 2") {
            $0.r0Halt(type: 2)
        },
        .init(name: "HALT: output digest below guest memory", kind: .syscallFailed, message: "invalid guest address") {
            $0.r0Halt(digest: 0x3F0)
        },
        .init(name: "HALT: output digest ending at 0x0C000000", kind: .syscallFailed, message: "0x0c000000") {
            $0.r0Halt(digest: 0x0BFF_FFE0)
        },
        // INPUT
        .init(name: "INPUT: index 8", kind: .syscallFailed, message: "sys_input index out of range") {
            $0.r0Ecall(1, [8])
        },
        // Unknown and later ecalls
        .init(name: "ecall 6 (BIGINT2, RISC Zero 1.2)", kind: .unsupportedSyscall, message: "BIGINT2") {
            $0.r0Ecall(6, [])
        },
        .init(name: "ecall 5 (USER, RISC Zero 1.1)", kind: .unsupportedSyscall, message: "USER") { $0.r0Ecall(5, []) },
        .init(name: "ecall 9", kind: .unsupportedSyscall, message: "0x00000009") { $0.r0Ecall(9, []) },
        // SOFTWARE
        .init(name: "SOFTWARE: name pointer 0", kind: .syscallFailed, message: "syscall name pointer 0x00000000") {
            $0.r0Ecall(2, [0, 0, 0])
        },
        .init(name: "SOFTWARE: name not NUL-terminated before 0x0C000000", kind: .syscallFailed,
              message: "invalid guest address") { asm in
            asm.li(.t1, 0x0BFF_FFF8)
            asm.li(.t2, 0x4141_4141)
            asm.sw(.t2, 0, .t1)
            asm.sw(.t2, 4, .t1)
            asm.r0Ecall(2, [0, 0, 0x0BFF_FFF8])
        },
        .init(name: "SOFTWARE: name not UTF-8", kind: .syscallFailed, message: "not valid UTF-8",
              extraData: Array("risc0_zkvm_platform::syscall::nr::SYS_\u{0}".utf8).map { $0 == 0 ? 0xFF : $0 } + [0]) {
            $0.r0Ecall(2, [0, 0, R0Guest.extraData])
        },
        .init(name: "SOFTWARE: unknown syscall", kind: .unsupportedSyscall,
              message: "Unknown syscall: \"risc0_zkvm_platform::syscall::nr::SYS_NOPE\"") { $0.r0Software("SYS_NOPE") },
        .init(name: "SOFTWARE: SYS_KECCAK (RISC Zero 1.2)", kind: .unsupportedSyscall,
              message: "SYS_KECCAK: it was added in RISC Zero 1.2") { $0.r0Software("SYS_KECCAK") },
        .init(name: "SOFTWARE: SYS_FORK (RISC Zero 1.1)", kind: .unsupportedSyscall,
              message: "SYS_FORK: it was added in RISC Zero 1.1") { $0.r0Software("SYS_FORK") },
        .init(name: "SOFTWARE: buffer pointer 0 with a1 > 0", kind: .syscallFailed,
              message: "host-to-guest buffer 0x00000000 is an invalid guest address") {
            $0.r0Software("SYS_RANDOM", buf: 0, words: 1)
        },
        .init(name: "SOFTWARE: buffer running past guest memory", kind: .syscallFailed,
              message: "is not inside guest memory") { $0.r0Software("SYS_RANDOM", buf: 0x0BFF_FFF8, words: 4) },
        // SYS_READ
        .init(name: "SYS_READ: nbytes smaller than the word buffer", kind: .syscallFailed,
              message: "must be fully filled") { $0.r0Software("SYS_READ", buf: buf, words: 2, a3: 0, a4: 7) },
        .init(name: "SYS_READ: fd 1", kind: .syscallFailed, message: "Bad read file descriptor 1") {
            $0.r0Software("SYS_READ", buf: buf, words: 1, a3: 1, a4: 4)
        },
        // SYS_WRITE
        .init(name: "SYS_WRITE: fd 4", kind: .syscallFailed, message: "Bad write file descriptor 4") {
            $0.r0Software("SYS_WRITE", a3: 4, a4: R0Guest.digest, a5: 4)
        },
        .init(name: "SYS_WRITE: bytes past guest memory", kind: .syscallFailed, message: "is not inside guest memory") {
            $0.r0Software("SYS_WRITE", a3: 3, a4: 0x0BFF_FFFE, a5: 4)
        },
        .init(name: "SYS_WRITE: bytes below guest memory", kind: .syscallFailed, message: "is not inside guest memory") {
            $0.r0Software("SYS_WRITE", a3: 1, a4: 0x3FF, a5: 1)
        },
        // SYS_LOG, SYS_PANIC, SYS_GETENV, SYS_ARGV, SYS_VERIFY_INTEGRITY
        .init(name: "SYS_LOG: message past guest memory", kind: .syscallFailed, message: "is not inside guest memory") {
            $0.r0Software("SYS_LOG", a3: 0x0BFF_FFFF, a4: 2)
        },
        .init(name: "SYS_PANIC: the guest's message", kind: .guestPanicked, message: "Guest panicked: boom at main.rs:3",
              extraData: Array("boom at main.rs:3".utf8)) {
            $0.r0Software("SYS_PANIC", a3: R0Guest.extraData, a4: 17)
        },
        .init(name: "SYS_PANIC: message not UTF-8", kind: .syscallFailed, message: "not valid UTF-8",
              extraData: [0x62, 0xC3, 0x28]) { $0.r0Software("SYS_PANIC", a3: R0Guest.extraData, a4: 3) },
        .init(name: "SYS_GETENV: name not UTF-8", kind: .syscallFailed, message: "not valid UTF-8", extraData: [0xFF]) {
            $0.r0Software("SYS_GETENV", a3: R0Guest.extraData, a4: 1)
        },
        .init(name: "SYS_ARGV: no arguments", kind: .syscallFailed, message: "guest requested index 0 from argv of len 0") {
            $0.r0Software("SYS_ARGV", a3: 0)
        },
        .init(name: "SYS_VERIFY_INTEGRITY: no assumption receipts", kind: .unsupportedSyscall,
              message: "no receipt found to resolve assumption: claim digest 5a5a") {
            $0.r0Software("SYS_VERIFY_INTEGRITY", a3: R0Guest.digest, a4: 64)
        },
        .init(name: "SYS_VERIFY_INTEGRITY: not 64 bytes", kind: .syscallFailed, message: "expected 64 bytes") {
            $0.r0Software("SYS_VERIFY_INTEGRITY", a3: R0Guest.digest, a4: 32)
        },
        // SHA
        .init(name: "SHA: out-state pointer below guest memory", kind: .syscallFailed, message: "out-state pointer") {
            $0.r0Ecall(3, [0x100, buf, buf, buf, 1])
        },
        .init(name: "SHA: in-state ending past guest memory", kind: .syscallFailed, message: "in-state") {
            $0.r0Ecall(3, [buf, 0x0BFF_FFF0, buf, buf, 1])
        },
        .init(name: "SHA: blocks running past guest memory", kind: .syscallFailed, message: "block word") {
            $0.r0Ecall(3, [buf, buf, 0x0BFF_FF80, 0x0BFF_FFA0, 3])
        },
        // BIGINT
        .init(name: "BIGINT: op 1", kind: .syscallFailed, message: "op must be set to 0") {
            $0.r0Ecall(4, [buf, 1, buf, buf, buf])
        },
        .init(name: "BIGINT: modulus pointer 0", kind: .syscallFailed, message: "modulus pointer") {
            $0.r0Ecall(4, [buf, 0, buf, buf, 0])
        },
        .init(name: "BIGINT: modulus 0 and x * y overflowing 256 bits", kind: .syscallFailed,
              message: "must fit in 256 bits", extraData: le256("8" + String(repeating: "0", count: 63)) + le256("2")) {
            $0.r0Ecall(4, [buf, 0, R0Guest.extraData, R0Guest.extraData + 32, buf + 0x100])
        },
    ]

    @Test("every ecall and syscall error path fails the run with a message naming it", arguments: errorCases)
    func errorPath(_ c: ErrorCase) throws {
        let p = try R0Guest.program(extraData: c.extraData, c.body)
        let e = expectFailure(p, stdin: c.stdin)
        #expect(e?.kind == c.kind, "\(e?.description ?? "no error")")
        #expect(e?.message.contains(c.message) == true, "\(e?.message ?? "")")
    }

    @Test("SYS_PANIC's whole message is in stderr")
    func panicStderr() throws {
        let msg = Array("line 1\nline 2".utf8)
        let p = try R0Guest.program(extraData: msg) { $0.r0Software("SYS_PANIC", a3: R0Guest.extraData, a4: 13) }
        let e = expectFailure(p)
        #expect(e?.stderr == "line 1\nline 2")
        #expect(e?.message == "Guest panicked: line 1|line 2")
    }

    // MARK: - Named syscalls

    @Test("SYS_READ: the word buffer, then up to 4 tail bytes in a1; stdin is the items concatenated")
    func sysRead() throws {
        let stdin = [le32(5) + Array("hel".utf8), Array("lo".utf8) + [1, 2, 3]]
        let r = try R0Guest.run([.s2, .s3, .s4, .s5, .s6, .s7, .s8], stdin: stdin) { asm in
            asm.r0Software("SYS_READ", buf: R0Guest.buffer, words: 1, a3: 0, a4: 4)  // the length word
            asm.mv(.s2, .a0)
            asm.r0Software("SYS_READ", buf: R0Guest.buffer + 4, words: 1, a3: 0, a4: 5)  // "hell" + "o" in a1
            asm.mv(.s3, .a0)
            asm.mv(.s4, .a1)
            asm.li(.t1, R0Guest.buffer)
            asm.lw(.s5, 0, .t1)
            asm.lw(.s6, 4, .t1)
            asm.r0Software("SYS_READ", a3: 0, a4: 3)  // no buffer: 3 bytes in a1
            asm.mv(.s7, .a0)
            asm.mv(.s8, .a1)
        }
        #expect(r == [4, 5, 0x6F, 5, 0x6C6C_6568, 3, 0x0003_0201])
    }

    @Test("SYS_READ at the end of input: a short count, the rest of the buffer zeroed, no tail past 4 bytes")
    func sysReadEOF() throws {
        let r = try R0Guest.run([.s2, .s3, .s4, .s5, .s6], stdin: [[0xAA, 0xBB]]) { asm in
            asm.li(.t1, R0Guest.buffer)
            asm.li(.t2, 0xFFFF_FFFF)
            asm.sw(.t2, 0, .t1)
            asm.sw(.t2, 4, .t1)
            asm.r0Software("SYS_READ", buf: R0Guest.buffer, words: 2, a3: 0, a4: 8)
            asm.mv(.s2, .a0)
            asm.mv(.s3, .a1)
            asm.li(.t1, R0Guest.buffer)
            asm.lw(.s4, 0, .t1)
            asm.lw(.s5, 4, .t1)
            asm.r0Software("SYS_READ", a3: 0, a4: 2)  // nothing left
            asm.mv(.s6, .a0)
        }
        #expect(r == [2, 0, 0x0000_BBAA, 0, 0])
    }

    @Test("SYS_WRITE: fd 1 and 2 are captured, fd 3 is the journal; length 0 needs no valid pointer")
    func sysWrite() throws {
        let text = Array("out!err?".utf8)
        let p = try R0Guest.program(extraData: text) { asm in
            asm.r0Software("SYS_WRITE", a3: 1, a4: R0Guest.extraData, a5: 4)
            asm.r0Software("SYS_WRITE", a3: 2, a4: R0Guest.extraData + 4, a5: 4)
            asm.r0Software("SYS_WRITE", a3: 3, a4: R0Guest.extraData, a5: 8)
            asm.r0Software("SYS_WRITE", a3: 3, a4: 0, a5: 0)
        }
        let e = try p.execute(stdin: [], maxCycles: 10_000)
        #expect(e.stdout == "out!")
        #expect(e.stderr == "err?")
        #expect(e.journal == text)
    }

    @Test("SYS_RANDOM: SHA-256(\"risc0.SYS_RANDOM\" ‖ seed ‖ LE64(i)) in counter mode, continued across calls")
    func sysRandom() throws {
        let p = try R0Guest.program { asm in
            asm.r0Software("SYS_RANDOM", buf: R0Guest.buffer, words: 10)
            asm.r0Software("SYS_RANDOM", buf: R0Guest.buffer + 40, words: 3)
            asm.r0Software("SYS_WRITE", a3: 3, a4: R0Guest.buffer, a5: 52)
        }
        func expected(_ seed: [UInt8]) -> [UInt8] {
            (0..<2).flatMap { i in sha256(Array("risc0.SYS_RANDOM".utf8) + seed + UInt64(i).littleEndianBytes) }
                .prefix(52).map { $0 }
        }
        let seed = (0..<32).map { UInt8($0 * 7 + 1) }
        let a = try p.execute(stdin: [], maxCycles: 10_000, randomSeed: seed).journal
        #expect(a == expected(seed))
        #expect(try p.execute(stdin: [], maxCycles: 10_000, randomSeed: seed).journal == a, "deterministic")
        let zero = try p.execute(stdin: [], maxCycles: 10_000).journal
        #expect(zero == expected([UInt8](repeating: 0, count: 32)), "no seed: 32 zero bytes")
        #expect(zero != a)
    }

    @Test("SYS_GETENV finds no variable (and zeroes its buffer), SYS_ARGC is 0")
    func envAndArgs() throws {
        let r = try R0Guest.run([.s2, .s3, .s4, .s5], extraData: Array("PATH".utf8)) { asm in
            asm.li(.t1, R0Guest.buffer)
            asm.li(.t2, 0xFFFF_FFFF)
            asm.sw(.t2, 0, .t1)
            asm.r0Software("SYS_GETENV", buf: R0Guest.buffer, words: 1, a3: R0Guest.extraData, a4: 4)
            asm.mv(.s2, .a0)
            asm.mv(.s3, .a1)
            asm.li(.t1, R0Guest.buffer)
            asm.lw(.s4, 0, .t1)
            asm.r0Software("SYS_ARGC")
            asm.mv(.s5, .a0)
        }
        #expect(r == [0xFFFF_FFFF, 0, 0, 0])
    }

    // MARK: - SHA and BIGINT

    /// The SHA-256 IV as RISC Zero's state layout (big-endian words) and "abc" as one padded block.
    static let iv: [UInt8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
                              0x5be0cd19].flatMap { (v: UInt32) in v.bigEndianBytes }
    static let abcBlock: [UInt8] = Array("abc".utf8) + [0x80] + [UInt8](repeating: 0, count: 59) + [24]

    @Test("SHA: compressions from the in-state to the out-state, in the digest's byte order")
    func sha() throws {
        let base = R0Guest.extraData, ivAt = base, block = base + 32, half2 = base + 96
        // The second half of the block again, elsewhere: a3 need not follow a2.
        let data = Self.iv + Self.abcBlock + Array(Self.abcBlock[32...])
        func digest(_ args: [UInt32]) throws -> [UInt8] {
            try R0Guest.program(extraData: data) { asm in
                asm.r0Ecall(3, args)
                asm.r0Software("SYS_WRITE", a3: 3, a4: R0Guest.buffer, a5: 32)
            }.execute(stdin: [], maxCycles: 10_000).journal
        }
        let abc = sha256(Array("abc".utf8))
        #expect(try digest([R0Guest.buffer, ivAt, block, block + 32, 1]) == abc)
        #expect(try digest([R0Guest.buffer, ivAt, block, half2, 1]) == abc)
        #expect(try digest([R0Guest.buffer, ivAt, block + 1, half2 + 3, 1]) == abc, "block words are aligned down")
        #expect(try digest([R0Guest.buffer, ivAt, 0, 0, 0]) == Self.iv, "count 0 copies the state")
        // Two consecutive blocks: SHA-256 of 64 bytes.
        let msg = (0..<64).map { UInt8($0) }
        let two = msg + [0x80] + [UInt8](repeating: 0, count: 61) + [0x02, 0x00]
        let p = try R0Guest.program(extraData: Self.iv + two) { asm in
            asm.r0Ecall(3, [R0Guest.buffer, R0Guest.extraData, R0Guest.extraData + 32, R0Guest.extraData + 64, 2])
            asm.r0Software("SYS_WRITE", a3: 3, a4: R0Guest.buffer, a5: 32)
        }
        #expect(try p.execute(stdin: [], maxCycles: 10_000).journal == sha256(msg))
    }

    @Test("BIGINT: z = x * y mod n on 256-bit little-endian words; n = 0 means plain multiplication")
    func bigint() throws {
        func mulmod(_ x: String, _ y: String, _ n: String) throws -> [UInt8] {
            try R0Guest.program(extraData: le256(x) + le256(y) + le256(n)) { asm in
                let d = R0Guest.extraData
                asm.r0Ecall(4, [R0Guest.buffer, 0, d, d + 32, d + 64])
                asm.r0Software("SYS_WRITE", a3: 3, a4: R0Guest.buffer, a5: 32)
            }.execute(stdin: [], maxCycles: 10_000).journal
        }
        #expect(try mulmod("1" + String(repeating: "0", count: 32), "1" + String(repeating: "0", count: 32),
                           String(repeating: "f", count: 64)) == le256("1"))
        #expect(try mulmod("3039", "10932", "0") == le256("31f46c22"))  // 12345 * 67890
        #expect(try mulmod("1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef",
                           "fedcba0987654321fedcba0987654321fedcba0987654321fedcba0987654321",
                           "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff")
            == le256("30f7a9d8a7a6051f213ee09c7b80ef9c6c5177f341f956733e54855f4154e4c4"))
    }

    // MARK: - Instructions and traps

    @Test("guest memory is [0x400, 0x0C000000): loads and stores outside it trap; its edges work")
    func window() throws {
        #expect(try R0Guest.run([.a1, .a2]) { asm in
            asm.li(.t1, 0x0BFF_FFFC)
            asm.li(.t2, 0x1234_5678)
            asm.sw(.t2, 0, .t1)
            asm.lw(.a1, 0, .t1)
            asm.sw(.t2, 0x400, .zero)
            asm.lbu(.a2, 0x403, .zero)
        } == [0x1234_5678, 0x12])
        for (address, store) in [(UInt32(0x3FC), false), (0x3FF, true), (0x0C00_0000, false), (0x0C00_0000, true),
                                 (0xFFFF_FFFC, false)] {
            let p = try R0Guest.program { asm in
                asm.li(.t1, address)
                if store { asm.sb(.t1, 0, .t1) } else { asm.lw(.a1, 0, .t1) }
            }
            let e = expectFailure(p)
            #expect(e?.kind == .memoryAccess)
            #expect(e?.address == UInt64(address))
        }
    }

    @Test("misaligned halfword and word accesses trap; bytes do not")
    func alignment() throws {
        for emit in [{ (a: inout Assembler) in a.lw(.a1, 2, .t1) }, { $0.lh(.a1, 1, .t1) }, { $0.lhu(.a1, 3, .t1) },
                     { $0.sw(.a1, 1, .t1) }, { $0.sh(.a1, 1, .t1) }] as [Body] {
            let p = try R0Guest.program { asm in
                asm.li(.t1, scratch)
                emit(&asm)
            }
            #expect(expectFailure(p)?.kind == .memoryAccess)
        }
        #expect(try R0Guest.run([.a1]) { asm in
            asm.li(.t1, scratch)
            asm.li(.t2, 0xAB)
            asm.sb(.t2, 3, .t1)
            asm.lbu(.a1, 3, .t1)
        } == [0xAB])
    }

    @Test("FENCE, CSR and other SYSTEM encodings: illegal (MRET unimplemented); ECALL and EBREAK by rs2 alone")
    func systemEncodings() throws {
        func outcome(_ word: UInt32) throws -> ExecutionError.Kind? {
            let p = try R0Guest.program { $0.emit(word) }
            do {
                _ = try p.execute(stdin: [], maxCycles: 1000)
                return nil
            } catch { return error.kind }
        }
        #expect(try outcome(0x0FF0_000F) == .illegalInstruction)  // fence
        #expect(try outcome(0x0000_100F) == .illegalInstruction)  // fence.i
        #expect(try outcome(0xC000_1073) == .illegalInstruction)  // csrrw x0, cycle, x0 (riscv-tests' fail path)
        #expect(try outcome(0x0020_0073) == .illegalInstruction)  // uret (rs2 = 2)
        #expect(try outcome(0x0200_0073) == .illegalInstruction)  // funct7 = 1
        #expect(try outcome(0x3020_0073) == .unimplementedInstruction)  // mret
        #expect(try outcome(0x1050_0073) == .unimplementedInstruction)  // wfi decodes as MRET too
        #expect(try outcome(0x0010_0073) == .breakpoint)
        #expect(try outcome(0x0010_80F3) == .breakpoint)  // rd and rs1 set: still EBREAK
        #expect(try outcome(0x0000_0001) == .illegalInstruction)  // low bits not 11 (compressed)
        // An ECALL word with rd = t0 and rs1 = ra is still an ECALL: here the final HALT.
        var asm = Assembler()
        asm.li(.a0, 0)
        asm.li(.a1, R0Guest.digest)
        asm.li(.t0, 0)
        asm.emit(0x0000_82F3)
        let e = try Program(elf: R0Guest.elf(asm.assemble()), vm: .risc0).execute(stdin: [], maxCycles: 100)
        #expect(e.exit == .halted(0))
        #expect(e.cycles == R0Guest.haltCycles)
    }

    @Test("JALR clears bit 0 of its target; a target that is not 4-aligned traps")
    func jalr() throws {
        var asm = Assembler()
        let target = asm.label()
        asm.auipc(.t1, 0)  // t1 = this pc
        asm.addi(.t1, .t1, 17)  // pc + 16, bit 0 set
        asm.jalr(.ra, .t1, 0)
        asm.ebreak()
        asm.bind(target)  // pc + 16
        asm.r0Halt(exit: 9)
        let p = try Program(elf: R0Guest.elf(asm.assemble()), vm: .risc0)
        #expect(try p.execute(stdin: [], maxCycles: 100).exit == .halted(9))
        let misaligned = try R0Guest.program { asm in
            asm.auipc(.t1, 0)
            asm.addi(.t1, .t1, 18)
            asm.jalr(.ra, .t1, 0)
        }
        #expect(expectFailure(misaligned)?.kind == .invalidJump)
    }

    @Test("every register starts at zero")
    func registersStartAtZero() throws {
        var asm = Assembler()
        for r in 1..<32 { asm.sw(Reg(rawValue: UInt32(r))!, Int32(0x400 + 4 * r), .zero) }
        asm.r0Software("SYS_WRITE", a3: 3, a4: 0x404, a5: 124)
        asm.r0Halt()
        let e = try Program(elf: R0Guest.elf(asm.assemble()), vm: .risc0).execute(stdin: [], maxCycles: 1000)
        #expect(e.journal == [UInt8](repeating: 0, count: 124))
    }

    // MARK: - Loading

    @Test("the program ID is the v1 image ID; the same ELF under SP1 gets SP1's ID")
    func programID() throws {
        let elf = R0Guest.elf([0x0000_0073])
        let r0 = try Program(elf: elf, vm: .risc0)
        #expect(r0.id == (try Risc0.image(elf: elf).id))
        #expect(r0.vm == .risc0 && r0.abi == .risc0v1)
        let sp1 = try Program(elf: elf)
        #expect(sp1.vm == .sp1 && sp1.id != r0.id)
    }

    @Test("RISC Zero's loader rules: overlapping segments (the later wins) and data below 0x400 are accepted")
    func loaderRules() throws {
        var asm = Assembler()
        asm.r0Software("SYS_WRITE", a3: 3, a4: 0x0060_0000, a5: 8)
        asm.r0Halt()
        let code = asm.assemble().flatMap { $0.littleEndianBytes }
        let elf = ELFBuilder(entry: 0x0020_0800, segments: [
            .init(vaddr: 0x0020_0800, bytes: code, flags: 5),
            .init(vaddr: R0Guest.data, bytes: R0Guest.dataBytes, flags: 6),
            .init(vaddr: 0x0060_0000, bytes: [1, 2, 3, 4, 5, 6, 7, 8], flags: 6),
            .init(vaddr: 0x0060_0004, bytes: [9, 9], memsz: 8, flags: 6),  // overlaps the previous one
            .init(vaddr: 0x100, bytes: [1, 2, 3, 4], flags: 4),  // below guest memory: loaded, unreachable
        ]).build()
        #expect(throws: ProgramLoadError.self) { try Program(elf: elf) }  // SP1 refuses overlaps
        let p = try Program(elf: elf, vm: .risc0)
        #expect(p.id == (try Risc0.image(elf: elf).id))
        #expect(try p.execute(stdin: [], maxCycles: 1000).journal == [1, 2, 3, 4, 9, 9, 0, 0])
    }

    @Test("an entry outside the executable segments loads (RISC Zero accepts it) and fails when run")
    func entryOutsideText() throws {
        var b = ELFBuilder(code: [0x0000_0073], data: [0, 0, 0, 0], dataAddress: 0x0030_0000)
        b.entry = 0x0030_0000
        let p = try Program(elf: b.build(), vm: .risc0)
        let e = expectFailure(p)
        #expect(e?.kind == .invalidJump)
        #expect(e?.pc == 0x0030_0000)
        b.entry = 0x0C00_0000
        #expect(throws: ProgramLoadError.self) { try Program(elf: b.build(), vm: .risc0) }
    }

    @Test("code below guest memory is not executed: an executable segment straddling 0x400 runs from 0x400 only")
    func codeBelowGuestMemory() throws {
        var asm = Assembler(base: 0x3F8)
        asm.ecall()  // 0x3F8 and 0x3FC: below guest memory, a fetch there traps
        asm.ecall()
        asm.r0Halt(exit: 4, digest: 0x500)  // from 0x400
        var b = ELFBuilder(entry: 0x400, segments: [
            .init(vaddr: 0x3F8, bytes: asm.assemble().flatMap { $0.littleEndianBytes }, flags: 5),
        ])
        let p = try Program(elf: b.build(), vm: .risc0)
        #expect(try p.execute(stdin: [], maxCycles: 100).exit == .halted(4))
        #expect(p.textBase == 0x400)
        b.entry = 0x3F8
        let e = expectFailure(try Program(elf: b.build(), vm: .risc0))
        #expect(e?.kind == .invalidJump)
        #expect(e?.message.contains("outside guest memory") == true)
    }

    // MARK: - Framed input

    @Test("framedInput: LE32(len) ‖ bytes per item, empty items included")
    func framedInput() {
        #expect(Risc0.framedInput([[1, 2], [], [3]]) == [2, 0, 0, 0, 1, 2, 0, 0, 0, 0, 1, 0, 0, 0, 3])
        #expect(Risc0.framedInput([]) == [])
    }
}

extension FixedWidthInteger {
    var bigEndianBytes: [UInt8] { withUnsafeBytes(of: self.bigEndian) { Array($0) } }
}
