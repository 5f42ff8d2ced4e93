import Foundation
import Testing
@testable import ZKVM
import ZKVMHarness

/// SP1 v6's syscalls through a bare v6 machine (`SyscallMachine(abi: .sp1v6)`) and small RV64
/// guests: u64 words and 8-byte pointer alignment, SHA-256 words in u64 slots, HINT_LEN /
/// HINT_READ, COMMIT, the new precompiles, the deprecated ones, the curve arithmetic v6 uses, the
/// fds v6 serves, and t0 after an ECALL (SP1_V6_ABI.md §3-§4).
@Suite("SP1 v6 syscalls")
struct SyscallV6Tests {
    func machine() throws -> SyscallMachine { try SyscallMachine(abi: .sp1v6) }

    @Test("SHA_EXTEND and SHA_COMPRESS keep each word in the low half of a u64 slot")
    func sha256Slots() throws {
        let m = try machine()
        // "abc", padded: one block of 16 big-endian words, each zero-extended into 8 bytes.
        var block = [UInt8](repeating: 0, count: 64)
        block[0] = 0x61; block[1] = 0x62; block[2] = 0x63; block[3] = 0x80; block[63] = 24
        var w = [UInt8]()
        for i in 0..<16 { w += UInt64(UInt32(bigEndianBytes: Array(block[4 * i..<4 * i + 4]))).littleEndianBytes }
        try m.write(w + [UInt8](repeating: 0xEE, count: 48 * 8), at: 0x1000)
        let iv: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        try m.write(iv.flatMap { UInt64($0).littleEndianBytes }, at: 0x2000)
        try m.syscall(0x0030_0105, a0: 0x1000)
        let extended = doublewords(try m.read(count: 512, at: 0x1000))
        #expect(extended.allSatisfy { $0 >> 32 == 0 }, "schedule words are stored zero-extended")
        try m.syscall(0x0001_0106, a0: 0x1000, a1: 0x2000)
        let h = doublewords(try m.read(count: 64, at: 0x2000))
        #expect(h.allSatisfy { $0 >> 32 == 0 })
        #expect(hex(h.flatMap { UInt32($0).bigEndianBytes }) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // w == h is allowed on v6 (v4 refuses it).
        try m.syscall(0x0001_0106, a0: 0x1000, a1: 0x1000)
        let v4 = try SyscallMachine()
        #expect(throws: SyscallError.self) { try v4.syscall(0x0001_0106, a0: 0x1000, a1: 0x1000) }
    }

