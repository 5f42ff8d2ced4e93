/// Reads the gateway's JSON into wire messages in one pass over the body, without building a
/// document tree: a request's memory is its message plus a small constant.
///
/// Accepts: lowerCamelCase or snake_case field names; bytes as hex (any case, with or without
/// `0x`) or as an array of integers 0–255; integers as numbers or decimal strings; enums as
/// numbers or value names (exact, or ignoring case); `null` or a missing field as the proto3
/// default; unknown fields are skipped (like grpc-gateway's default unmarshaler). An empty or
/// all-whitespace body is the empty message.
public struct JSONReader {
    private let input: UnsafeRawBufferPointer
    private var position = 0
    private var depth = 0
    static let maxDepth = 64

    init(_ input: UnsafeRawBufferPointer) { self.input = input }

    /// A string's contents: a range of the input when it has no escapes (the usual case, read
    /// without copying), else the unescaped bytes.
    enum StringToken {
        case raw(Range<Int>)
        case unescaped([UInt8])
    }

    func withBytes<R>(_ token: StringToken, _ body: (UnsafeRawBufferPointer) throws(WireDecodingError) -> R)
        throws(WireDecodingError) -> R
    {
        switch token {
        case .raw(let range): return try body(UnsafeRawBufferPointer(rebasing: input[range]))
        case .unescaped(let bytes):
            let result: Result<R, WireDecodingError> = bytes.withUnsafeBytes { buffer in
                do throws(WireDecodingError) { return .success(try body(buffer)) } catch { return .failure(error) }
            }
            return try result.get()
        }
    }

