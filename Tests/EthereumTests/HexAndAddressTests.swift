import Foundation
import Testing
import Ethereum

@Suite("Hex")
struct HexTests {
    @Test("decodes with or without 0x, in any case; encodes lowercase")
    func roundTrip() throws {
        let expected: [UInt8] = [0x00, 0xab, 0xcd, 0xef, 0x12, 0xff]
        for text in ["0x00abcdef12ff", "00abcdef12ff", "0X00ABCDEF12FF", "0x00AbCdEf12Ff"] {
            #expect(try Hex.decode(text) == expected, "\(text)")
        }
        #expect(Hex.encode(expected) == "0x00abcdef12ff")
        #expect(Hex.encode(expected, prefixed: false) == "00abcdef12ff")
        #expect(expected.hexString == "0x00abcdef12ff")
        #expect(try Hex.decode("") == [])
        #expect(try Hex.decode("0x") == [])
        #expect(Hex.encode([UInt8]()) == "0x")
        let all = (0...255).map { UInt8($0) }
        #expect(try Hex.decode(Hex.encode(all)) == all)
    }

    @Test("rejects odd length, non-hex characters and wrong sizes with specific errors")
    func rejections() {
        #expect(throws: HexError.oddLength(digits: 3)) { try Hex.decode("0xabc") }
        #expect(throws: HexError.invalidCharacter(UInt8(ascii: "g"), position: 3)) { try Hex.decode("0xag") }
        #expect(throws: HexError.invalidCharacter(UInt8(ascii: " "), position: 0)) { try Hex.decode(" 0ab") }
        #expect(throws: HexError.invalidCharacter(UInt8(ascii: "x"), position: 3)) { try Hex.decode("0x0x") }
        #expect(throws: HexError.invalidCharacter(0xc3, position: 2)) { try Hex.decode("0xé") }
        #expect(throws: HexError.wrongLength(expected: 32, actual: 2)) { try Hex.decode("0xabcd", count: 32) }
        #expect(throws: HexError.wrongLength(expected: 32, actual: 2)) { try Bytes32(hex: "abcd") }
        #expect(HexError.invalidCharacter(UInt8(ascii: "g"), position: 3).description == "invalid hex character 'g' at position 3")
    }
}

@Suite("Address and EIP-55")
struct AddressTests {
    /// From scripts/gen_eth_vectors.py (eth-utils to_checksum_address); the first four are also
    /// the examples in the EIP-55 text.
    static let checksummed = [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x0000000000000000000000000000000000000000",
        "0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF",
    ]

    @Test("formats and parses EIP-55 checksums", arguments: checksummed)
    func checksum(_ text: String) throws {
        let fromLower = try Address(hex: text.lowercased())
        #expect(fromLower.checksummed == text)
        #expect(fromLower.description == text)
        #expect(fromLower.lowercaseHex == text.lowercased())
        #expect(try Address(hex: text) == fromLower)
        #expect(try Address(hex: "0x" + text.dropFirst(2).uppercased()) == fromLower)
        #expect(try Address(hex: String(text.dropFirst(2))) == fromLower)
    }

    @Test("rejects a wrong checksum, wrong length and bad hex")
    func rejections() throws {
        // One letter's case flipped in the first EIP-55 example.
        let typo = "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
        #expect(throws: AddressError.invalidChecksum(given: typo, expected: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")) {
            try Address(hex: typo)
        }
        #expect(throws: AddressError.wrongLength(19)) { try Address(hex: "0x" + String(repeating: "ab", count: 19)) }
        #expect(throws: AddressError.wrongLength(21)) { try Address(bytes: [UInt8](repeating: 1, count: 21)) }
        #expect(throws: AddressError.invalidHex(.oddLength(digits: 39))) { try Address(hex: "0x" + String(repeating: "a", count: 39)) }
        #expect(throws: AddressError.invalidHex(.invalidCharacter(UInt8(ascii: "z"), position: 2))) {
            try Address(hex: "0xz" + String(repeating: "a", count: 39))
        }
    }

    @Test("Codable as a checksummed string")
    func codable() throws {
        let address = try Address(hex: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
        let json = try JSONEncoder().encode([address])
        #expect(String(decoding: json, as: UTF8.self) == #"["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"]"#)
        #expect(try JSONDecoder().decode([Address].self, from: json) == [address])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Address].self, from: Data(#"["0x1234"]"#.utf8)) }

        let word = try Bytes32(hex: "0x" + String(repeating: "ab", count: 32))
        let wordJSON = try JSONEncoder().encode([word])
        #expect(try JSONDecoder().decode([Bytes32].self, from: wordJSON) == [word])
    }
}

@Suite("UInt256")
struct UInt256Tests {
    @Test("decimal description, byte round trip, ordering")
    func basics() throws {
        #expect(UInt256.zero.description == "0")
        #expect(UInt256(1_000_000).description == "1000000")
        #expect(UInt256(.max).description == "18446744073709551615")
        // 2^256 - 1, as printed by Python.
        #expect(UInt256.max.description
            == "115792089237316195423570985008687907853269984665640564039457584007913129639935")
        // 10^19 exactly: a chunk boundary of the long division.
        #expect(UInt256(10_000_000_000_000_000_000).description == "10000000000000000000")
        let bytes = (1...32).map { UInt8($0) }
        let value = try UInt256(bigEndianBytes: bytes)
        #expect(value.bigEndianBytes == bytes)
        #expect(value.uint64Value == nil)
        #expect(UInt256(42).uint64Value == 42)
        #expect(UInt256(1) < UInt256(2))
        #expect(UInt256(.max) < UInt256(limbs: (0, 0, 1, 0)))
        #expect(throws: ByteLengthError(type: "uint256", expected: 32, actual: 31)) {
            try UInt256(bigEndianBytes: [UInt8](repeating: 0, count: 31))
        }
    }
}
