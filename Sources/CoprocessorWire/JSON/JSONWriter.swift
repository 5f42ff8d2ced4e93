/// Writes wire messages as the gateway's JSON, straight into bytes.
///
/// Conventions, those of InfinityVM's gateway (serde on its prost types, which its Rust clients
/// parse strictly): fields in field-number order under their lowerCamelCase names; every field
/// present, an absent optional string or nested message as `null`; bytes in the shape their field
/// declares (`JSONBytes`: lowercase hex without `0x`, or an array of integers 0–255); uint64,
/// uint32 and enums as JSON numbers (a uint64 above 2^53 loses precision in JavaScript's
/// `JSON.parse`; every value is written exactly).
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// The JSON of one message.
    public static func encode<M: WireMessage>(_ message: M) -> [UInt8] {
        var writer = JSONWriter(capacity: 128 + message.estimatedJSONSize)
        writer.writeObject(message)
        return writer.bytes
    }

    mutating func writeObject<M: WireMessage>(_ message: M) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for field in M.fields {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            writeString(field.jsonName)
            bytes.append(UInt8(ascii: ":"))
            switch field.access {
            case .bytes(let key, .hex): writeHex(message[keyPath: key])
            case .bytes(let key, .integerArray): writeIntegerArray(message[keyPath: key])
            case .uint64(let key): writeDecimal(message[keyPath: key])
            case .uint32(let key): writeDecimal(message[keyPath: key])
            case .int32(let key): writeDecimal(message[keyPath: key])
            case .bool(let key): writeRaw(message[keyPath: key] ? "true" : "false")
            case .string(let key): writeString(message[keyPath: key])
            case .optionalString(let key):
                if let value = message[keyPath: key] { writeString(value) } else { writeRaw("null") }
            case .repeatedUInt64(let key):
                bytes.append(UInt8(ascii: "["))
                for (i, value) in message[keyPath: key].enumerated() {
                    if i > 0 { bytes.append(UInt8(ascii: ",")) }
                    writeDecimal(value)
                }
                bytes.append(UInt8(ascii: "]"))
            case .repeatedInt32(let key):
                bytes.append(UInt8(ascii: "["))
                for (i, value) in message[keyPath: key].enumerated() {
                    if i > 0 { bytes.append(UInt8(ascii: ",")) }
                    writeDecimal(value)
                }
                bytes.append(UInt8(ascii: "]"))
            case .repeatedBytes(let key, let shape):
                bytes.append(UInt8(ascii: "["))
                for (i, value) in message[keyPath: key].enumerated() {
                    if i > 0 { bytes.append(UInt8(ascii: ",")) }
                    if shape == .hex { writeHex(value) } else { writeIntegerArray(value) }
                }
                bytes.append(UInt8(ascii: "]"))
            case .enumeration(let e): writeDecimal(e.get(message))
            case .message(let nested):
                if nested.isPresent(message) { nested.writeJSON(message, &self) } else { writeRaw("null") }
            case .repeatedMessage(let nested): nested.writeJSON(message, &self)
            }
        }
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func writeRaw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func writeHex(_ value: [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: value.count * 2))
        bytes.withUnsafeMutableBufferPointer { out in
            var i = start
            for b in value {
                out[i] = hexDigit(b >> 4)
                out[i + 1] = hexDigit(b & 15)
                i += 2
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `[0,255,...]`: serde's spelling of a `Vec<u8>`.
    mutating func writeIntegerArray(_ value: [UInt8]) {
        bytes.append(UInt8(ascii: "["))
        for (i, b) in value.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            if b >= 100 { bytes.append(UInt8(ascii: "0") + b / 100) }
            if b >= 10 { bytes.append(UInt8(ascii: "0") + b / 10 % 10) }
            bytes.append(UInt8(ascii: "0") + b % 10)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func writeDecimal<T: BinaryInteger>(_ value: T) { bytes.append(contentsOf: String(value).utf8) }

    /// A JSON string: `"` and `\` escaped, control characters as short escapes or \u00XX.
    public mutating func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "\""): writeRaw(#"\""#)
            case UInt8(ascii: "\\"): writeRaw(#"\\"#)
            case 0x08: writeRaw(#"\b"#)
            case 0x0C: writeRaw(#"\f"#)
            case 0x0A: writeRaw(#"\n"#)
            case 0x0D: writeRaw(#"\r"#)
            case 0x09: writeRaw(#"\t"#)
            case 0..<0x20:
                writeRaw(#"\u00"#)
                bytes.append(hexDigit(b >> 4))
                bytes.append(hexDigit(b & 15))
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

@inline(__always) func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? nibble + UInt8(ascii: "0") : nibble - 10 + UInt8(ascii: "a")
}

extension WireMessage {
    /// What bytes fields take as JSON (two characters a byte as hex, up to four in an array),
    /// to size output buffers.
    var estimatedJSONSize: Int {
        var total = 0
        for field in Self.fields {
            switch field.access {
            case .bytes(let key, .hex): total += 2 * self[keyPath: key].count
            case .bytes(let key, .integerArray): total += 4 * self[keyPath: key].count
            case .repeatedBytes(let key, _): total += 4 * self[keyPath: key].reduce(0) { $0 + $1.count + 2 }
            case .message, .repeatedMessage: total += 2048
            default: break
            }
        }
        return total
    }

    /// Bytes held in bytes fields (nested messages: a guess), to size protobuf output buffers.
    var estimatedPayloadSize: Int {
        var total = 0
        for field in Self.fields {
            switch field.access {
            case .bytes(let key, _): total += self[keyPath: key].count
            case .repeatedBytes(let key, _): total += self[keyPath: key].reduce(0) { $0 + $1.count + 5 }
            case .message, .repeatedMessage: total += 1024
            default: break
            }
        }
        return total
    }
}
