import Foundation
import Testing
@testable import ZKVM

/// Cycle counting, the cycle limit, syscalls and every execution error kind.
@Suite("Execution")
struct ExecutionTests {
    /// Instructions `halt()` adds: LI a0 (2), LI t0 (2), ECALL.
    static let haltCost: UInt64 = 5

    func expectError(_ p: Program, stdin: [[UInt8]] = [], maxCycles: UInt64 = 1_000_000,
                     limits: ExecutionLimits = .default) -> ExecutionError? {
        #expect(throws: ExecutionError.self) { try p.execute(stdin: stdin, maxCycles: maxCycles, limits: limits) }
    }

    // MARK: cycles

    @Test("one cycle per instruction, the ECALL included")
    func straightLine() throws {
        let p = try program { asm in
            for k in 0..<10 { asm.addi(.a1, .a1, Int32(k)) }
        }
        #expect(try p.execute(stdin: [], maxCycles: 1_000).cycles == 10 + Self.haltCost)
    }

    @Test("a run of N instructions succeeds iff N <= max_cycles")
    func limitBoundary() throws {
        let p = try program { asm in
            asm.li(.t1, 0)
            asm.li(.t2, 1000)
            let loop = asm.label()
            asm.bind(loop)
            asm.addi(.t1, .t1, 1)
            asm.bne(.t1, .t2, loop)
        }
        let n: UInt64 = 2 + 2 + 2 * 1000 + Self.haltCost
        #expect(try p.execute(stdin: [], maxCycles: n).cycles == n)
        #expect(try p.execute(stdin: [], maxCycles: .max).cycles == n)
        for limit in [n - 1, n - 5, 1000, 7, 1, 0] {
            let error = expectError(p, maxCycles: limit)
            #expect(error?.kind == .cycleLimitExceeded)
            #expect(error?.cycles == limit, "the count reached is the limit")
            #expect(error?.message.contains("cycle limit exceeded") == true)
        }
    }

    @Test("a fault past the limit inside one block reports the limit; before it, the fault")
    func faultVersusLimit() throws {
        let p = try program { asm in
            for _ in 0..<10 { asm.addi(.a1, .a1, 1) }
            asm.li(.t1, scratch + 2)
            asm.lw(.a0, 0, .t1)  // misaligned: the 13th instruction
        }
        let late = expectError(p, maxCycles: 5)
        #expect(late?.kind == .cycleLimitExceeded)
        #expect(late?.cycles == 5)
        let exactlyBefore = expectError(p, maxCycles: 12)  // 12 instructions complete, the 13th faults...
        #expect(exactlyBefore?.kind == .cycleLimitExceeded, "...but it would be the 13th: over the limit")
        let fault = expectError(p, maxCycles: 13)
        #expect(fault?.kind == .memoryAccess)
        #expect(fault?.cycles == 12)
        #expect(fault?.pc == UInt64(0x0020_0800 + 12 * 4))
    }

    @Test("a hostile infinite loop stops at the limit")
    func infiniteLoop() throws {
        let p = try program { asm in
            let l = asm.label()
            asm.bind(l)
            asm.jal(.zero, l)
        }
        let error = expectError(p, maxCycles: 50_000_000)
        #expect(error?.kind == .cycleLimitExceeded)
        #expect(error?.cycles == 50_000_000)
    }

    // MARK: instruction errors

