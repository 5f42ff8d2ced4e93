/// Writes the gateway's hottest responses (GetResult, SubmitJob) straight into bytes. Foundation's
/// JSONEncoder walks `Encodable` generically and costs several times the rest of a GetResult; the
/// output here is byte-for-byte what that encoder produces for these types (sorted keys, unescaped
/// slashes), which a test checks.
struct GatewayJSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func hex(_ value: [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        bytes.append(UInt8(ascii: "\""))
        digits.withUTF8Buffer { table in
            for b in value {
                bytes.append(table[Int(b >> 4)])
                bytes.append(table[Int(b & 15)])
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func decimal<T: BinaryInteger>(_ value: T) { bytes.append(contentsOf: String(value).utf8) }

    mutating func quotedDecimal(_ value: UInt64) {
        bytes.append(UInt8(ascii: "\""))
        decimal(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A JSON string with the escapes JSONEncoder uses.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "\""): raw(#"\""#)
            case UInt8(ascii: "\\"): raw(#"\\"#)
            case 0x08: raw(#"\b"#)
            case 0x0C: raw(#"\f"#)
            case 0x0A: raw(#"\n"#)
            case 0x0D: raw(#"\r"#)
            case 0x09: raw(#"\t"#)
            case 0..<0x20:
                let digits: StaticString = "0123456789abcdef"
                raw(#"\u00"#)
                digits.withUTF8Buffer { t in
                    bytes.append(t[Int(b >> 4)])
                    bytes.append(t[Int(b & 15)])
                }
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension GatewayJSON.JobResult {
    /// The object's keys in sorted order, as `encode(to:)` with sorted keys writes them.
    func write(_ w: inout GatewayJSONWriter) {
        w.raw(#"{"consumerAddress":"#); w.hex(consumerAddress)
        w.raw(#","id":"#); w.hex(id)
        w.raw(#","maxCycles":"#); w.quotedDecimal(maxCycles)
        w.raw(#","nonce":"#); w.quotedDecimal(nonce)
        w.raw(#","offchainInputHash":"#); w.hex(offchainInputHash)
        w.raw(#","onchainInput":"#); w.hex(onchainInput)
        w.raw(#","programId":"#); w.hex(programID)
        w.raw(#","relayTxHash":"#); w.hex(relayTxHash)
        w.raw(#","requestSignature":"#); w.hex(requestSignature)
        w.raw(#","resultWithMetadata":"#); w.hex(resultWithMetadata)
        w.raw(#","stateHash":"#); w.hex(stateHash)
        if let status {
            w.raw(#","status":{"#)
            if let reason = status.failureReason {
                w.raw(#""failureReason":"#); w.string(reason); w.raw(",")
            }
            w.raw(#""retries":"#); w.decimal(status.retries)
            w.raw(#","status":"#); w.decimal(status.status)
            w.raw("}")
        }
        w.raw(#","zkvmOperatorSignature":"#); w.hex(zkvmOperatorSignature)
        w.raw("}")
    }
}

extension GatewayJSON.GetResultResponse {
    var jsonBytes: [UInt8] {
        var w = GatewayJSONWriter(capacity: 256 + 2 * ((jobResult?.resultWithMetadata.count ?? 0)
                                                       + (jobResult?.onchainInput.count ?? 0)))
        w.raw("{")
        if let jobResult {
            w.raw(#""jobResult":"#)
            jobResult.write(&w)
        }
        w.raw("}")
        return w.bytes
    }
}

extension GatewayJSON.SubmitJobResponse {
    var jsonBytes: [UInt8] {
        var w = GatewayJSONWriter(capacity: 80)
        w.raw(#"{"jobId":"#)
        w.hex(jobID)
        w.raw("}")
        return w.bytes
    }
}
