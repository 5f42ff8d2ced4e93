import Testing
@testable import ZKVM

/// Guest memory costs what the guest touches: an RV64 guest addresses 2^40 bytes, reserved but not
/// committed, and every execution is capped (ExecutionLimits.maxMemoryBytes, checked every 2^18
/// cycles and at the end) on both widths.
@Suite("Guest memory and its cap")
struct MemoryTests {
    /// Stores one byte to each of `pages` consecutive pages from `base`.
    static func touching(pages: UInt32, from base: UInt64, rv64: Bool) throws -> Program {
        let body: (inout Assembler) -> Void = { asm in
            if rv64 { asm.li64(.t1, base) } else { asm.li(.t1, UInt32(base)) }
            asm.li(.t2, pages)
            asm.li(.t3, 4096)
            let loop = asm.label()
            asm.bind(loop)
            asm.sb(.t2, 0, .t1)
            asm.add(.t1, .t1, .t3)
            asm.addi(.t2, .t2, -1)
            asm.bne(.t2, .zero, loop)
        }
        return rv64 ? try program64(body) : try program(body)
    }

    @Test("a guest that touches more than the cap fails with memoryLimitExceeded, on either width", arguments: [false, true])
    func cap(_ rv64: Bool) throws {
        let limits = ExecutionLimits(maxMemoryBytes: 16 << 20)
        let base: UInt64 = rv64 ? 0x1_0000_0000 : 0x0100_0000
        // 8 MiB: fine.
        _ = try Self.touching(pages: 2048, from: base, rv64: rv64).execute(stdin: [], maxCycles: 10_000_000, limits: limits)
        // 32 MiB in a short run: caught at the end.
        let short = #expect(throws: ExecutionError.self) {
            try Self.touching(pages: 8192, from: base, rv64: rv64).execute(stdin: [], maxCycles: 10_000_000, limits: limits)
        }
        #expect(short?.kind == .memoryLimitExceeded)
        #expect(short?.message.contains("limit 16 MiB") == true, "\(short?.message ?? "")")
        // 1 GiB: stopped early, long before the loop ends.
        let long = #expect(throws: ExecutionError.self) {
            try Self.touching(pages: 1 << 18, from: base, rv64: rv64).execute(stdin: [], maxCycles: 10_000_000, limits: limits)
        }
        #expect(long?.kind == .memoryLimitExceeded)
        #expect((long?.cycles ?? .max) < 4 << 18)
    }

    @Test("RV64: addresses across the 2^40 window commit only the pages touched")
    func sparse() throws {
        let addresses: [UInt64] = [0, 1 << 20, 1 << 30, 0x1C_0000_0000, 1 << 39, (1 << 40) - 8]
        let r = try run64([.a0]) { asm in
            asm.li(.a0, 0)
            for (i, a) in addresses.enumerated() {
                asm.li64(.t1, a)
                asm.li(.t2, UInt32(i + 1))
                asm.sd(.t2, 0, .t1)
                asm.ld(.t3, 0, .t1)
                asm.add(.a0, .a0, .t3)
            }
        }
        #expect(r == [21])
        // The same with a 1 MiB cap: six pages and the machine's own buffers fit.
        let p = try program64 { asm in
            for a in addresses {
                asm.li64(.t1, a)
                asm.sd(.t1, 0, .t1)
            }
        }
        _ = try p.execute(stdin: [], maxCycles: 10_000, limits: ExecutionLimits(maxMemoryBytes: 1 << 20))
    }
}