    func string(_ token: StringToken) -> String {
        switch token {
        case .raw(let range): String(decoding: UnsafeRawBufferPointer(rebasing: input[range]), as: UTF8.self)
        case .unescaped(let bytes): String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Decodes one message from a whole body.
    public static func decode<M: WireMessage>(_: M.Type, from body: UnsafeRawBufferPointer) throws(WireDecodingError) -> M {
        var reader = JSONReader(body)
        var message = M()
        reader.skipWhitespace()
        if reader.atEnd { return message }
        guard reader.peek == UInt8(ascii: "{") else {
            throw WireDecodingError("request body must be a JSON object")
        }
        try reader.readObject(into: &message)
        reader.skipWhitespace()
        guard reader.atEnd else { throw reader.malformed("unexpected data after the JSON object") }
        return message
    }

    public static func decode<M: WireMessage>(_ type: M.Type, from body: [UInt8]) throws(WireDecodingError) -> M {
        let result: Result<M, WireDecodingError> = body.withUnsafeBytes { buffer in
            do throws(WireDecodingError) { return .success(try decode(type, from: buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    // MARK: - Messages

    mutating func readObject<M: WireMessage>(into message: inout M) throws(WireDecodingError) {
        try enter()
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            let key = try readString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            let field = try withBytes(key) { k in M.fields.first { $0.matches(k) } }
            if let field {
                try readValue(of: field, into: &message)
            } else {
                try skipValue()
            }
            skipWhitespace()
            if peek == UInt8(ascii: ",") {
                position += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            depth -= 1
            return
        }
    }

    private mutating func readValue<M: WireMessage>(of field: WireField<M>, into message: inout M)
        throws(WireDecodingError)
    {
        let isNull = consumeLiteral("null")
        switch field.access {
        case .bytes(let key, _):
            message[keyPath: key] = isNull ? [] : try readBytes(field)
        case .uint64(let key):
            message[keyPath: key] = isNull ? 0 : try readInteger(field, as: UInt64.self, "an unsigned 64-bit integer")
        case .uint32(let key):
            message[keyPath: key] = isNull ? 0 : try readInteger(field, as: UInt32.self, "an unsigned 32-bit integer")
        case .int32(let key):
            message[keyPath: key] = isNull ? 0 : try readInt32(field)
        case .bool(let key):
            if isNull { message[keyPath: key] = false }
            else if consumeLiteral("true") { message[keyPath: key] = true }
            else if consumeLiteral("false") { message[keyPath: key] = false }
            else { throw .invalidField(field.jsonName, "expected true or false") }
        case .string(let key):
            if isNull { message[keyPath: key] = ""; return }
            guard peek == UInt8(ascii: "\"") else { throw .invalidField(field.jsonName, "expected a string") }
            message[keyPath: key] = string(try readString())
        case .optionalString(let key):
            if isNull { message[keyPath: key] = nil; return }
            guard peek == UInt8(ascii: "\"") else { throw .invalidField(field.jsonName, "expected a string") }
            message[keyPath: key] = string(try readString())
        case .repeatedUInt64(let key):
            if isNull { message[keyPath: key] = []; return }
            var values: [UInt64] = []
            try readArray(field) { (reader: inout JSONReader, index: Int) throws(WireDecodingError) in
                values.append(try reader.readInteger(field, as: UInt64.self, "an unsigned 64-bit integer", index: index))
            }
            message[keyPath: key] = values
        case .repeatedInt32(let key):
            if isNull { message[keyPath: key] = []; return }
            var values: [Int32] = []
            try readArray(field) { (reader: inout JSONReader, index: Int) throws(WireDecodingError) in
                values.append(try reader.readInt32(field, index: index))
            }
            message[keyPath: key] = values
        case .repeatedBytes(let key, _):
            if isNull { message[keyPath: key] = []; return }
            var values: [[UInt8]] = []
            try readArray(field) { (reader: inout JSONReader, _: Int) throws(WireDecodingError) in
                values.append(try reader.readBytes(field))
            }
            message[keyPath: key] = values
        case .repeatedMessage(let nested):
            nested.clear(&message)
            if isNull { return }
            try readArray(field) { (reader: inout JSONReader, index: Int) throws(WireDecodingError) in
                guard reader.peek == UInt8(ascii: "{") else {
                    throw .invalidField("\(field.jsonName)[\(index)]", "expected a JSON object")
                }
                try nested.readJSONElement(&message, &reader)
            }
        case .enumeration(let e):
            e.set(&message, isNull ? 0 : try readEnum(field, e.descriptor))
        case .message(let nested):
            if isNull { return }
            guard peek == UInt8(ascii: "{") else { throw .invalidField(field.jsonName, "expected a JSON object") }
            try nested.readJSON(&message, &self)
        }
    }

    // MARK: - Field values

    /// Hex text, or an array of byte values.
    private mutating func readBytes<M>(_ field: WireField<M>) throws(WireDecodingError) -> [UInt8] {
        if peek == UInt8(ascii: "[") {
            var bytes: [UInt8] = []
            try readArray(field) { (reader: inout JSONReader, index: Int) throws(WireDecodingError) in
                if let byte = reader.readPlainByte() {
                    bytes.append(byte)
                    return
                }
                // Numbers only: "10" would be ambiguous (decimal 10, or the hex byte 0x10).
                let value = try reader.readInteger(field, as: UInt64.self, "a byte value 0-255", index: index,
                                                   decimalStrings: false)
                guard value <= 255 else {
                    throw .invalidField("\(field.jsonName)[\(index)]", "\(value) is not a byte value (0-255)")
                }
                bytes.append(UInt8(value))
            }
            return bytes
        }
        guard peek == UInt8(ascii: "\"") else {
            throw .invalidField(field.jsonName, "expected a hex string or an array of byte values")
        }
        let text = try readString()
        return try withBytes(text) { digits throws(WireDecodingError) in try Self.decodeHex(digits, field: field.jsonName) }
    }

    /// The common case of an integer-array element, read in one pass: 1 to 3 decimal digits worth
    /// at most 255, not followed by a fraction or an exponent. Anything else (and every error) is
    /// left to `readInteger`, which reads it from the same position: nil, with nothing consumed.
    @inline(__always) private mutating func readPlainByte() -> UInt8? {
        let start = position
        var value = 0
        while position < input.count, position - start < 3 {
            let d = input[position]
            guard d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") else { break }
            value = value * 10 + Int(d - UInt8(ascii: "0"))
            position += 1
        }
        let next = peek
        if position == start || value > 255 || (next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9"))
            || next == UInt8(ascii: ".") || next | 0x20 == UInt8(ascii: "e") {
            position = start
            return nil
        }
        return UInt8(value)
    }

    /// Bytes of hex digits, with an optional `0x` prefix; positions in errors count from the
    /// string's first character.
    static func decodeHex(_ text: UnsafeRawBufferPointer, field: String) throws(WireDecodingError) -> [UInt8] {
        var start = 0
        if text.count >= 2, text[0] == UInt8(ascii: "0"), text[1] | 0x20 == UInt8(ascii: "x") { start = 2 }
        let count = text.count - start
        guard count % 2 == 0 else {
            throw .invalidField(field, "hex string has an odd number of digits (\(count))")
        }
        var failure: WireDecodingError?
        let out = [UInt8](unsafeUninitializedCapacity: count / 2) { buffer, initialized in
            var i = start, o = 0
            while i < text.count {
                guard let high = nibble(text[i]) else { failure = badHex(field, text[i], i); break }
                guard let low = nibble(text[i + 1]) else { failure = badHex(field, text[i + 1], i + 1); break }
                buffer[o] = high << 4 | low
                o += 1
                i += 2
            }
            initialized = o
        }
        if let failure { throw failure }
        return out
    }

    private static func badHex(_ field: String, _ byte: UInt8, _ position: Int) -> WireDecodingError {
        let shown = (0x21...0x7e).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        return .invalidField(field, "invalid hex character \(shown) at position \(position)")
    }

    @inline(__always) private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A non-negative integer as a JSON number or a decimal string (proto3 JSON allows both).
    private mutating func readInteger<M, T: FixedWidthInteger & UnsignedInteger>(
        _ field: WireField<M>, as: T.Type, _ what: String, index: Int? = nil, decimalStrings: Bool = true
    ) throws(WireDecodingError) -> T {
        // The error's wording is built only when there is an error (this runs once per byte of
        // an integer-array bytes field).
        func failure() -> WireDecodingError {
            .invalidField(index.map { "\(field.jsonName)[\($0)]" } ?? field.jsonName,
                          "expected \(what) (\(decimalStrings ? "number or decimal string" : "a JSON number"))")
        }
        let token: StringToken
        if peek == UInt8(ascii: "\""), decimalStrings {
            token = try readString()
        } else if isNumberStart {
            let start = position
            try skipNumber()
            token = .raw(start..<position)
        } else {
            throw failure()
        }
        let value: T? = try withBytes(token) { digits in
            var value: T = 0
            guard !digits.isEmpty else { return nil }
            for d in digits {
                guard d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") else { return nil }
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(T(d - UInt8(ascii: "0")))
                guard !o1 && !o2 else { return nil }
                value = sum
            }
            return value
        }
        guard let value else { throw failure() }
        return value
    }

    /// A signed 32-bit integer as a JSON number or a decimal string.
    private mutating func readInt32<M>(_ field: WireField<M>, index: Int? = nil) throws(WireDecodingError) -> Int32 {
        let name = index.map { "\(field.jsonName)[\($0)]" } ?? field.jsonName
        let text: String
        if peek == UInt8(ascii: "\"") {
            text = string(try readString())
        } else if isNumberStart {
            let start = position
            try skipNumber()
            text = String(decoding: input[start..<position], as: UTF8.self)
        } else {
            throw .invalidField(name, "expected a signed 32-bit integer (number or decimal string)")
        }
        guard let value = Int32(text) else {
            throw .invalidField(name, "expected a signed 32-bit integer (number or decimal string)")
        }
        return value
    }

    private mutating func readEnum<M>(_ field: WireField<M>, _ e: WireEnumDescriptor) throws(WireDecodingError) -> Int32 {
        if peek == UInt8(ascii: "\"") {
            let name = string(try readString())
            if let number = e.number(named: name) { return number }
            if let number = Int32(name) { return number }
            throw .invalidField(field.jsonName, "unknown value \"\(name)\" (expected a number or one of \(e.values.joined(separator: ", ")))")
        }
        let start = position
        guard isNumberStart else { throw .invalidField(field.jsonName, "expected an enum number or name") }
        try skipNumber()
        guard let number = Int32(String(decoding: input[start..<position], as: UTF8.self)) else {
            throw .invalidField(field.jsonName, "expected an enum number or name")
        }
        return number
    }

    private mutating func readArray<M>(_ field: WireField<M>,
                                       _ element: (inout JSONReader, Int) throws(WireDecodingError) -> Void)
        throws(WireDecodingError)
    {
        guard peek == UInt8(ascii: "[") else { throw .invalidField(field.jsonName, "expected an array") }
        try enter()
        position += 1
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return
        }
        var index = 0
        while true {
            skipWhitespace()
            try element(&self, index)
            index += 1
            skipWhitespace()
            if peek == UInt8(ascii: ",") {
                position += 1
                continue
            }
            try expect(UInt8(ascii: "]"))
            depth -= 1
            return
        }
    }

    // MARK: - JSON grammar

    var atEnd: Bool { position >= input.count }
    var peek: UInt8 { position < input.count ? input[position] : 0 }
    /// Whether a JSON number starts here (a value of another type belongs to no integer field).
    private var isNumberStart: Bool { peek == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(peek) }

    mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func enter() throws(WireDecodingError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw malformed("nesting deeper than \(Self.maxDepth) levels") }
    }

    private mutating func expect(_ byte: UInt8) throws(WireDecodingError) {
        guard peek == byte else {
            throw malformed(atEnd ? "unexpected end of input, expected '\(Character(Unicode.Scalar(byte)))'"
                                  : "expected '\(Character(Unicode.Scalar(byte)))'")
        }
        position += 1
    }

    func malformed(_ what: String) -> WireDecodingError {
        WireDecodingError("malformed JSON: \(what) at byte \(position)")
    }

    private mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard position + n <= input.count else { return false }
        let matches = literal.withUTF8Buffer { lit in
            (0..<n).allSatisfy { input[position + $0] == lit[$0] }
        }
        if matches { position += n }
        return matches
    }

    /// A string's contents (escapes resolved).
    private mutating func readString() throws(WireDecodingError) -> StringToken {
        try expect(UInt8(ascii: "\""))
        let start = position
        // Fast path: no escapes.
        while position < input.count {
            let c = input[position]
            if c == UInt8(ascii: "\"") {
                position += 1
                return .raw(start..<(position - 1))
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw malformed("control character in a string") }
            position += 1
        }
        var out = [UInt8](UnsafeRawBufferPointer(rebasing: input[start..<position]))
        while position < input.count {
            let c = input[position]
            position += 1
            switch c {
            case UInt8(ascii: "\""):
                return .unescaped(out)
            case UInt8(ascii: "\\"):
                guard position < input.count else { break }
                let e = input[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try readHex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard consumeLiteral("\\u") else { throw malformed("unpaired surrogate") }
                        let low = try readHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw malformed("unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let s = Unicode.Scalar(scalar) else { throw malformed("invalid \\u escape") }
                    out.append(contentsOf: String(Character(s)).utf8)
                default:
                    throw malformed("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
                }
            default:
                if c < 0x20 { throw malformed("control character in a string") }
                out.append(c)
            }
        }
        throw malformed("unterminated string")
    }

    private mutating func readHex4() throws(WireDecodingError) -> UInt32 {
        guard position + 4 <= input.count else { throw malformed("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let n = Self.nibble(input[position]) else { throw malformed("invalid \\u escape") }
            value = value << 4 | UInt32(n)
            position += 1
        }
        return value
    }

    /// Skips a number, checking the JSON grammar.
    private mutating func skipNumber() throws(WireDecodingError) {
        let start = position
        if peek == UInt8(ascii: "-") { position += 1 }
        func digits(_ r: inout JSONReader) -> Int {
            let s = r.position
            while r.position < r.input.count, r.input[r.position] >= UInt8(ascii: "0"), r.input[r.position] <= UInt8(ascii: "9") {
                r.position += 1
            }
            return r.position - s
        }
        guard digits(&self) > 0 else { position = start; throw malformed("expected a value") }
        if peek == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw malformed("invalid number") }
        }
        if peek | 0x20 == UInt8(ascii: "e") {
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { throw malformed("invalid number") }
        }
    }

    /// Skips any JSON value (an unknown field's).
    private mutating func skipValue() throws(WireDecodingError) {
        switch peek {
        case UInt8(ascii: "\""):
            _ = try readString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = peek == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            let isObject = close == UInt8(ascii: "}")
            try enter()
            position += 1
            skipWhitespace()
            if peek == close {
                position += 1
                depth -= 1
                return
            }
            while true {
                skipWhitespace()
                if isObject {
                    _ = try readString()
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    skipWhitespace()
                }
                try skipValue()
                skipWhitespace()
                if peek == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                try expect(close)
                depth -= 1
                return
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            guard consumeLiteral("true") || consumeLiteral("false") || consumeLiteral("null") else {
                throw malformed("expected a value")
            }
        default:
            try skipNumber()
        }
    }
}

extension WireField {
    /// Whether a JSON key names this field (its JSON name or its proto name).
    func matches(_ key: UnsafeRawBufferPointer) -> Bool {
        jsonName.utf8.elementsEqual(key) || (name != jsonName && name.utf8.elementsEqual(key))
    }
}
