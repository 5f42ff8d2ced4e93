import CoprocessorWire
import Ethereum

/// An offchain job as an app builds it: what to run, on which inputs, for which consumer contract.
/// `signed(by:)` turns it into the `SubmitJobRequest` a node takes: the ABI-encoded
/// `OffchainJobRequest` (with the keccak-256 hashes of the offchain input and state) and its
/// EIP-191 signature by the consumer's signer.
public struct JobRequest: Sendable, Hashable {
    /// Unique per consumer: the job ID is keccak256(abi.encodePacked(nonce, consumer)).
    public var nonce: UInt64
    public var maxCycles: UInt64
    public var consumer: Address
    public var programID: [UInt8]
    public var onchainInput: [UInt8]
    public var offchainInput: [UInt8]
    public var state: [UInt8]
    /// How the node relays the result onchain (ordered: in nonce order per consumer).
    public var relayStrategy: RelayStrategyType

    public init(nonce: UInt64, maxCycles: UInt64 = 1_000_000, consumer: Address, programID: [UInt8],
                onchainInput: [UInt8] = [], offchainInput: [UInt8] = [], state: [UInt8] = [],
                relayStrategy: RelayStrategyType = .unordered) {
        self.nonce = nonce
        self.maxCycles = maxCycles
        self.consumer = consumer
        self.programID = programID
        self.onchainInput = onchainInput
        self.offchainInput = offchainInput
        self.state = state
        self.relayStrategy = relayStrategy
    }

    /// The request the signature covers.
    public var offchainJobRequest: OffchainJobRequest {
        OffchainJobRequest(nonce: nonce, maxCycles: maxCycles, consumer: consumer, programID: programID,
                           onchainInput: onchainInput, offchainInputHash: Keccak256.hash(offchainInput),
                           stateHash: Keccak256.hash(state))
    }

    /// The job's ID, as the node and the contracts compute it.
    public var jobID: [UInt8] { offchainJobRequest.jobID.bytes }

    /// The SubmitJob request: the encoded request signed (EIP-191 personal message) by `signer`.
    public func signed(by signer: PrivateKey) throws(Secp256k1Error) -> SubmitJobRequest {
        let encoded = offchainJobRequest.abiEncoded()
        return SubmitJobRequest(request: encoded, signature: try signer.signPersonalMessage(encoded).bytes,
                                offchainInput: offchainInput, state: state, relayStrategy: relayStrategy)
    }
}
