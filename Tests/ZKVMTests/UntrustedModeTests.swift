import Foundation
import Testing
@testable import ZKVM

/// SP1 v6's untrusted-program mode (SP1_V6_ABI.md §1.7), on small ELFs with the SUCCINCT note:
/// page permissions set by MPROTECT, read / write / execute traps through
/// __SUCCINCT_TRAP_CONTEXT (handler, code, pc), precompiles checking their buffers' pages,
/// SIG_RETURN, instructions fetched from guest memory and decoded at run time, and the failures
/// without a trap context. Every program is also run by refexec64.py, which must agree exactly.
@Suite("SP1 v6 untrusted mode")
struct UntrustedModeTests {
    static let context: UInt64 = 0x7810_0000  // __SUCCINCT_TRAP_CONTEXT: handler, code, pc
    static let results: UInt64 = 0x7810_0100
    static let heap: UInt64 = 0x7820_0000     // MPROTECT may change pages from here on
    static let heapEnd: UInt64 = 0x1C_0000_0000

    /// A program in untrusted mode. `body` runs first; the trap handler stores the trap code and pc
    /// (and a0..a2) as the public values and halts. Registers s0 = context, s1 = results.
    static func program(trapContext: Bool = true, _ body: (inout Assembler) -> Void) -> [UInt8] {
        var asm = Assembler(base: 0x7800_0000)
        asm.li(.s0, UInt32(context))
        asm.li(.s1, UInt32(results))
        // The handler's address into the context.
        asm.auipc(.t0, 0)
        let fixup = asm.words.count
        asm.addi(.t0, .t0, 0)  // patched below
        asm.sd(.t0, 0, .s0)
        body(&asm)
        asm.li(.a0, 0xD0)      // reached only without a trap
        let handlerPC = asm.pc
        asm.ld(.t1, 8, .s0)    // code
        asm.ld(.t2, 16, .s0)   // pc
        asm.sd(.t1, 0, .s1)
        asm.sd(.t2, 8, .s1)
        asm.sd(.a0, 16, .s1)
        asm.sd(.a1, 24, .s1)
        asm.sd(.a2, 32, .s1)
        asm.syscall(2, a0: 13, a1: UInt32(results), a2: 40)
        asm.halt()
        var words = asm.assemble()
        let auipcPC = UInt32(0x7800_0000 + 4 * (fixup - 1))
        words[fixup] |= (handlerPC - auipcPC) << 20  // addi t0, t0, handler - auipc
        var b = ELF64Builder(entry: 0x7800_0000, segments: [
            .init(vaddr: 0x7800_0000, bytes: words.flatMap { $0.littleEndianBytes }, flags: 5),
            .init(vaddr: context, bytes: [UInt8](repeating: 0, count: 0x200), flags: 6),
            ELF64Builder.succinctNote(heapStart: heap, heapEnd: heapEnd),
        ])
        if trapContext { b.symbols = [("__SUCCINCT_TRAP_CONTEXT", context)] }
        return b.build()
    }

    /// mprotect(addr, prot) with t0 / a0 / a1.
    static func mprotect(_ asm: inout Assembler, _ addr: UInt64, _ prot: UInt32) {
        asm.syscall(0x132, a0: UInt32(addr), a1: prot)
    }

    /// (code, pc, a0, a1, a2) the handler stored.
    static func trapped(_ elf: [UInt8]) throws -> (code: UInt64, pc: UInt64, a: [UInt64]) {
        let run = try Program(elf: elf).execute(stdin: [], maxCycles: 1_000_000)
        let v = doublewords(run.publicValues)
        return (v[0], v[1], Array(v[2...]))
    }

    static func agreesWithModel(_ elfs: [[UInt8]]) throws {
        guard Paths.hasSharedV6 else { return }
        let cases = elfs.map { RV64DifferentialTests.Case(elf: $0) }
        for (i, (c, r)) in zip(cases, try RV64DifferentialTests.reference(cases)).enumerated() {
            let d = RV64DifferentialTests.compare(c, r)
            #expect(d == nil, "program \(i): \(d ?? "")")
        }
    }

    @Test("read, write and execute violations trap with codes 5, 7 and 1 and the faulting pc")
    func loadStoreFetchTraps() throws {
        var pcs: [UInt64] = []
        let read = Self.program { asm in
            Self.mprotect(&asm, Self.heap, 0)        // NONE
            asm.li(.t3, UInt32(Self.heap))
            pcs.append(UInt64(asm.pc))
            asm.ld(.a0, 8, .t3)
        }
        let write = Self.program { asm in
            Self.mprotect(&asm, Self.heap, 4)        // R
            asm.li(.t3, UInt32(Self.heap))
            asm.ld(.a1, 0, .t3)                      // reading is allowed
            pcs.append(UInt64(asm.pc))
            asm.sw(.a1, 4, .t3)
        }
        let execute = Self.program { asm in
            asm.li(.t3, UInt32(Self.heap) + 0x1000)  // default R+W: not executable
            asm.jalr(.ra, .t3, 0)
        }
        #expect(try Self.trapped(read).code == 5)
        #expect(try Self.trapped(read).pc == pcs[0])
        #expect(try Self.trapped(write).code == 7)
        #expect(try Self.trapped(write).pc == pcs[1])
        #expect(try Self.trapped(execute).code == 1)
        #expect(try Self.trapped(execute).pc == Self.heap + 0x1000)
        try Self.agreesWithModel([read, write, execute])
    }

