import Foundation
import Synchronization
import ZKVM

/// Loaded (validated, pre-decoded) programs by ID, shared by intake and workers. Programs are
/// immutable, so one instance serves every concurrent execution.
final class ProgramCache: Sendable {
    private let programs = Mutex<[[UInt8]: Program]>([:])

    func get(_ id: [UInt8]) -> Program? { programs.withLock { $0[id] } }

    func put(_ program: Program) { programs.withLock { $0[program.id.bytes] = program } }
}
