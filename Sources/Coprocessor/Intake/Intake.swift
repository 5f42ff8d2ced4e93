import CoprocessorWire
import Ethereum
import Foundation

/// The checks every job passes on its way in, whatever its origin. Offchain requests (SubmitJob)
/// and onchain `JobCreated` events become a `Job` here; `CoprocessorService` then stores and
/// queues both the same way.
struct Intake: Sendable {
    let signerPolicy: SignerPolicy
    let maxCyclesCap: UInt64
    let maxJobDataBytes: Int

    /// A signed offchain request: size, ABI, input hashes, signature, signer policy, limits.
    func offchainJob(_ submitted: SubmitJobRequest, now: Double) throws(NodeError) -> Job {
        // First, before any hashing: the data the node would store and hand to the guest.
        let dataBytes = submitted.offchainInput.count + submitted.state.count
        guard dataBytes <= maxJobDataBytes else {
            throw .invalidArgument("offchain_input and state are \(dataBytes) bytes together; this node's limit is "
                                   + "\(maxJobDataBytes)")
        }
        let request: OffchainJobRequest
        do { request = try OffchainJobRequest(abiEncoded: submitted.request) } catch {
            throw .invalidArgument("request is not an ABI-encoded OffchainJobRequest: \(error)")
        }
        do { try request.validate(offchainInput: submitted.offchainInput, state: submitted.state) } catch {
            throw .invalidArgument(error.description)
        }
        guard submitted.signature.count == 65 else {
            throw .invalidArgument("signature must be 65 bytes (r || s || v), got \(submitted.signature.count)")
        }
        let signer: Address
        do { signer = try Signature(bytes: submitted.signature).recoverPersonalMessageSigner(submitted.request) } catch {
            throw .invalidArgument("invalid request signature: \(error)")
        }
        guard let relayStrategy = RelayStrategy(rawValue: Int(submitted.relayStrategy.rawValue)) else {
            throw .invalidArgument("relay_strategy \(submitted.relayStrategy.rawValue) is not one of Unordered (0) and "
                                   + "Ordered (1)")
        }
        guard signerPolicy.permits(signer: signer, consumer: request.consumer) else {
            throw .permissionDenied("signer \(signer) is not allowed to submit jobs for consumer \(request.consumer)")
        }
        let job = Job(id: request.jobID, nonce: request.nonce, maxCycles: request.maxCycles, consumer: request.consumer,
                      programID: request.programID, onchainInput: request.onchainInput,
                      offchainInputHash: request.offchainInputHash, stateHash: request.stateHash,
                      requestSignature: submitted.signature, origin: .offchain, offchainInput: submitted.offchainInput,
                      state: submitted.state, request: submitted.request, signer: signer, createdAt: now,
                      relayStrategy: relayStrategy)
        try checkLimits(job)
        return job
    }

    /// An onchain job: it carries no offchain input, state or request signature; the contract has
    /// authorised it. `reason` is set when the node cannot run it (it is stored FAILED with it).
    func onchainJob(_ event: JobCreatedEvent, now: Double) -> (job: Job, reason: String?) {
        let empty = Keccak256.hash([])
        let job = Job(id: event.jobID, nonce: event.nonce, maxCycles: event.maxCycles, consumer: event.consumer,
                      programID: event.programID, onchainInput: event.onchainInput, offchainInputHash: empty,
                      stateHash: empty, requestSignature: [], origin: .onchain, offchainInput: [], state: [],
                      request: [], signer: nil, createdAt: now)
        if job.maxCycles == 0 { return (job, JobRequestValidationError.maxCyclesZero.description) }
        if job.programID.isEmpty { return (job, JobRequestValidationError.emptyProgramID.description) }
        do { try checkLimits(job) } catch { return (job, error.message) }
        return (job, nil)
    }

    /// This node's own limits.
    private func checkLimits(_ job: Job) throws(NodeError) {
        guard job.maxCycles <= maxCyclesCap else {
            throw .invalidArgument("max_cycles \(job.maxCycles) exceeds this node's limit of \(maxCyclesCap)")
        }
    }
}

/// How an onchain `JobCreated` event was taken.
public enum OnchainIntake: Sendable, Equatable {
    /// Stored PENDING and queued.
    case accepted
    /// Stored PENDING; it runs once its program is submitted, or fails when the wait runs out.
    case waitingForProgram
    /// A job with this ID is already stored (an event read again after a restart).
    case alreadyKnown
    /// The node cannot run it: stored FAILED with this reason, so GetResult shows why.
    case rejected(reason: String)
}