    @Test("precompiles check their buffers' pages before touching them")
    func precompileTraps() throws {
        var ecall: UInt64 = 0
        let keccak = Self.program { asm in
            Self.mprotect(&asm, Self.heap, 4)        // R: the state cannot be written
            asm.li(.a0, UInt32(Self.heap))
            asm.li(.a1, 0)
            asm.li(.t0, 0x0001_0109)
            ecall = UInt64(asm.pc)
            asm.ecall()
        }
        let t = try Self.trapped(keccak)
        #expect(t.code == 7 && t.pc == ecall)
        let sha = Self.program { asm in
            Self.mprotect(&asm, Self.heap + 0x1000, 0)  // the second page of w: NONE
            asm.li(.a0, UInt32(Self.heap) + 0x1000 - 64)
            asm.li(.a1, 0)
            asm.li(.t0, 0x0030_0105)
            asm.ecall()
        }
        #expect(try Self.trapped(sha).code == 5)
        try Self.agreesWithModel([keccak, sha])
    }

    @Test("instructions outside the text run from R+X pages, decoded at run time")
    func untrustedCode() throws {
        let elf = Self.program { asm in
            asm.li(.t3, UInt32(Self.heap))
            asm.li(.t4, 0x02A0_0513)                 // addi a0, zero, 42
            asm.sw(.t4, 0, .t3)
            asm.li(.t4, 0x0010_059B)                 // addiw a1, zero, 1
            asm.sw(.t4, 4, .t3)
            asm.li(.t4, 0x0000_8067)                 // jalr zero, 0(ra)
            asm.sw(.t4, 8, .t3)
            Self.mprotect(&asm, Self.heap, 5)        // R+X
            asm.jalr(.ra, .t3, 0)                    // runs the three words, returns here
            asm.li(.a2, 7)
            asm.ld(.a2, 0, .t3)                      // still readable: then write -> trap 7
            asm.sd(.a2, 0, .t3)
        }
        let t = try Self.trapped(elf)
        #expect(t.code == 7)
        #expect(t.a[0] == 42 && t.a[1] == 1)
        try Self.agreesWithModel([elf])
    }

    @Test("SIG_RETURN restores x1..x31 and, in untrusted mode, jumps to the saved pc")
    func sigReturn() throws {
        let elf = Self.program { asm in
            let setup = asm.label()
            asm.jal(.zero, setup)
            let resume = asm.pc                      // SIG_RETURN comes back here
            asm.li(.t3, UInt32(Self.heap))
            Self.mprotect(&asm, Self.heap, 0)
            asm.mv(.a0, .s2)
            asm.ld(.a1, 0, .t3)                      // trap: the handler records a0 = the restored s2
            asm.bind(setup)
            asm.li(.t3, UInt32(Self.heap))           // the signal context: pc, then x1..x31
            for (offset, value) in [(0, resume), (8 * 8, UInt32(Self.context)), (8 * 9, UInt32(Self.results)), (8 * 18, 1234)] {
                asm.li(.t4, value)
                asm.sd(.t4, Int32(offset), .t3)
            }
            asm.mv(.a0, .t3)
            asm.li(.t0, 0x134)
            asm.ecall()
            asm.li(.a0, 99)                          // not reached
        }
        let t = try Self.trapped(elf)
        #expect(t.code == 5 && t.a[0] == 1234)
        try Self.agreesWithModel([elf])
    }

    @Test("without __SUCCINCT_TRAP_CONTEXT a violation ends the run")
    func noTrapContext() throws {
        let elf = Self.program(trapContext: false) { asm in
            Self.mprotect(&asm, Self.heap, 0)
            asm.li(.t3, UInt32(Self.heap))
            asm.ld(.a0, 0, .t3)
        }
        let program = try Program(elf: elf)
        #expect(program.untrustedMode?.trapContext == nil)
        let error = #expect(throws: ExecutionError.self) { try program.execute(stdin: [], maxCycles: 1000) }
        #expect(error?.kind == .memoryAccess)
        #expect(error?.message.contains("__SUCCINCT_TRAP_CONTEXT") == true)
        try Self.agreesWithModel([elf])
    }

    @Test("MPROTECT refuses what SP1 v6 refuses")
    func mprotectRules() throws {
        for (addr, prot, why) in [(Self.heap + 8, UInt32(0), "page aligned"), (Self.heap - 0x1000, 0, "untrusted region"),
                                  (Self.heap, 2, "NONE, R, R+W or R+X"), (Self.heap, 0x100, "8 bits")] {
            let elf = Self.program { asm in Self.mprotect(&asm, addr, prot) }
            let error = #expect(throws: ExecutionError.self) { try Program(elf: elf).execute(stdin: [], maxCycles: 1000) }
            #expect(error?.kind == .syscallFailed)
            #expect(error?.message.contains(why) == true, "\(error?.message ?? "")")
        }
        // A normal (supervisor-mode) program cannot call it.
        let plain = try program64 { asm in Self.mprotect(&asm, Self.heap, 0) }
        let error = #expect(throws: ExecutionError.self) { try plain.execute(stdin: [], maxCycles: 1000) }
        #expect(error?.message.contains("untrusted mode") == true)
    }
}
