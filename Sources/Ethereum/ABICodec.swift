/// Solidity ABI encoding (`abi.encode`, `abi.encodePacked`, calldata) and strict decoding.
///
/// `encode([v1, v2, ...])` is `abi.encode(v1, v2, ...)`: the values laid out as one parameter list.
/// `abi.encode(someStruct)` is therefore `encode([.tuple(fields)])`, which for a dynamic struct
/// starts with the offset word 0x20.
///
/// Decoding is strict: it accepts exactly the bytes the encoder produces, so that
/// `decode(types, from: x)` succeeding implies `encode(result) == x`. Every rejection carries
/// a specific `ABIDecodingError`; no input makes it trap, and it never allocates more than the
/// input's size for a length it read from the input.
public enum ABI {
    // MARK: Encoding

    /// `abi.encode(values...)`.
    public static func encode(_ values: [ABIValue]) -> [UInt8] {
        var out = [UInt8]()
        appendTuple(values, to: &out)
        return out
    }

    /// Function calldata: the 4-byte selector followed by `abi.encode(arguments...)`.
    public static func encodeCall(selector: [UInt8], arguments: [ABIValue]) -> [UInt8] {
        precondition(selector.count == 4, "a function selector has 4 bytes")
        return selector + encode(arguments)
    }

    /// `abi.encodePacked(values...)`: each basic value in its natural width, without padding;
    /// `bytes` raw. (Solidity has no packed tuples; a tuple here is packed member by member.)
    public static func encodePacked(_ values: [ABIValue]) -> [UInt8] {
        var out = [UInt8]()
        for value in values {
            switch value {
            case .uint64(let number): appendBigEndian(number, to: &out)
            case .uint256(let number): out += number.bigEndianBytes
            case .address(let address): out += address.bytes
            case .bytes32(let word): out += word.bytes
            case .bool(let flag): out.append(flag ? 1 : 0)
            case .bytes(let bytes): out += bytes
            case .tuple(let members): out += encodePacked(members)
            }
        }
        return out
    }

    /// First 4 bytes of keccak256 of a canonical function signature, e.g. "submitResult(bytes,bytes)".
    public static func selector(_ signature: String) -> [UInt8] {
        Array(Keccak256.hash(utf8: signature).bytes.prefix(4))
    }

    /// topic0 of an event: keccak256 of its canonical signature.
    public static func eventTopic(_ signature: String) -> Bytes32 {
        Keccak256.hash(utf8: signature)
    }

    private static func appendTuple(_ values: [ABIValue], to out: inout [UInt8]) {
        let headSize = values.reduce(0) { $0 + $1.type.headSize }
        var head = [UInt8]()
        head.reserveCapacity(headSize)
        var tail = [UInt8]()
        for value in values {
            if value.isDynamic {
                appendBigEndianWord(UInt64(headSize + tail.count), to: &head)
                appendDynamic(value, to: &tail)
            } else {
                appendStatic(value, to: &head)
            }
        }
        out += head
        out += tail
    }

    private static func appendStatic(_ value: ABIValue, to out: inout [UInt8]) {
        switch value {
        case .uint64(let number): appendBigEndianWord(number, to: &out)
        case .uint256(let number): out += number.bigEndianBytes
        case .address(let address):
            out += [UInt8](repeating: 0, count: 12)
            out += address.bytes
        case .bytes32(let word): out += word.bytes
        case .bool(let flag): appendBigEndianWord(flag ? 1 : 0, to: &out)
        case .tuple(let members): appendTuple(members, to: &out)
        case .bytes: appendDynamic(value, to: &out)  // not reached: bytes is dynamic
        }
    }

    private static func appendDynamic(_ value: ABIValue, to out: inout [UInt8]) {
        switch value {
        case .bytes(let bytes):
            appendBigEndianWord(UInt64(bytes.count), to: &out)
            out += bytes
            out += [UInt8](repeating: 0, count: (32 - bytes.count % 32) % 32)
        case .tuple(let members):
            appendTuple(members, to: &out)
        default:
            appendStatic(value, to: &out)  // not reached: only bytes and tuples are dynamic
        }
    }

    private static func appendBigEndian(_ number: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: number >> UInt64(shift)))
        }
    }

    private static func appendBigEndianWord(_ number: UInt64, to out: inout [UInt8]) {
        out += [UInt8](repeating: 0, count: 24)
        appendBigEndian(number, to: &out)
    }

    // MARK: Decoding

    /// Strictly decodes `abi.encode(values...)` of the given types.
    public static func decode(_ types: [ABIType], from data: [UInt8]) throws(ABIDecodingError) -> [ABIValue] {
        let reader = StrictReader(data: data)
        let (values, size) = try reader.tuple(types, base: 0)
        guard size == data.count else { throw .trailingData(at: size, count: data.count - size) }
        return values
    }

    /// Strictly decodes calldata for a function with this selector and parameter types.
    public static func decodeCall(selector: [UInt8], types: [ABIType], from calldata: [UInt8]) throws(ABIDecodingError) -> [ABIValue] {
        guard calldata.count >= 4 else { throw .truncated(at: 0, needed: 4, available: calldata.count) }
        let found = Array(calldata[0..<4])
        guard found == selector else { throw .wrongSelector(expected: selector, found: found) }
        return try decode(types, from: Array(calldata[4...]))
    }
}