    @Test("precompile pointers must be 8-byte aligned")
    func alignment() throws {
        for (code, name) in [(UInt32(0x0001_0109), "KECCAK_PERMUTE"), (0x0001_011D, "UINT256_MUL"), (0x0000_0133, "POSEIDON2"),
                             (0x0001_0130, "UINT256_ADD_CARRY"), (0x0001_010E, "BN254_ADD"), (0x0000_0108, "ED_DECOMPRESS")] {
            let a1: UInt64 = code == 0x0001_0109 ? 0 : 0x2000  // KECCAK_PERMUTE wants a1 = 0
            let error = #expect(throws: SyscallError.self) { try machine().syscall(code, a0: 0x1004, a1: a1, a2: 0x3000, a3: 0x4000, a4: 0x5000) }
            #expect(error?.kind == .syscallFailed)
            #expect(error?.message.hasPrefix(name + ": ") == true && error?.message.contains("8-byte aligned") == true,
                    "\(error?.message ?? "")")
        }
    }

    @Test("UINT256_ADD_CARRY and UINT256_MUL_CARRY: the low and high halves of a + b + c and a * b + c")
    func carryOps() throws {
        let a = "eeff112233445566778899a8b7c6d5e4c3f0a1b2d5a57e5fe5f2d3c1a9b4e28e"
        let b = "776655443322110021436587a9cbed0fefcdab8967452301bebafecaefbeadde"
        let c = "8888888877777777666666665555555544444444333333332222222211111111"
        for (code, low, high) in [
            (UInt32(0x0001_0130), "edeeefeeddddddddfe316596b6e7184af7029280701ed593c5cff4aeaa84a17e",
             "0100000000000000000000000000000000000000000000000000000000000000"),
            (0x0001_0131, "2a54e5bc2e3baf68b0f49bcbd6456eb6d90a7c8b0dbc3342081c434eaf82c2b0",
             "760102b7a6c7a826d0dab5e3f22afb4ef82b12a19fea7e48ed80d7657192497c"),
        ] {
            let m = try machine()
            try m.write(hexBytes(a), at: 0x1000)
            try m.write(hexBytes(b), at: 0x2000)
            try m.write(hexBytes(c), at: 0x3000)
            try m.syscall(code, a0: 0x1000, a1: 0x2000, a2: 0x3000, a3: 0x4000, a4: 0x5000)
            #expect(hex(try m.read(count: 32, at: 0x4000)) == low)
            #expect(hex(try m.read(count: 32, at: 0x5000)) == high)
        }
    }

    /// Vectors from refexec64.py's independent Python Poseidon2 (SP1 publishes none for its
    /// KoalaBear parameters; the real v6 POSEIDON2 ELF does not expose its output).
    @Test("POSEIDON2: SP1 v6's KoalaBear width-16 permutation, in place", arguments: [
        ("0a000000140000001e00000028000000320000003c00000046000000500000005a000000640000006e00000078000000820000008c00000096000000a0000000",
         "3cf9eb59edc2611de8fc3b1efb5697656a2ac36a38c34f6659c3604a60dacd5aa5e0665e568ebb4651642d7eec03b34278c8a347e896cb64c8dded217b47bd7a"),
        ("000000000100000002000000030000000400000005000000060000000700000008000000090000000a0000000b0000000c0000000d0000000e0000000f000000",
         "f02b4c3dff19a24f7629574afbadf81a99535b22a72771014d42971de7fcb138f7ada8674b737552ce171947c73dce67786c9310504ec53375c67a56ce004307"),
        (String(repeating: "0000007f", count: 16),
         "5afeaa7828d8d021a61e5935608c6641d23cd11a8338d75c3deb1a6639bc8231a27e60625f1e4578605e104204445a339122e05480ec2c0179c87d5334f57b03"),
    ])
    func poseidon2(_ input: String, _ output: String) throws {
        let m = try machine()
        try m.write(hexBytes(input), at: 0x1000)
        try m.syscall(0x0000_0133, a0: 0x1000)
        #expect(hex(try m.read(count: 64, at: 0x1000)) == output)
    }

    @Test("the deprecated syscalls fail as v6's executor panics", arguments: [
        (UInt32(0x0000_010C), "SECP256K1_DECOMPRESS"), (0x0000_012E, "SECP256R1_DECOMPRESS"), (0x0000_011C, "BLS12381_DECOMPRESS"),
        (0x0001_012F, "U256XU2048_MUL"),
    ])
    func deprecated(_ code: UInt32, _ name: String) throws {
        let error = #expect(throws: SyscallError.self) { try machine().syscall(code, a0: 0x1000, a1: 0x2000, a2: 0x3000, a3: 0x4000) }
        #expect(error?.kind == .unsupportedSyscall)
        #expect(error?.message.contains("\(name)) is deprecated in SP1 v6") == true, "\(error?.message ?? "")")
        #expect(SyscallMachine.name(of: code) == name)
    }

    @Test("new rows have their SP1 names", arguments: [
        (UInt32(0x0001_0130), "UINT256_ADD_CARRY"), (0x0001_0131, "UINT256_MUL_CARRY"), (0x0000_0132, "MPROTECT"),
        (0x0000_0133, "POSEIDON2"), (0x0000_0134, "SIG_RETURN"), (0x0000_0035, "HINT_MPROTECT_FLUSH"), (0x0000_0040, "DUMP_ELF"),
        (0x0000_0041, "INSERT_PROFILER_SYMBOLS"), (0x0000_0042, "DELETE_PROFILER_SYMBOLS"),
    ])
    func names(_ code: UInt32, _ name: String) { #expect(SyscallMachine.name(of: code) == name) }

    @Test("HINT_LEN answers u64::MAX when empty; HINT_READ writes len / 8 + 1 zero-padded u64 words at an 8-aligned pointer")
    func hints() throws {
        let m = try machine()
        try m.syscall(0xF0)
        #expect(m.register(5) == .max)
        m.pushInput(Array("hello".utf8))
        m.pushInput(Array("ABCDEFGH".utf8))
        try m.write([UInt8](repeating: 0xAA, count: 32), at: 0x1000)
        try m.syscall(0xF0)
        #expect(m.register(5) == 5)
        try m.syscall(0xF1, a0: 0x1000, a1: 5)
        try m.syscall(0xF1, a0: 0x1008, a1: 8)
        #expect(hex(try m.read(count: 32, at: 0x1000)) == "68656c6c6f000000" + "4142434445464748" + "0000000000000000" + "aaaaaaaaaaaaaaaa")
        m.pushInput([1, 2])
        let error = #expect(throws: SyscallError.self) { try m.syscall(0xF1, a0: 0x1004, a1: 2) }
        #expect(error?.message.contains("8-byte aligned") == true)
    }

    @Test("COMMIT takes u32 words; COMMIT_DEFERRED_PROOFS and the debug calls are no-ops; MPROTECT needs untrusted mode")
    func commitAndNoops() throws {
        let m = try machine()
        let big = #expect(throws: SyscallError.self) { try m.syscall(0x10, a0: 0, a1: 1 << 32) }
        #expect(big?.message.contains("does not fit in 32 bits") == true)
        #expect(throws: SyscallError.self) { try m.syscall(0x10, a0: 8, a1: 1) }
        try m.syscall(0x1A, a0: 99, a1: 1 << 40)  // v6: not even checked
        #expect(throws: SyscallError.self) { try SyscallMachine().syscall(0x1A, a0: 99, a1: 1) }  // v4: index checked
        for code: UInt32 in [0x35, 0x40, 0x41, 0x42, 0x1B] { try m.syscall(code, a0: 0x1000, a1: 3) }
        let mprotect = #expect(throws: SyscallError.self) { try m.syscall(0x132, a0: 0x7820_0000, a1: 0) }
        #expect(mprotect?.message.contains("untrusted mode") == true)
    }

    /// k256 adds any two valid points (P == Q doubles) and refuses results at infinity.
    @Test("secp256k1 on v6: complete addition on validated points")
    func secp256k1() throws {
        let gx = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
        let gy = "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"
        let negGy = "b7c52588d95c3b9aa25b0403f1eef75702e84bb7597aabe663b82f6f04ef2777"
        let twoG = ("c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
                    "1ae168fea63dc339a3c58419466ceaeef7f632653266d0e1236431a950cfe52a")
        func le(_ h: String) -> [UInt8] { hexBytes(h).reversed() }
        let m = try machine()
        try m.write(le(gx) + le(gy), at: 0x1000)
        try m.write(le(gx) + le(gy), at: 0x2000)
        try m.syscall(0x0001_010A, a0: 0x1000, a1: 0x2000)  // G + G = 2G (SP1 v4 refuses p == q)
        let out = try m.read(count: 64, at: 0x1000)
        #expect(hex(out[0..<32].reversed()) == twoG.0 && hex(out[32..<64].reversed()) == twoG.1)
        try m.write(le(gx) + le(negGy), at: 0x3000)
        try m.write(le(gx) + le(gy), at: 0x1000)
        let infinity = #expect(throws: SyscallError.self) { try m.syscall(0x0001_010A, a0: 0x1000, a1: 0x3000) }
        #expect(infinity?.message.contains("point at infinity") == true)
        try m.write(le(gx) + le(negGy).map { $0 ^ 1 }, at: 0x3000)
        let invalid = #expect(throws: SyscallError.self) { try m.syscall(0x0000_010B, a0: 0x3000) }
        #expect(invalid?.message.contains("not a reduced secp256k1 point") == true)
    }

    @Test("BN254 on v6: an unreduced coordinate that makes the unsigned formulas underflow fails")
    func unsignedUnderflow() throws {
        let p = "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47"
        let pPlus5 = "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd4c"
        func le(_ h: String) -> [UInt8] { hexBytes(h).reversed() }
        let one = le(String(repeating: "0", count: 63) + "1"), two = le(String(repeating: "0", count: 63) + "2")
        let m = try machine()
        try m.write(one + le(pPlus5), at: 0x1000)      // p = (1, p + 5)
        try m.write(two + [UInt8](repeating: 0, count: 32), at: 0x2000)  // q = (2, 0): p + 0 - (p + 5) < 0
        let error = #expect(throws: SyscallError.self) { try m.syscall(0x0001_010E, a0: 0x1000, a1: 0x2000) }
        #expect(error?.message.contains("underflow") == true)
        _ = p
        // v4 (InfinityVM's build) computes it with signed remainders instead.
        let v4 = try SyscallMachine()
        try v4.write(one + le(pPlus5), at: 0x1000)
        try v4.write(two + [UInt8](repeating: 0, count: 32), at: 0x2000)
        try v4.syscall(0x0001_010E, a0: 0x1000, a1: 0x2000)
    }

    @Test("rsa_mul_mod (fd 17) takes 256-, 384- and 512-byte keys on v6, 256-byte ones on v4", arguments: [256, 384, 512])
    func rsaKeySizes(_ key: Int) throws {
        var input = [UInt8](repeating: 0, count: 3 * key)
        input[0] = 7        // product = 7
        input[2 * key] = 3  // modulus = 3
        for abi in [GuestABI.sp1v6, .sp1v4] {
            let m = try SyscallMachine(abi: abi)
            try m.write(input, at: 0x1000)
            do {
                try m.syscall(2, a0: 17, a1: 0x1000, a2: UInt64(input.count))
                #expect(abi == .sp1v6 || key == 256)
                let items = m.inputItems
                #expect(items.count == 2 && items[0] == [1] + [UInt8](repeating: 0, count: key - 1)
                        && items[1] == [2] + [UInt8](repeating: 0, count: key - 1))
            } catch {
                #expect(abi == .sp1v4 && key != 256)
            }
        }
    }

    @Test("ECALL: only t0's low 32 bits select the syscall; t0 holds the code (or the result) afterwards; fds 3 and 4 are not public values or hints on v6")
    func ecallConvention() throws {
        let r = try run64([.s2, .s3, .s4]) { asm in
            asm.li64(.t0, 0xFFFF_FFFF_0000_00F0)   // HINT_LEN
            asm.ecall()
            asm.mv(.s2, .t0)                        // u64::MAX: nothing to read
            asm.li64(.t0, 0x1234_5678_0000_001B)    // VERIFY_SP1_PROOF: no result
            asm.ecall()
            asm.mv(.s3, .t0)                        // 0x1B
            asm.li(.t1, UInt32(scratch64))
            asm.li(.t2, 0x44434241)
            asm.sw(.t2, 0, .t1)
            asm.syscall(2, a0: 3, a1: UInt32(scratch64), a2: 4)   // ignored on v6
            asm.syscall(2, a0: 4, a1: UInt32(scratch64), a2: 4)   // ignored on v6
            asm.syscall(0xF0)
            asm.mv(.s4, .t0)                        // still nothing to read
        }
        #expect(r == [.max, 0x1B, .max])
    }
}

extension UInt32 {
    init(bigEndianBytes b: [UInt8]) { self = b.reduce(0) { $0 << 8 | UInt32($1) } }
    var bigEndianBytes: [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: self >> (24 - 8 * UInt32($0))) } }
}
