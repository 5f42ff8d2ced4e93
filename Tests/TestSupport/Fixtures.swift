import CoprocessorClient
import CoprocessorWire
import Ethereum

/// Fixed public test keys (the ones of ../shared/eth/vectors.json; Hardhat's well-known accounts).
public enum TestKeys {
    /// InfinityVM's DEV_SECRET: the operator.
    public static let operatorKey = try! PrivateKey(hex: "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6")
    /// The vectors' offchain request signer (as hex for tools that take a key argument).
    public static let requestSignerHex = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"
    public static let requestSigner = try! PrivateKey(hex: requestSignerHex)
    public static let consumer = try! Address(hex: "0x5FbDB2315678afecb367f032d93F642f64180aa3")
}

/// A signed offchain job request.
public struct SignedJob: Sendable {
    public var request: OffchainJobRequest
    public var requestBytes: [UInt8]
    public var signature: [UInt8]
    public var offchainInput: [UInt8]
    public var state: [UInt8]

    /// Built and signed by the client library (`JobRequest.signed(by:)`).
    public init(nonce: UInt64, programID: [UInt8], onchainInput: [UInt8], offchainInput: [UInt8] = [],
                state: [UInt8] = [], maxCycles: UInt64 = 10_000_000, consumer: Address = TestKeys.consumer,
                signer: PrivateKey = TestKeys.requestSigner) {
        let job = JobRequest(nonce: nonce, maxCycles: maxCycles, consumer: consumer, programID: programID,
                             onchainInput: onchainInput, offchainInput: offchainInput, state: state)
        let submit = try! job.signed(by: signer)
        request = job.offchainJobRequest
        requestBytes = submit.request
        signature = submit.signature
        self.offchainInput = offchainInput
        self.state = state
    }

    public var jobID: [UInt8] { request.jobID.bytes }

    /// The SubmitJob call for this job.
    public var submitRequest: SubmitJobRequest {
        SubmitJobRequest(request: requestBytes, signature: signature, offchainInput: offchainInput, state: state)
    }

    /// The SubmitJob body for the HTTP gateway, bytes as 0x-prefixed hex (which the gateway reads
    /// as well as the integer arrays InfinityVM's clients send).
    public var gatewayBody: [String: String] {
        ["request": Hex.encode(requestBytes), "signature": Hex.encode(signature),
         "offchainInput": Hex.encode(offchainInput), "state": Hex.encode(state)]
    }
}

/// A `JobCreated` event, as the listener decodes it from the chain.
public func jobCreatedEvent(nonce: UInt64, programID: [UInt8], onchainInput: [UInt8], maxCycles: UInt64 = 1_000_000,
                            consumer: Address = TestKeys.consumer) -> JobCreatedEvent {
    JobCreatedEvent(jobID: JobID.compute(nonce: nonce, consumer: consumer), nonce: nonce, consumer: consumer,
                    maxCycles: maxCycles, programID: programID, onchainInput: onchainInput)
}
