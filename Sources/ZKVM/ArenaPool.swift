import CZKVM
import Synchronization

/// Reserved guest address windows, reused across executions: mapping a fresh 1.9 GiB window per
/// run would cost more than small jobs take to execute. Arenas come back reset (zeroed).
final class ArenaPool: Sendable {
    static let shared = ArenaPool(maxIdle: 32)

    private let idle: Mutex<[Arena]>
    private let maxIdle: Int

    init(maxIdle: Int) {
        self.idle = Mutex([])
        self.maxIdle = maxIdle
    }

    func withArena<T>(_ body: (OpaquePointer) throws(ExecutionError) -> T) throws(ExecutionError) -> T {
        let arena = idle.withLock { $0.popLast() } ?? Arena()
        guard let arena else {
            throw ExecutionError(kind: .host, message: "could not reserve guest memory (mmap failed)", pc: 0,
                                 cycles: 0, exitCode: 0, address: nil, word: nil, publicValues: [], stdout: "",
                                 stderr: "")
        }
        defer {
            let kept = idle.withLock { list -> Bool in
                guard list.count < maxIdle else { return false }
                list.append(arena)
                return true
            }
            if !kept { arena.free() }
        }
        return try body(arena.handle)
    }
}

/// One zkvm_arena. Not Sendable by itself; only ever used by one execution at a time.
struct Arena: @unchecked Sendable {
    let handle: OpaquePointer

    init?() {
        guard let handle = zkvm_arena_create() else { return nil }
        self.handle = handle
    }

    func free() { zkvm_arena_free(handle) }
}