/// Reads one canonical ABI encoding. `limit` is the end of the data (offsets of nested values are
/// relative to the start of their enclosing tuple, but all bounds checks are against `limit`).
private struct StrictReader {
    let data: [UInt8]
    var limit: Int { data.count }

    /// Decodes a tuple whose head starts at `base`; returns the values and the tuple's total size
    /// (head plus tails).
    func tuple(_ types: [ABIType], base: Int) throws(ABIDecodingError) -> ([ABIValue], Int) {
        let headSize = types.reduce(0) { $0 + $1.headSize }
        let available = limit - base
        guard headSize <= available else { throw .truncated(at: base, needed: headSize, available: available) }

        var values = [ABIValue]()
        values.reserveCapacity(types.count)
        var headPosition = base
        var size = headSize  // grows by each tail, which must follow one another without gaps
        for type in types {
            if type.isDynamic {
                let offset = try offsetWord(at: headPosition, available: available)
                guard offset == size else { throw .nonCanonicalOffset(at: headPosition, expected: size, found: offset) }
                let (value, tailSize) = try dynamicValue(type, at: base + offset)
                values.append(value)
                size += tailSize
            } else {
                values.append(try staticValue(type, at: headPosition))
            }
            headPosition += type.headSize
        }
        return (values, size)
    }

    /// An offset word, as an Int no larger than `available`.
    private func offsetWord(at position: Int, available: Int) throws(ABIDecodingError) -> Int {
        let word = self.word(at: position)
        guard let offset = word.uint64Value, offset <= UInt64(available) else {
            throw .offsetOutOfRange(at: position, offset: word, available: available)
        }
        return Int(offset)
    }

    private func dynamicValue(_ type: ABIType, at position: Int) throws(ABIDecodingError) -> (ABIValue, Int) {
        switch type {
        case .bytes:
            guard limit - position >= 32 else { throw .truncated(at: position, needed: 32, available: limit - position) }
            let lengthWord = word(at: position)
            let start = position + 32
            let available = limit - start
            // Checked against the data before anything is allocated for it.
            guard let length64 = lengthWord.uint64Value, length64 <= UInt64(available) else {
                throw .lengthOutOfRange(at: position, length: lengthWord, available: available)
            }
            let length = Int(length64)
            let padded = (length + 31) / 32 * 32
            guard padded <= available else { throw .truncated(at: start, needed: padded, available: available) }
            if let dirty = data[(start + length)..<(start + padded)].firstIndex(where: { $0 != 0 }) {
                throw .dirtyPadding(at: dirty, type: .bytes)
            }
            return (.bytes(Array(data[start..<(start + length)])), 32 + padded)
        case .tuple(let members):
            let (values, size) = try tuple(members, base: position)
            return (.tuple(values), size)
        case .uint64, .uint256, .address, .bytes32, .bool:
            // Static types never sit behind an offset; decode in place for completeness.
            guard limit - position >= type.headSize else {
                throw .truncated(at: position, needed: type.headSize, available: limit - position)
            }
            return (try staticValue(type, at: position), type.headSize)
        }
    }

    /// A static value in a head that the caller has already bounds-checked.
    private func staticValue(_ type: ABIType, at position: Int) throws(ABIDecodingError) -> ABIValue {
        switch type {
        case .uint64:
            try requireZero(position..<(position + 24), type: type)
            return .uint64(word(at: position).limbs.3)
        case .uint256:
            return .uint256(word(at: position))
        case .address:
            try requireZero(position..<(position + 12), type: type)
            return .address(Address(uncheckedBytes: Array(data[(position + 12)..<(position + 32)])))
        case .bytes32:
            return .bytes32(Bytes32(uncheckedBytes: Array(data[position..<(position + 32)])))
        case .bool:
            try requireZero(position..<(position + 31), type: type)
            let last = data[position + 31]
            guard last <= 1 else { throw .invalidBool(at: position + 31, value: last) }
            return .bool(last == 1)
        case .tuple(let members):
            return .tuple(try tuple(members, base: position).0)
        case .bytes:
            return try dynamicValue(type, at: position).0  // not reached: bytes is dynamic
        }
    }

    private func requireZero(_ range: Range<Int>, type: ABIType) throws(ABIDecodingError) {
        if let dirty = data[range].firstIndex(where: { $0 != 0 }) {
            throw .dirtyPadding(at: dirty, type: type)
        }
    }

    private func word(at position: Int) -> UInt256 {
        UInt256(uncheckedBigEndianBytes: data[position..<(position + 32)])
    }
}
