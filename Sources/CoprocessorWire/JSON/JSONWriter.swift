/// Writes wire messages as the gateway's JSON, straight into bytes.
///
/// Conventions: fields in field-number order under their lowerCamelCase names; every field present
/// (proto3 defaults included) except an absent optional string or nested message; bytes as
/// lowercase hex without `0x`; uint64 as decimal strings (JavaScript numbers lose precision above
/// 2^53); uint32 and enums as numbers.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// The JSON of one message.
    public static func encode<M: WireMessage>(_ message: M) -> [UInt8] {
        var writer = JSONWriter(capacity: 128 + message.estimatedHexSize)
        writer.writeObject(message)
        return writer.bytes
    }

    mutating func writeObject<M: WireMessage>(_ message: M) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for field in M.fields {
            switch field.access {
            case .optionalString(let key) where message[keyPath: key] == nil: continue
            case .message(let nested) where !nested.isPresent(message): continue
            default: break
            }
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            writeString(field.jsonName)
            bytes.append(UInt8(ascii: ":"))
            switch field.access {
            case .bytes(let key): writeHex(message[keyPath: key])
            case .uint64(let key): writeQuotedDecimal(message[keyPath: key])
            case .uint32(let key): writeDecimal(message[keyPath: key])
            case .bool(let key): writeRaw(message[keyPath: key] ? "true" : "false")
            case .optionalString(let key): writeString(message[keyPath: key] ?? "")
            case .repeatedUInt64(let key):
                bytes.append(UInt8(ascii: "["))
                for (i, value) in message[keyPath: key].enumerated() {
                    if i > 0 { bytes.append(UInt8(ascii: ",")) }
                    writeQuotedDecimal(value)
                }
                bytes.append(UInt8(ascii: "]"))
            case .enumeration(let e): writeDecimal(e.get(message))
            case .message(let nested): nested.writeJSON(message, &self)
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

    public mutating func writeDecimal<T: BinaryInteger>(_ value: T) { bytes.append(contentsOf: String(value).utf8) }

    mutating func writeQuotedDecimal(_ value: UInt64) {
        bytes.append(UInt8(ascii: "\""))
        writeDecimal(value)
        bytes.append(UInt8(ascii: "\""))
    }

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
    /// Bytes held in bytes fields, doubled (their hex), to size output buffers.
    var estimatedHexSize: Int {
        var total = 0
        for field in Self.fields {
            if case .bytes(let key) = field.access { total += 2 * self[keyPath: key].count }
            if case .message = field.access { total += 1024 }
        }
        return total
    }
}