    @Test("EBREAK, UNIMP/CSR/FENCE and undecodable words")
    func trappingInstructions() throws {
        let cases: [(UInt32, ExecutionError.Kind)] = [
            (0x0010_0073, .breakpoint), (0x0FF0_000F, .unimplementedInstruction),
            (0xC000_1073, .unimplementedInstruction), (0x3020_0073, .unimplementedInstruction),
            (0xFFFF_FFFF, .illegalInstruction), (0x0000_0000, .illegalInstruction),
            (0x4000_0033 | 1 << 12, .illegalInstruction),  // SLL with funct7 0x20
            (0x0000_2063, .illegalInstruction),            // branch funct3 2
        ]
        for (word, kind) in cases {
            let p = try program { asm in
                asm.addi(.a0, .zero, 1)
                asm.emit(word)
            }
            let error = expectError(p)
            #expect(error?.kind == kind, "0x\(String(word, radix: 16))")
            #expect(error?.pc == 0x0020_0804)
            #expect(error?.cycles == 1)
            if kind != .breakpoint { #expect(error?.word == (word == 0 ? nil : word)) }
        }
    }

    @Test("jumps outside the text, to misaligned targets, and off its end fail")
    func invalidJumps() throws {
        let outside = try program { asm in
            asm.li(.t1, 0x0010_0000)
            asm.jalr(.ra, .t1, 0)
        }
        #expect(expectError(outside)?.kind == .invalidJump)
        #expect(expectError(outside)?.address == 0x0010_0000)

        let misaligned = try program { asm in
            asm.auipc(.t1, 0)
            asm.jalr(.ra, .t1, 6)
        }
        #expect(expectError(misaligned)?.kind == .invalidJump)
        #expect(expectError(misaligned)?.address == 0x0020_0806)

        let toZero = try program { asm in asm.jalr(.zero, .zero, 0) }
        #expect(expectError(toZero)?.address == 0)

        // A static branch target outside the text fails only when taken.
        let notTaken = try program { asm in
            asm.addi(.a1, .zero, 1)
            asm.beqRaw(.a1, .zero, offset: -0x1000)
        }
        #expect(try notTaken.execute(stdin: [], maxCycles: 100).cycles == 2 + Self.haltCost)
        let taken = try program { asm in asm.beqRaw(.zero, .zero, offset: -0x1000) }
        #expect(expectError(taken)?.kind == .invalidJump)
        #expect(expectError(taken)?.address == UInt64(0x0020_0800 - 0x1000))

        var asm = Assembler()
        asm.addi(.a0, .zero, 1)
        let offTheEnd = try Program(elf: ELFBuilder(code: asm.assemble()).build())
        let end = expectError(offTheEnd)
        #expect(end?.kind == .invalidJump)
        #expect(end?.message.contains("past the end") == true)
        #expect(end?.cycles == 1)
    }

    // MARK: syscalls

    @Test("HINT_LEN and HINT_READ deliver stdin items in order, zero-padding the last word")
    func stdinItems() throws {
        let p = try program(storing: [.s2, .s3], data: [UInt8](repeating: 0xFF, count: 16)) { asm in
            asm.syscall(0xF0)                     // HINT_LEN -> t0
            asm.addi(.s2, .t0, 0)
            asm.syscall(0xF1, a0: scratch, a1: 5) // HINT_READ
            asm.syscall(0xF0)
            asm.addi(.s3, .t0, 0)
            asm.syscall(0xF1, a0: scratch + 8, a1: 0)
            asm.syscall(2, a0: 13, a1: scratch, a2: 12)  // public values: the 5 bytes, padding, next word
        }
        let e = try p.execute(stdin: [[1, 2, 3, 4, 5], []], maxCycles: 10_000)
        #expect(Array(e.publicValues.prefix(12)) == [1, 2, 3, 4, 5, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(Array(e.publicValues.suffix(8)) == [5, 0, 0, 0, 0, 0, 0, 0])  // s2 = 5, s3 = 0
    }

    @Test("reading past the end of stdin")
    func stdinExhausted() throws {
        let read = try program { asm in asm.syscall(0xF1, a0: scratch, a1: 4) }
        let e1 = expectError(read)
        #expect(e1?.kind == .stdinExhausted)

        // v4 semantics: HINT_LEN answers 0xFFFFFFFF when the stream is empty...
        let probe = try run([.s2]) { asm in
            asm.syscall(0xF0)
            asm.addi(.s2, .t0, 0)
        }
        #expect(probe == [0xFFFF_FFFF])
        // ...and a guest that then panics is reported as having run out of stdin.
        let panics = try program { asm in
            asm.syscall(0xF0)
            asm.halt(1)
        }
        let e2 = expectError(panics)
        #expect(e2?.kind == .stdinExhausted)
        #expect(e2?.exitCode == 1)
    }

    @Test("HINT_READ rejects a length mismatch and a misaligned destination")
    func hintReadChecks() throws {
        let wrongLength = try program { asm in asm.syscall(0xF1, a0: scratch, a1: 3) }
        let e1 = expectError(wrongLength, stdin: [[1, 2]])
        #expect(e1?.kind == .syscallFailed)
        #expect(e1?.message.contains("HINT_READ") == true)
        let misaligned = try program { asm in asm.syscall(0xF1, a0: scratch + 2, a1: 2) }
        #expect(expectError(misaligned, stdin: [[1, 2]])?.kind == .syscallFailed)
        let outside = try program { asm in asm.syscall(0xF1, a0: 0x7FFF_FFF0, a1: 2) }
        #expect(expectError(outside, stdin: [[1, 2]])?.kind == .syscallFailed)
    }

    @Test("WRITE captures stdout and stderr; cycle-tracker markers are consumed")
    func logs() throws {
        let text = Array("hello\ncycle-tracker-start: x\nworld\n".utf8)
        let p = try program(data: text) { asm in
            asm.syscall(2, a0: 1, a1: scratch, a2: 6)
            asm.syscall(2, a0: 1, a1: scratch + 6, a2: 23)
            asm.syscall(2, a0: 2, a1: scratch + 29, a2: 6)
        }
        let e = try p.execute(stdin: [], maxCycles: 1_000)
        #expect(e.stdout == "hello\n")
        #expect(e.stderr == "world\n")
        #expect(e.publicValues.isEmpty)
    }

    @Test("public values on fd 13 and fd 3; hints on fd 14 come back as the next stdin item")
    func fds() throws {
        let p = try program(data: Array("abcdefgh".utf8)) { asm in
            asm.syscall(2, a0: 13, a1: scratch, a2: 3)
            asm.syscall(2, a0: 3, a1: scratch + 3, a2: 2)
            asm.syscall(2, a0: 14, a1: scratch + 5, a2: 3)      // hint "fgh"
            asm.syscall(2, a0: 99, a1: scratch, a2: 8)          // unknown fd: ignored
            asm.syscall(0xF1, a0: scratch + 16, a1: 3)          // read the hint back
            asm.syscall(2, a0: 13, a1: scratch + 16, a2: 3)
        }
        #expect(try p.execute(stdin: [], maxCycles: 1_000).publicValues == Array("abcdefgh".utf8))
    }

    @Test("a non-zero exit code fails with the stderr tail; the failing HALT is not counted")
    func exitCode() throws {
        let p = try program(data: Array("boom: bad input\n".utf8)) { asm in
            asm.syscall(2, a0: 2, a1: scratch, a2: 16)
            asm.halt(3)
        }
        let e = expectError(p)
        #expect(e?.kind == .nonZeroExitCode)
        #expect(e?.exitCode == 3)
        #expect(e?.stderr == "boom: bad input\n")
        #expect(e?.message.contains("boom: bad input") == true)
        #expect(e?.cycles == UInt64(9 + 4))  // the WRITE call (9) and the HALT's setup (4), not its ECALL
    }

    @Test("unknown syscalls fail with their code")
    func unsupportedSyscall() throws {
        let p = try program { asm in asm.syscall(0x1234) }
        let e = expectError(p)
        #expect(e?.kind == .unsupportedSyscall)
        #expect(e?.word == 0x1234)
        #expect(e?.message.contains("unsupported syscall 0x00001234") == true)
    }

    @Test("COMMIT checks the digest against SHA-256 of the public values")
    func digest() throws {
        // SHA-256 of the empty string, as eight little-endian words.
        let empty = hexBytes("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        func committing(publicValues: [UInt8]) throws -> Program {
            try program(data: publicValues + [0]) { asm in
                if !publicValues.isEmpty { asm.syscall(2, a0: 13, a1: scratch, a2: UInt32(publicValues.count)) }
                for (i, w) in words(empty).enumerated() { asm.syscall(0x10, a0: UInt32(i), a1: w) }
                for i in 0..<8 { asm.syscall(0x1A, a0: UInt32(i), a1: 0) }
            }
        }
        let ok = try committing(publicValues: []).execute(stdin: [], maxCycles: 10_000)
        #expect(ok.digestCommitted)
        let bad = expectError(try committing(publicValues: Array("abc".utf8)))
        #expect(bad?.kind == .digestMismatch)
        #expect(bad?.message.contains("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == true)
        let badIndex = try program { asm in asm.syscall(0x10, a0: 8, a1: 0) }
        #expect(expectError(badIndex)?.kind == .syscallFailed)
    }

    @Test("public values over the limit fail the run")
    func outputLimit() throws {
        let p = try program { asm in asm.syscall(2, a0: 13, a1: scratch, a2: 32) }
        #expect(expectError(p, limits: ExecutionLimits(maxPublicValuesBytes: 16))?.kind == .outputLimit)
        #expect(try p.execute(stdin: [], maxCycles: 100, limits: ExecutionLimits(maxPublicValuesBytes: 32))
            .publicValues.count == 32)
    }

