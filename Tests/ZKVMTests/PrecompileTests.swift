import Testing
import ZKVM
import ZKVMHarness

/// Per-precompile and per-hook tests through `SyscallMachine`. The vectors (PrecompileVectors.swift)
/// come from scripts/gen_precompile_vectors.py, which computes every expected value with Python
/// integers; regenerate them with `python3 scripts/gen_precompile_vectors.py`.
@Suite struct PrecompileTests {
    @Test(arguments: precompileVectors)
    func vector(_ v: PrecompileVector) throws {
        let m = try SyscallMachine()
        for item in v.inputs { m.pushInput(bytes(item)) }
        for w in v.writes { try m.write(bytes(w.hex), at: UInt64(w.address)) }
        do {
            try m.syscall(v.code, a0: UInt64(v.registers[0]), a1: UInt64(v.registers[1]), a2: UInt64(v.registers[2]),
                          a3: UInt64(v.registers[3]))
            if let expected = v.error { Issue.record("succeeded, expected an error containing \"\(expected)\"") }
        } catch {
            guard let expected = v.error else {
                Issue.record("unexpected error: \(error.message)")
                return
            }
            #expect(error.kind == .syscallFailed)
            #expect(error.message.contains(expected), "message: \(error.message)")
        }
        for e in v.expect {
            let got = try m.read(count: e.hex.count / 2, at: UInt64(e.address))
            #expect(hex(got) == e.hex, "memory at 0x\(String(e.address, radix: 16))")
        }
        if let items = v.items {
            #expect(m.inputItems.map(hex) == items)
        }
    }

    /// Every SP1 precompile code is registered: a misaligned pointer reaches the handler, which
    /// rejects it naming the syscall (an unregistered code would be `unsupportedSyscall`).
    @Test(arguments: [
        (0x0001_0107, "ED_ADD"), (0x0000_0108, "ED_DECOMPRESS"), (0x0001_010A, "SECP256K1_ADD"),
        (0x0000_010B, "SECP256K1_DOUBLE"), (0x0000_010C, "SECP256K1_DECOMPRESS"), (0x0001_010E, "BN254_ADD"),
        (0x0000_010F, "BN254_DOUBLE"), (0x0000_011C, "BLS12381_DECOMPRESS"), (0x0001_011D, "UINT256_MUL"),
        (0x0001_012F, "U256XU2048_MUL"), (0x0001_011E, "BLS12381_ADD"), (0x0000_011F, "BLS12381_DOUBLE"),
        (0x0001_0120, "BLS12381_FP_ADD"), (0x0001_0121, "BLS12381_FP_SUB"), (0x0001_0122, "BLS12381_FP_MUL"),
        (0x0001_0123, "BLS12381_FP2_ADD"), (0x0001_0124, "BLS12381_FP2_SUB"), (0x0001_0125, "BLS12381_FP2_MUL"),
        (0x0001_0126, "BN254_FP_ADD"), (0x0001_0127, "BN254_FP_SUB"), (0x0001_0128, "BN254_FP_MUL"),
        (0x0001_0129, "BN254_FP2_ADD"), (0x0001_012A, "BN254_FP2_SUB"), (0x0001_012B, "BN254_FP2_MUL"),
        (0x0001_012C, "SECP256R1_ADD"), (0x0000_012D, "SECP256R1_DOUBLE"), (0x0000_012E, "SECP256R1_DECOMPRESS"),
    ] as [(UInt32, String)])
    func registered(_ code: UInt32, _ name: String) throws {
        #expect(SyscallMachine.name(of: code) == name)
        let m = try SyscallMachine()
        let error = #expect(throws: SyscallError.self) {
            try m.syscall(code, a0: 0x1002, a1: 0x2000, a2: 0x3000, a3: 0x4000)
        }
        #expect(error?.kind == .syscallFailed)
        #expect(error?.message.hasPrefix("\(name): ") == true, "message: \(error?.message ?? "")")
    }

    /// A code SP1 does not know (same low byte as SECP256K1_ADD, other flags) is not a precompile.
    @Test func unknownCodeIsUnsupported() throws {
        let m = try SyscallMachine()
        let error = #expect(throws: SyscallError.self) { try m.syscall(0x0002_010A, a0: 0x1000, a1: 0x2000) }
        #expect(error?.kind == .unsupportedSyscall)
    }

    /// Published values: 2G on secp256k1 (SEC 2 / the well-known 2G) and 2 * (1, 2) on alt_bn128
    /// (the EIP-196 test suite's doubling of the generator).
    @Test func publishedDoublings() throws {
        let m = try SyscallMachine()
        let gx = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
        let gy = "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"
        try m.write(le(gx) + le(gy), at: 0x1000)
        try m.syscall(0x0000_010B, a0: 0x1000)
        let out = try m.read(count: 64, at: 0x1000)
        #expect(hex(out[0..<32].reversed()) == "c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5")
        #expect(hex(out[32..<64].reversed()) == "1ae168fea63dc339a3c58419466ceaeef7f632653266d0e1236431a950cfe52a")

        try m.write(le("01") + [UInt8](repeating: 0, count: 31) + le("02") + [UInt8](repeating: 0, count: 31), at: 0x2000)
        try m.syscall(0x0000_010F, a0: 0x2000)
        let bn = try m.read(count: 64, at: 0x2000)
        #expect(hex(bn[0..<32].reversed()) == "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd3")
        #expect(hex(bn[32..<64].reversed()) == "15ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4")
    }

    /// A failed precompile leaves its output untouched (SP1 panics before writing).
    @Test func rejectedAddLeavesMemoryUnchanged() throws {
        let m = try SyscallMachine()
        let point = [UInt8](repeating: 0x42, count: 64)
        try m.write(point, at: 0x1000)
        try m.write(point, at: 0x2000)
        #expect(throws: SyscallError.self) { try m.syscall(0x0001_010A, a0: 0x1000, a1: 0x2000) }
        #expect(try m.read(count: 64, at: 0x1000) == point)
    }
}

private func bytes(_ hex: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(hex.utf8.count / 2)
    var high: UInt8?
    for c in hex.utf8 {
        let v: UInt8 = c <= 57 ? c - 48 : (c | 0x20) - 87
        if let h = high {
            out.append(h << 4 | v)
            high = nil
        } else {
            high = v
        }
    }
    return out
}

/// Big-endian hex to the little-endian bytes guest memory holds.
private func le(_ hexBE: String) -> [UInt8] { bytes(hexBE).reversed() }

private func hex<S: Sequence>(_ data: S) -> String where S.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for b in data {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}
