/// Reads the members of a decoded tuple in order, for the typed structs.
///
/// The strict decoder returns values of exactly the types it was asked for, so a mismatch here is
/// a bug in this module (a struct's `abiType` disagreeing with its decoding), never bad input.
struct ABIFields {
    private let values: [ABIValue]
    private var index = 0

    /// The members of the single tuple in `decoded` (the result of decoding `[.tuple(...)]`).
    init(singleTuple decoded: [ABIValue]) {
        guard decoded.count == 1, case .tuple(let members) = decoded[0] else {
            preconditionFailure("expected one decoded tuple, got \(decoded)")
        }
        values = members
    }

    init(_ values: [ABIValue]) {
        self.values = values
    }

    private mutating func next() -> ABIValue {
        precondition(index < values.count, "fewer decoded values than the layout has members")
        defer { index += 1 }
        return values[index]
    }

    mutating func uint64() -> UInt64 {
        guard case .uint64(let value) = next() else { preconditionFailure("layout mismatch: expected uint64") }
        return value
    }

    mutating func address() -> Address {
        guard case .address(let value) = next() else { preconditionFailure("layout mismatch: expected address") }
        return value
    }

    mutating func bytes32() -> Bytes32 {
        guard case .bytes32(let value) = next() else { preconditionFailure("layout mismatch: expected bytes32") }
        return value
    }

    mutating func bytes() -> [UInt8] {
        guard case .bytes(let value) = next() else { preconditionFailure("layout mismatch: expected bytes") }
        return value
    }
}