    // MARK: unconstrained blocks

    /// `ENTER; beqz t0, skip; <block>; EXIT; skip:` — SP1's unconstrained! pattern.
    func unconstrained(_ block: (inout Assembler) -> Void, after: (inout Assembler) -> Void = { _ in })
        throws -> (program: Program, expectedCycles: UInt64)
    {
        var prefix = 0, suffixStart = 0
        let (p, total) = try programWithSize(storing: [.s4, .s2, .s3]) { asm in
            asm.li(.a1, 111)
            asm.li(.t1, scratch)
            asm.li(.t2, 0x5555_5555)
            asm.sw(.t2, 0, .t1)
            asm.li(.t0, 3)
            asm.ecall()  // ENTER_UNCONSTRAINED: t0 = 1 inside, 0 after the rollback
            prefix = asm.words.count
            let skip = asm.label()
            asm.beq(.t0, .zero, skip)
            block(&asm)
            asm.li(.t0, 4)
            asm.ecall()  // EXIT_UNCONSTRAINED
            asm.bind(skip)
            suffixStart = asm.words.count
            asm.li(.t1, scratch)
            asm.lw(.s2, 0, .t1)
            asm.addi(.s3, .t0, 0)
            asm.addi(.s4, .a1, 0)
            after(&asm)
        }
        // Counted: the prefix (ENTER included), the BEQ once (re-run after the rollback), and
        // everything from `skip` on; the block, its first BEQ and its EXIT cost nothing.
        return (p, UInt64(prefix + 1 + (total - suffixStart)))
    }

