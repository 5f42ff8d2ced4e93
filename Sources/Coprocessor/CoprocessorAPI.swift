import Ethereum

/// The node's calls, independent of any transport. The gRPC service and the JSON gateway are thin
/// adapters over one implementation of this protocol; both map `NodeError.code` to their status.
public protocol CoprocessorAPI: Sendable {
    /// Validates the ELF, stores it and returns its 32-byte program ID (idempotent).
    func submitProgram(elf: [UInt8], vmType: Int) async throws(NodeError) -> [UInt8]
    /// Validates a signed offchain job request, stores it durably as PENDING, queues it and
    /// returns the 32-byte job ID.
    func submitJob(request: [UInt8], signature: [UInt8], offchainInput: [UInt8], state: [UInt8])
        async throws(NodeError) -> [UInt8]
    /// The stored job, in any status.
    func getResult(jobID: [UInt8]) async throws(NodeError) -> Job
    /// Nonces of the consumer's PENDING jobs, ascending.
    func getPendingJobs(consumer: [UInt8]) async throws(NodeError) -> [UInt64]
    /// Whether a program with this ID has been submitted.
    func containsProgram(programID: [UInt8]) async throws(NodeError) -> Bool
}
