import Coprocessor
import Foundation

// Core `Job` -> wire `JobResult`. Every JobResult field is filled; the inputs the core keeps beside
// them (offchain input, state, request bytes, signer) are not part of the wire message.

extension CoprocessorNode_V1_JobResult {
    public init(_ job: Job) {
        self.init()
        id = Data(job.id.bytes)
        nonce = job.nonce
        maxCycles = job.maxCycles
        consumerAddress = Data(job.consumer.bytes)
        programID = Data(job.programID)
        onchainInput = Data(job.onchainInput)
        offchainInputHash = Data(job.offchainInputHash.bytes)
        stateHash = Data(job.stateHash.bytes)
        requestSignature = Data(job.requestSignature)
        resultWithMetadata = Data(job.resultWithMetadata)
        zkvmOperatorSignature = Data(job.operatorSignature)
        status = CoprocessorNode_V1_JobStatus(job)
        relayTxHash = Data(job.relayTxHash)
    }
}

extension CoprocessorNode_V1_JobStatus {
    public init(_ job: Job) {
        self.init()
        status = CoprocessorNode_V1_JobStatusType(job.status)
        // proto3 `optional`: absent unless the core recorded a reason.
        if let reason = job.failureReason { failureReason = reason }
        retries = job.retries
    }
}

extension CoprocessorNode_V1_JobStatusType {
    public init(_ status: JobStatusType) {
        switch status {
        case .unspecified: self = .unspecified
        case .pending: self = .pending
        case .done: self = .done
        case .failed: self = .failed
        case .relayed: self = .relayed
        }
    }
}