    @Test("unconstrained blocks roll back memory and registers, keep hints, and cost nothing")
    func unconstrainedRollback() throws {
        let (p, expectedCycles) = try unconstrained({ asm in
            asm.li(.a1, 222)
            asm.li(.t1, scratch)
            asm.li(.t2, 0x7777_7777)
            asm.sw(.t2, 0, .t1)
            asm.sb(.t2, 5, .t1)
            for _ in 0..<100 { asm.addi(.a2, .a2, 1) }
            asm.syscall(2, a0: 14, a1: scratch, a2: 4)  // hint: the bytes 77 77 77 77
        }, after: { asm in
            asm.syscall(0xF1, a0: scratch + 8, a1: 4)
            asm.li(.t1, scratch)
            asm.lw(.s3, 8, .t1)
        })
        let e = try p.execute(stdin: [], maxCycles: 10_000)
        let r = words(e.publicValues)
        #expect(r == [111, 0x5555_5555, 0x7777_7777], "a1 and memory rolled back; the hint survived")
        #expect(e.cycles == expectedCycles)
    }

    @Test("many stores to few pages inside an unconstrained block roll back exactly")
    func unconstrainedManyStores() throws {
        let (p, expectedCycles) = try unconstrained({ asm in
            asm.li(.t1, scratch)
            asm.li(.t2, 100_000)
            let loop = asm.label()
            asm.bind(loop)
            asm.sw(.t2, 0, .t1)
            asm.sb(.t2, 4100, .t1)  // a second page
            asm.addi(.t2, .t2, -1)
            asm.bne(.t2, .zero, loop)
        })
        let e = try p.execute(stdin: [], maxCycles: 10_000_000)
        #expect(words(e.publicValues) == [111, 0x5555_5555, 0], "memory and registers as before the block")
        #expect(e.cycles == expectedCycles)
    }

