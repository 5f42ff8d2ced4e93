import CoprocessorWire

/// The first byte picks the message; the rest is the request body. A body the reader accepts must
/// survive a round trip through the writer unchanged, and the writer's output must be read back
/// as the same message (any difference aborts, as a crash would).
func roundTrip<M: WireMessage>(_: M.Type, _ body: [UInt8]) {
    guard let message = try? JSONReader.decode(M.self, from: body) else { return }
    let written = JSONWriter.encode(message)
    guard let again = try? JSONReader.decode(M.self, from: written) else {
        fatalError("\(M.wireName): the writer's output does not read back: \(String(decoding: written, as: UTF8.self))")
    }
    guard again == message else {
        fatalError("\(M.wireName): round trip changed the message: \(String(decoding: written, as: UTF8.self))")
    }
}

let messages: [@Sendable ([UInt8]) -> Void] = [
    { roundTrip(SubmitJobRequest.self, $0) }, { roundTrip(SubmitJobResponse.self, $0) },
    { roundTrip(GetResultRequest.self, $0) }, { roundTrip(GetResultResponse.self, $0) },
    { roundTrip(SubmitProgramRequest.self, $0) }, { roundTrip(SubmitProgramResponse.self, $0) },
    { roundTrip(GetPendingJobsRequest.self, $0) }, { roundTrip(GetPendingJobsResponse.self, $0) },
    { roundTrip(ContainsProgramRequest.self, $0) }, { roundTrip(ContainsProgramResponse.self, $0) },
    { roundTrip(JobResult.self, $0) },
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    messages[Int(bytes[0]) % messages.count](Array(bytes.dropFirst()))
    return 0
}
