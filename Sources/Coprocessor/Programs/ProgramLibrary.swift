import CoprocessorWire
import Ethereum
import Foundation
import Synchronization
import ZKVM

/// The one path from a program's bytes to a runnable `Program`: store → verify → parse → a cache
/// of loaded programs bounded by bytes. Intake (SubmitProgram, SubmitJob, onchain jobs) and the
/// workers all go through it, so a program evicted from the cache or left by a previous run is
/// loaded the same way everywhere.
final class ProgramLibrary: Sendable {
    private let store: JobStore
    private let cache: ProgramCache
    private let loadLimits: LoadLimits
    private let maxELFBytes: Int
    /// Loads in flight, so that many jobs of one evicted program read it from the store once.
    private let loading = Mutex<[[UInt8]: Task<Program?, any Error>]>([:])
    /// When each program was last submitted or handed to a job since the last `takeUses()`
    /// (retention writes them to the store now and then, not once per job); only noted when
    /// unused programs are pruned.
    private let uses = Mutex<[[UInt8]: Double]>([:])
    private let notesUses: Bool

    init(store: JobStore, cacheBytes: Int, loadLimits: LoadLimits, maxELFBytes: Int, notesUses: Bool = false) {
        self.store = store
        self.notesUses = notesUses
        self.cache = ProgramCache(budget: cacheBytes)
        self.loadLimits = loadLimits
        self.maxELFBytes = maxELFBytes
    }

    /// The engine's VM for a wire `vm_type` (the seed's numbering: 0 Risc0, 1 Sp1).
    static func guestVM(_ vmType: VmType) throws(NodeError) -> GuestVM {
        switch vmType {
        case .risc0: return .risc0
        case .sp1: return .sp1
        default:
            throw .invalidArgument("unknown vm_type (\(vmType.rawValue)): this node runs Risc0 (0) and Sp1 (1) programs")
        }
    }

    /// Checks and loads an ELF for `vmType` (SubmitProgram).
    func parse(elf: [UInt8], vmType: VmType) throws(NodeError) -> Program {
        let vm = try Self.guestVM(vmType)
        guard !elf.isEmpty else { throw .invalidArgument("program_elf is empty") }
        guard elf.count <= maxELFBytes else {
            throw .invalidArgument("program_elf is \(elf.count) bytes; the limit is \(maxELFBytes)")
        }
        do { return try Program(elf: elf, vm: vm, limits: loadLimits) } catch {
            throw .invalidArgument("invalid \(vm) program ELF: \(error.message)")
        }
    }

    /// Parses, stores and caches a program; `inserted` is false if it was stored already.
    func add(elf: [UInt8], vmType: VmType) async throws(NodeError) -> (program: Program, inserted: Bool) {
        let program = try parse(elf: elf, vmType: vmType)
        let inserted: Bool
        do {
            inserted = try await store.insertProgram(StoredProgram(id: program.id.bytes, elf: elf, vmType: vmType))
        } catch {
            throw .internal("storing the program failed: \(error)")
        }
        cache.put(program)
        noteUse(program.id.bytes)
        return (program, inserted)
    }

    private func noteUse(_ id: [UInt8]) {
        guard notesUses else { return }
        let now = Date().timeIntervalSince1970
        uses.withLock { $0[id] = now }
    }

    /// The uses noted since the last call (and forgets them).
    func takeUses() -> [[UInt8]: Double] { uses.withLock { uses in defer { uses = [:] }; return uses } }

    /// Gives back uses that could not be stored, keeping later ones noted meanwhile.
    func restoreUses(_ earlier: [[UInt8]: Double]) {
        uses.withLock { $0.merge(earlier) { later, _ in later } }
    }

    /// Forgets programs retention deleted from the store.
    func forget(_ ids: [[UInt8]]) { for id in ids { cache.remove(id) } }

    /// The program with this ID, loading it from the store if the cache does not hold it; nil if
    /// no such program is stored.
    func program(id: [UInt8]) async throws(NodeError) -> Program? {
        noteUse(id)
        if let program = cache.get(id) { return program }
        let task = loading.withLock { inFlight in
            if let task = inFlight[id] { return task }
            let task = Task { [store, cache, loadLimits] () throws -> Program? in
                guard let stored = try await store.program(id: id) else { return nil }
                let vm = try Self.guestVM(stored.vmType)
                let program: Program
                do throws(ProgramLoadError) { program = try Program(elf: stored.elf, vm: vm, limits: loadLimits) } catch {
                    throw NodeError.internal("stored program 0x\(Hex.encode(id, prefixed: false)) no longer loads: \(error.message)")
                }
                // The stored bytes must still be the program their ID names.
                guard program.id.bytes == id else {
                    throw NodeError.internal(
                        "stored program 0x\(Hex.encode(id, prefixed: false)) now has ID \(program.id); the engine's program ID changed")
                }
                cache.put(program)
                return program
            }
            inFlight[id] = task
            return task
        }
        defer { _ = loading.withLock { $0.removeValue(forKey: id) } }
        do {
            return try await task.value
        } catch let error as NodeError {
            throw error
        } catch {
            throw .internal("reading the program failed: \(error)")
        }
    }

    /// Whether the program is stored (without loading it).
    func contains(id: [UInt8]) async throws(NodeError) -> Bool {
        if cache.get(id) != nil { return true }
        do { return try await store.containsProgram(id: id) } catch {
            throw .internal("reading programs failed: \(error)")
        }
    }
}
