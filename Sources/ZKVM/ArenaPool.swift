import CZKVM
import Synchronization

/// Guest memory of executions, and how much of it is kept between runs.
///
/// Every running execution holds one *arena*: a reserved address window the size of its guest
/// ABI's address space — 1.9 GiB (`0x7800_1000` bytes) for RV32 programs (SP1 v3–v5, RISC Zero)
/// and 1 TiB (2^40 bytes) once the arena has run an SP1 v6 (RV64) program. Reserving costs address
/// space, not memory: only the pages a guest touches are committed, and they are returned to the
/// kernel (`madvise(MADV_DONTNEED)`) when the run ends, so an idle arena holds no memory. Mapping a
/// fresh window per run would cost more than small programs take to execute, so finished arenas
/// are kept for reuse, up to `maxIdleArenas`.
///
/// Memory in use is therefore about the pages the running guests touch; address space is one
/// window per concurrent run plus the idle ones (check `ulimit -v` / `RLIMIT_AS` if you set it).
public enum GuestMemory {
    /// How many finished arenas are kept for reuse (default 32). Lowering it releases the extra
    /// idle arenas at once; 0 reserves and releases a window around every run.
    public static var maxIdleArenas: Int {
        get { ArenaPool.shared.maxIdle }
        set { ArenaPool.shared.setMaxIdle(newValue) }
    }

    /// How many arenas are idle (kept for reuse) now.
    public static var idleArenas: Int { ArenaPool.shared.idleCount }

    /// Releases every idle arena (their address space); later runs reserve new ones as needed.
    public static func releaseIdleArenas() { ArenaPool.shared.trim(to: 0) }
}

/// The arenas of `GuestMemory`: reserved guest address windows, reused across executions. Arenas
/// come back reset (zeroed).
final class ArenaPool: Sendable {
    static let shared = ArenaPool(maxIdle: 32)

    private struct State {
        var idle: [Arena] = []
        var maxIdle: Int
    }

    private let state: Mutex<State>

    init(maxIdle: Int) {
        precondition(maxIdle >= 0, "maxIdleArenas must not be negative")
        self.state = Mutex(State(maxIdle: maxIdle))
    }

    var maxIdle: Int { state.withLock { $0.maxIdle } }
    var idleCount: Int { state.withLock { $0.idle.count } }

    func setMaxIdle(_ limit: Int) {
        precondition(limit >= 0, "maxIdleArenas must not be negative")
        state.withLock { $0.maxIdle = limit }
        trim(to: limit)
    }

    /// Frees idle arenas beyond `limit` (outside the lock: munmap of a large window is not free).
    func trim(to limit: Int) {
        let extra = state.withLock { s -> [Arena] in
            guard s.idle.count > limit else { return [] }
            let cut = Array(s.idle[limit...])
            s.idle.removeSubrange(limit...)
            return cut
        }
        for arena in extra { arena.free() }
    }

    func withArena<T>(_ body: (OpaquePointer) throws(ExecutionError) -> T) throws(ExecutionError) -> T {
        let arena = state.withLock { $0.idle.popLast() } ?? Arena()
        guard let arena else {
            throw ExecutionError(kind: .host, message: "could not reserve guest memory (mmap failed)", pc: 0,
                                 cycles: 0, exitCode: 0, address: nil, word: nil, publicValues: [], stdout: "",
                                 stderr: "")
        }
        defer {
            let kept = state.withLock { s -> Bool in
                guard s.idle.count < s.maxIdle else { return false }
                s.idle.append(arena)
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