    @Test("a fault inside an unconstrained block reports the count at ENTER_UNCONSTRAINED")
    func unconstrainedFault() throws {
        var enterIndex = 0
        var asm = Assembler()
        asm.addi(.a1, .zero, 1)
        asm.li(.t0, 3)
        asm.ecall()
        enterIndex = asm.words.count
        for _ in 0..<10 { asm.addi(.a2, .a2, 1) }
        asm.li(.t1, scratch + 2)
        asm.lw(.a0, 0, .t1)  // misaligned, inside the block
        let p = try Program(elf: ELFBuilder(code: asm.assemble()).build())
        for limit: UInt64 in [5, 1_000] {
            let error = expectError(p, maxCycles: limit)
            #expect(error?.kind == .memoryAccess, "limit \(limit)")
            #expect(error?.cycles == UInt64(enterIndex), "limit \(limit): the block costs nothing")
        }
    }

    @Test("inside an unconstrained block only WRITE and EXIT are allowed")
    func unconstrainedSyscalls() throws {
        let (p, _) = try unconstrained({ asm in asm.syscall(0xF0) })
        let e = expectError(p)
        #expect(e?.kind == .invalidSyscallUsage)
        #expect(e?.word == 0xF0)
        // The row's name and the allowed rows come from the ABI's syscall table.
        #expect(e?.message == "syscall 0x000000f0 (HINT_LEN) is not allowed in an unconstrained block "
            + "(only WRITE and EXIT_UNCONSTRAINED)")
    }

    @Test("leaving the text inside an unconstrained block is an error")
    func endInUnconstrained() throws {
        let (p, _) = try unconstrained({ asm in asm.jalr(.zero, .zero, 0) })
        #expect(expectError(p)?.kind == .endInUnconstrained)
    }

    // MARK: sharing

    @Test("one Program runs concurrently on many threads with identical results")
    func concurrentExecutions() async throws {
        let p = try program(storing: [.a0]) { asm in
            asm.syscall(0xF1, a0: scratch, a1: 4)
            asm.li(.t1, scratch)
            asm.lw(.a1, 0, .t1)
            asm.li(.a0, 0)
            let loop = asm.label()
            asm.bind(loop)
            asm.add(.a0, .a0, .a1)
            asm.addi(.a1, .a1, -1)
            asm.bne(.a1, .zero, loop)
        }
        let results = try await withThrowingTaskGroup(of: (UInt32, [UInt32]).self) { group in
            for n in UInt32(1)...32 {
                group.addTask { (n, words(try p.execute(stdin: [n.littleEndianBytes], maxCycles: 1_000_000).publicValues)) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for n in UInt32(1)...32 { #expect(results[n] == [n * (n + 1) / 2]) }
    }
}
