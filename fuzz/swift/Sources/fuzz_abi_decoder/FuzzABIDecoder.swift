import Ethereum

/// The first byte picks the decoder; the rest is the data. What decodes must encode to bytes that
/// decode to the same value (the encoding is canonical, the decoder may be lenient), else abort.
func check<T: Equatable>(_ name: String, _ value: T?, encode: (T) -> [UInt8], decode: ([UInt8]) throws -> T) {
    guard let value else { return }
    let encoded = encode(value)
    guard let again = try? decode(encoded) else { fatalError("\(name): its own encoding does not decode") }
    guard again == value else { fatalError("\(name): round trip changed the value") }
}

let decoders: [@Sendable ([UInt8]) -> Void] = [
    { data in
        check("OffchainJobRequest", try? OffchainJobRequest(abiEncoded: data), encode: { $0.abiEncoded() },
              decode: { try OffchainJobRequest(abiEncoded: $0) })
    },
    { data in
        check("ResultWithMetadata", try? ResultWithMetadata(abiEncoded: data), encode: { $0.abiEncoded() },
              decode: { try ResultWithMetadata(abiEncoded: $0) })
    },
    { data in
        check("OffchainResultWithMetadata", try? OffchainResultWithMetadata(abiEncoded: data), encode: { $0.abiEncoded() },
              decode: { try OffchainResultWithMetadata(abiEncoded: $0) })
    },
    { data in
        // Every static and dynamic type the node decodes, as one tuple.
        let types: [ABIType] = [.uint64, .address, .bytes32, .bytes, .uint256, .bool, .tuple([.uint64, .bytes])]
        check("tuple", try? ABI.decode(types, from: data), encode: { ABI.encode($0) },
              decode: { try ABI.decode(types, from: $0) })
    },
    { data in _ = try? JobManager.decodeSubmitResultCalldata(data) },
    { data in _ = try? JobManager.decodeSubmitResultForOffchainJobCalldata(data) },
    { data in
        // A JobCreated log: the first byte says how many 32-byte topics lead the data.
        guard let first = data.first else { return }
        let rest = Array(data.dropFirst())
        let count = min(Int(first) % 5, rest.count / 32)
        let topics = (0..<count).compactMap { try? Bytes32(Array(rest[$0 * 32..<$0 * 32 + 32])) }
        _ = try? JobCreatedEvent(topics: topics, data: Array(rest.dropFirst(count * 32)))
    },
    { data in _ = try? RLP.decode(data) },
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzABIDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    decoders[Int(bytes[0]) % decoders.count](Array(bytes.dropFirst()))
    return 0
}
