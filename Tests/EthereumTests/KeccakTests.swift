import Testing
import Ethereum

/// Expected digests come from scripts/gen_eth_vectors.py (pycryptodome's Keccak-256), except where
/// a line says otherwise.
@Suite("Keccak-256 and Keccak-f[1600]")
struct KeccakTests {
    /// The test inputs' byte pattern: byte i = (i * 7 + 3) mod 256 (same as the generator script).
    static func pattern(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    }

    @Test("empty input")
    func empty() {
        // Also the well-known Ethereum constant keccak256("") (e.g. the empty code hash).
        #expect(Keccak256.hash([UInt8]()).hexString == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        // Not SHA3-256, whose empty digest is a7ffc6f8... (FIPS 202 examples): a padding mix-up would show here.
        #expect(Keccak256.hash([UInt8]()).hexString != "0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")
    }

    @Test("\"abc\"")
    func abc() {
        #expect(Keccak256.hash(utf8: "abc").hexString == "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        #expect(Keccak256.hash(Array("abc".utf8)) == Keccak256.hash(utf8: "abc"))
    }

    @Test("200 bytes of 0xa3 (the classic 1600-bit test message)")
    func twoHundredBytes() {
        let input = [UInt8](repeating: 0xa3, count: 200)
        #expect(Keccak256.hash(input).hexString == "0x3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a")
    }

    @Test("1 MiB input")
    func oneMebibyte() {
        let input = Self.pattern(1 << 20)
        #expect(Keccak256.hash(input).hexString == "0xf2e34ac5feedafab149d3a2b3ed837fc240cc93748a48dd1cf739c1435b8af77")
    }

    /// Lengths around the 136-byte rate, where the padding lands in the last byte of a block
    /// (135: both markers in one byte, 0x81) or needs a block of its own (136, 272).
    @Test("lengths around the rate", arguments: [
        (1, "0x69c322e3248a5dfc29d73c5b0553b0185a35cd5bb6386747517ef7e53b15e287"),
        (55, "0x152cc5298108a3ec3a26e0c5aead9c2770c184a6bdf87eb087716b185c8e2238"),
        (135, "0x00ef96af9cf4b24c7f269d922294444a197d0a33638c2e56634c57e892103a8f"),
        (136, "0x742061bcad767ed4c4f5883b1dcb1aad11afdcc140dc469d953759b127b9f9ed"),
        (137, "0xe3371f61e770abf254c34239c3b0099ad90594507415bc81dd0a10b9692bbf2a"),
        (271, "0x4401c4afbe16ff911bdbf2d38e556e5b861f3fdf0f9d4306b1c46f6ae4f73584"),
        (272, "0xac141fd7b0a0ffcd2e967254d508da3ec616596493c36fa304425647d90e6de5"),
        (273, "0x16192ea86793083e47731cb3c970600f04768414d92bc0540e54ce8607a0fce0"),
        (1000, "0x80cdc8dd52cbb3dbaea8f383209893fa2bb52efbd5aedbb4b26dcfe307fcdc9b"),
    ])
    func rateBoundaries(length: Int, expected: String) {
        #expect(Keccak256.hash(Self.pattern(length)).hexString == expected)
    }

    @Test("incremental hashing matches one-shot for every split of a 1000-byte input")
    func incremental() {
        let input = Self.pattern(1000)
        let expected = Keccak256.hash(input)
        for split in stride(from: 0, through: 1000, by: 7) {
            var hasher = Keccak256()
            hasher.update(input[..<split])
            hasher.update(input[split...])
            #expect(hasher.finalize() == expected, "split at \(split)")
        }
        // Many tiny updates, including empty ones, crossing block boundaries one byte at a time.
        var hasher = Keccak256()
        for byte in input {
            hasher.update([UInt8]())
            hasher.update([byte])
        }
        #expect(hasher.finalize() == expected)
        // A non-contiguous sequence goes through the copying path.
        var lazyHasher = Keccak256()
        lazyHasher.update(input.lazy.map { $0 })
        #expect(lazyHasher.finalize() == expected)
        #expect(Keccak256.hash(input.lazy.map { $0 }) == expected)
    }

    @Test("Keccak-f[1600] of the all-zero state, once and twice")
    func permutation() {
        // From the reference implementation in scripts/gen_eth_vectors.py; the first lane,
        // F1258F7940E1DDE7, is also in the Keccak team's KeccakF-1600-IntermediateValues.txt.
        let zeroStateOnce: [UInt64] = [
            0xf1258f7940e1dde7, 0x84d5ccf933c0478a, 0xd598261ea65aa9ee, 0xbd1547306f80494d, 0x8b284e056253d057,
            0xff97a42d7f8e6fd4, 0x90fee5a0a44647c4, 0x8c5bda0cd6192e76, 0xad30a6f71b19059c, 0x30935ab7d08ffc64,
            0xeb5aa93f2317d635, 0xa9a6e6260d712103, 0x81a57c16dbcf555f, 0x43b831cd0347c826, 0x01f22f1a11a5569f,
            0x05e5635a21d9ae61, 0x64befef28cc970f2, 0x613670957bc46611, 0xb87c5a554fd00ecb, 0x8c3ee88a1ccf32c8,
            0x940c7922ae3a2614, 0x1841f924a2c509e4, 0x16f53526e70465c2, 0x75f644e97f30a13b, 0xeaf1ff7b5ceca249,
        ]
        let zeroStateTwice: [UInt64] = [
            0x2d5c954df96ecb3c, 0x6a332cd07057b56d, 0x093d8d1270d76b6c, 0x8a20d9b25569d094, 0x4f9c4f99e5e7f156,
            0xf957b9a2da65fb38, 0x85773dae1275af0d, 0xfaf4f247c3d810f7, 0x1f1b9ee6f79a8759, 0xe4fecc0fee98b425,
            0x68ce61b6b9ce68a1, 0xdeea66c4ba8f974f, 0x33c43d836eafb1f5, 0xe00654042719dbd9, 0x7cf8a9f009831265,
            0xfd5449a6bf174743, 0x97ddad33d8994b40, 0x48ead5fc5d0be774, 0xe3b8c8ee55b7b03c, 0x91a0226e649e42e9,
            0x900e3129e7badd7b, 0x202a9ec5faa3cce8, 0x5b3402464e1c3db6, 0x609f4e62a44c1059, 0x20d06cd26a8fbf5c,
        ]
        var state = [UInt64](repeating: 0, count: 25)
        KeccakF1600.permute(&state)
        #expect(state == zeroStateOnce)
        KeccakF1600.permute(&state)
        #expect(state == zeroStateTwice)
    }

    @Test("Keccak-256 is one absorb of the padded block through the shared permutation")
    func hashUsesSharedPermutation() {
        // keccak256("abc") by hand: lane 0 = "abc" ‖ 0x01 (little-endian), lane 16 top byte 0x80.
        var state = [UInt64](repeating: 0, count: 25)
        state[0] = 0x0000_0000_0163_6261
        state[16] = 0x8000_0000_0000_0000
        KeccakF1600.permute(&state)
        let digest = state[0..<4].flatMap { lane in (0..<8).map { UInt8(truncatingIfNeeded: lane >> (8 * UInt64($0))) } }
        #expect(digest == Keccak256.hash(utf8: "abc").bytes)
    }
}
