#ifndef ZKVM_CORE_H
#define ZKVM_CORE_H

// Public C interface of the zkVM core: ELF loading, program IDs and execution of SP1 guests, RV32IM
// (SP1 v3-v5, ELF32) and RV64IM (SP1 v6, ELF64), and, named by the caller, RISC Zero 1.x guests
// (RV32IM). The Swift module `ZKVM` wraps it; nothing here depends on Swift.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Guest address windows

// SP1 v3-v5 (RV32): word addresses 0x20 ..= 0x78000000.
#define ZKVM_MEM_LOWEST 0x00000020u
#define ZKVM_MEM_HIGHEST_WORD 0x78000000u
/// First byte address past the window (the word at 0x78000000 is addressable).
#define ZKVM_MEM_END 0x78000004u

// SP1 v6 (RV64): every address below 2^40; program segments start at 0x78000000 (STACK_TOP).
#define ZKVM_SP1_V6_MEM_END (1ull << 40)
#define ZKVM_SP1_V6_STACK_TOP 0x78000000ull

// MARK: - Programs

typedef struct zkvm_program zkvm_program;

/// Which guest ABI a program runs under. SP1: by the ELF class (ELF64: SP1 v6) and, for ELF32, the
/// I/O numbering detected from its `syscall_write`; RISC Zero: when the caller names it.
typedef enum zkvm_abi {
    ZKVM_ABI_UNKNOWN = 0,  ///< RV32 with no SP1 `syscall_write` found (e.g. our C SDK); v4 rules apply
    ZKVM_ABI_V3 = 3,       ///< sp1-zkvm <= 3.x: public values on fd 3, hints on fd 4
    ZKVM_ABI_V4 = 4,       ///< sp1-zkvm 4.x-5.x: public values on fd 13, hints on fd 14
    ZKVM_ABI_V6 = 6,       ///< sp1-zkvm 6.x: RV64IM (ELF64), SP1_V6_ABI.md
    ZKVM_ABI_RISC0_V1 = 100,  ///< RISC Zero 1.x as its 1.0.5 executor runs it (loaded with ZKVM_VM_RISC0)
} zkvm_abi;

typedef enum zkvm_load_status {
    ZKVM_LOAD_OK = 0,
    ZKVM_LOAD_NOT_ELF,
    ZKVM_LOAD_TRUNCATED,
    ZKVM_LOAD_WRONG_CLASS,
    ZKVM_LOAD_WRONG_ENDIANNESS,
    ZKVM_LOAD_WRONG_MACHINE,
    ZKVM_LOAD_WRONG_TYPE,
    ZKVM_LOAD_MISALIGNED_ENTRY,
    ZKVM_LOAD_ENTRY_NOT_EXECUTABLE,
    ZKVM_LOAD_NO_EXECUTABLE_SEGMENT,
    ZKVM_LOAD_MISALIGNED_SEGMENT,
    ZKVM_LOAD_OVERLAPPING_SEGMENTS,
    ZKVM_LOAD_SEGMENT_OUTSIDE_WINDOW,
    ZKVM_LOAD_IMAGE_TOO_LARGE,
    ZKVM_LOAD_TOO_MANY_SEGMENTS,
    ZKVM_LOAD_INVALID_SEGMENT,
    ZKVM_LOAD_OUT_OF_MEMORY,
    // SP1 v6's loader rules (ELF64):
    ZKVM_LOAD_UNDECODABLE_INSTRUCTION,  ///< a word of the text does not decode (SP1 v6 refuses to load)
    ZKVM_LOAD_WRITABLE_EXECUTABLE,      ///< a segment is both writable and executable
    ZKVM_LOAD_UNREADABLE_SEGMENT,       ///< a segment is not readable
    ZKVM_LOAD_NONCONTIGUOUS_TEXT,       ///< trusted executable segments do not follow each other
    ZKVM_LOAD_TOO_MANY_INSTRUCTIONS,    ///< more than 2^22 instructions
    ZKVM_LOAD_INVALID_NOTE,             ///< a SUCCINCT note with heap_end <= heap_start
} zkvm_load_status;

typedef struct zkvm_load_error {
    zkvm_load_status status;
    char message[256];
} zkvm_load_error;

/// The guest VM a caller names when loading. Nothing in an ELF tells the two apart (both put the
/// call number in t0, and HALT = 0 in both), so the caller chooses. This is the engine's own
/// numbering, not a wire format's (InfinityVM's seed proto has Risc0 = 0, Sp1 = 1).
typedef enum zkvm_vm {
    ZKVM_VM_SP1 = 0,    ///< SP1 (v3/v4 detected from the code): the default
    ZKVM_VM_RISC0 = 1,  ///< RISC Zero 1.x: its v1 loader rules, guest window, ecalls and user cycles
} zkvm_vm;

typedef struct zkvm_load_options {
    /// Cap on the sum of all PT_LOAD `p_memsz` (0 = default, 128 MiB).
    uint64_t max_image_bytes;
    /// Cap on the span of executable segments, which is pre-decoded (0 = default, 16 MiB).
    uint64_t max_text_bytes;
    /// The guest VM (0 = SP1). RISC Zero programs are loaded by RISC Zero v1's rules (see
    /// zkvm_risc0_image_id); their ID is the v1 image ID and max_image_bytes does not apply (the
    /// image holds only the file's bytes), max_text_bytes does.
    zkvm_vm vm;
} zkvm_load_options;

typedef struct zkvm_segment_info {
    uint64_t vaddr;
    uint64_t memsz;
    uint64_t filesz;  ///< bytes taken from the file (after trimming trailing zeros, see program ID)
    uint32_t flags;   ///< PF_X = 1, PF_W = 2, PF_R = 4, 8 = SP1 v6's PF_UNTRUSTED
} zkvm_segment_info;

/// Validates and loads an ELF: ELF32 by SP1 v3-v5's rules (ABI detected from the code), ELF64 by
/// SP1 v6.4.0's. On success `*out` owns an immutable program that may be shared by any number of
/// threads. Never crashes on arbitrary bytes.
zkvm_load_status zkvm_program_load(const uint8_t *elf, size_t len, const zkvm_load_options *options,
                                   zkvm_program **out, zkvm_load_error *error);
void zkvm_program_free(zkvm_program *program);

/// The program ID: SHA-256 of the canonical image serialization (README, "Program IDs").
void zkvm_program_id(const zkvm_program *program, uint8_t out[32]);
uint64_t zkvm_program_entry(const zkvm_program *program);
zkvm_abi zkvm_program_abi(const zkvm_program *program);
/// Register width of the program's ISA: 32 (RV32IM) or 64 (RV64IM).
unsigned zkvm_program_xlen(const zkvm_program *program);
/// Number of pre-decoded instruction slots (span of executable segments / 4).
uint32_t zkvm_program_text_words(const zkvm_program *program);
uint64_t zkvm_program_text_base(const zkvm_program *program);

/// SP1 v6's untrusted-program mode, turned on by the ELF's SUCCINCT note.
typedef struct zkvm_untrusted_info {
    int enabled;
    uint64_t heap_start, heap_end;  ///< where MPROTECT may change page permissions
    int has_trap_context;
    uint64_t trap_context;  ///< address of __SUCCINCT_TRAP_CONTEXT (handler, code, pc)
} zkvm_untrusted_info;
zkvm_untrusted_info zkvm_program_untrusted(const zkvm_program *program);
size_t zkvm_program_segment_count(const zkvm_program *program);
zkvm_segment_info zkvm_program_segment(const zkvm_program *program, size_t index);

// MARK: - Memory arenas

/// A reserved (lazily committed) guest address window. One arena serves one execution at a time;
/// reuse it across executions (it is reset after each one). It reserves the RV32 window and grows
/// to the RV64 one (2^40 bytes of address space, committed only where touched) on first use.
typedef struct zkvm_arena zkvm_arena;
zkvm_arena *zkvm_arena_create(void);
void zkvm_arena_free(zkvm_arena *arena);

// MARK: - Interrupting executions

/// A flag that stops the executions watching it (`zkvm_exec_options.interrupt`): once raised (from
/// any thread), each fails with ZKVM_ERR_INTERRUPTED at its next check — between chunks of 2^18
/// cycles and every 64 syscalls, so within about a millisecond of plain code or 64 precompile
/// calls. Raising is permanent; one flag may serve many executions (a node's shutdown).
typedef struct zkvm_interrupt zkvm_interrupt;
zkvm_interrupt *zkvm_interrupt_create(void);
void zkvm_interrupt_raise(zkvm_interrupt *flag);
int zkvm_interrupt_raised(const zkvm_interrupt *flag);
void zkvm_interrupt_free(zkvm_interrupt *flag);

// MARK: - Execution

typedef struct zkvm_bytes {
    const uint8_t *data;
    size_t len;
} zkvm_bytes;

/// The execution tier that runs a program's instructions. Both give identical results (cycles,
/// outputs, every failure with its message and pc, cycle-limit behaviour); the JIT is faster.
typedef enum zkvm_engine {
    /// The JIT where it is available, for programs already translated and for runs long enough to
    /// pay for a translation (the first ones start on the interpreter and switch); else the
    /// interpreter.
    ZKVM_ENGINE_AUTO = 0,
    /// The threaded interpreter only.
    ZKVM_ENGINE_INTERPRETER = 1,
    /// The JIT from the first instruction (translating the program first if needed); where it is
    /// unavailable (not an x86-64 host, executable memory refused) the interpreter runs and
    /// zkvm_result.engine_note says why.
    ZKVM_ENGINE_JIT = 2,
} zkvm_engine;

typedef struct zkvm_exec_options {
    /// A run of N cycles succeeds iff N <= max_cycles (SP1: instructions; RISC Zero: user
    /// cycles, its session limit). UINT64_MAX = unlimited.
    uint64_t max_cycles;
    /// Public values larger than this fail the run (0 = default, 64 MiB).
    size_t max_public_values_bytes;
    /// stdout / stderr are captured up to this many bytes each, then truncated (0 = default, 1 MiB).
    size_t max_log_bytes;
    /// Total bytes the guest may push into its own input stream via hints and hooks
    /// (0 = default, 256 MiB).
    size_t max_hint_bytes;
    /// RISC Zero SYS_RANDOM: the run's random bytes are derived from this seed alone (the node
    /// passes the job ID), so every re-execution gets the same bytes. The stream is
    /// SHA-256("risc0.SYS_RANDOM" || seed || LE64(i)) for i = 0, 1, 2, ..., concatenated; each
    /// SYS_RANDOM call takes the next 4 * a1 bytes of it. Unused by SP1 programs.
    uint8_t random_seed[32];
    /// Memory the execution may commit: guest pages it touches (4 KiB each) and host buffers,
    /// checked every 2^18 cycles (0 = default, 4 GiB).
    uint64_t max_memory_bytes;
    /// Host-side stops (NULL / 0 = none), checked as `zkvm_interrupt` says: a raised `interrupt`
    /// fails the run with ZKVM_ERR_INTERRUPTED; a run still going `max_wall_ns` nanoseconds after
    /// it started fails with ZKVM_ERR_TIME_LIMIT. Neither is a property of the program: a node
    /// uses them to bound a job's wall time and to stop promptly at shutdown.
    const zkvm_interrupt *interrupt;
    uint64_t max_wall_ns;
    /// The execution tier (0 = ZKVM_ENGINE_AUTO). Unconstrained blocks and SP1 v6's untrusted
    /// mode always run on the interpreter.
    zkvm_engine engine;
    /// The work budget (README "Work metering"): units of host work the run's syscalls may cost
    /// (precompiles, hooks, I/O by length, discarded unconstrained blocks), one unit being about
    /// one interpreted instruction. Past it the run fails with ZKVM_ERR_WORK_LIMIT, at the same
    /// call on every machine and tier. 0 = the default, zkvm_default_max_work(max_cycles);
    /// UINT64_MAX = none. The cycle count is unaffected.
    uint64_t max_work;
    /// For differential tests (NULL / 0 = unused): x0..x31 at the end of the run (zero-extended),
    /// and a copy of guest memory [snapshot_addr, snapshot_addr + snapshot_len) at the end (left
    /// untouched if the range is not inside the guest window).
    uint64_t *final_regs;
    uint64_t snapshot_addr, snapshot_len;
    uint8_t *snapshot;
} zkvm_exec_options;

typedef enum zkvm_status {
    ZKVM_OK = 0,
    ZKVM_ERR_CYCLE_LIMIT,            ///< cycles = max_cycles (instructions executed)
    ZKVM_ERR_MEMORY_ACCESS,          ///< addr = faulting address; misaligned or outside the window
    ZKVM_ERR_ILLEGAL_INSTRUCTION,    ///< word = instruction word that does not decode as RV32IM
    ZKVM_ERR_UNIMPLEMENTED,          ///< word = CSR / FENCE / MRET / WFI / UNIMP (SP1 `Unimplemented`)
    ZKVM_ERR_BREAKPOINT,             ///< EBREAK
    ZKVM_ERR_EXIT_CODE,              ///< exit_code != 0; stderr holds the guest's message
    ZKVM_ERR_UNSUPPORTED_SYSCALL,    ///< word = syscall code
    ZKVM_ERR_STDIN_EXHAUSTED,        ///< guest read more stdin items than were given
    ZKVM_ERR_END_IN_UNCONSTRAINED,   ///< halted inside an unconstrained block
    ZKVM_ERR_INVALID_SYSCALL_USAGE,  ///< syscall not allowed in unconstrained mode
    ZKVM_ERR_SYSCALL,                ///< a syscall/precompile rejected its arguments (message names it)
    ZKVM_ERR_DIGEST_MISMATCH,        ///< committed digest words != SHA-256(public values)
    ZKVM_ERR_INVALID_JUMP,           ///< addr = target outside the program text or misaligned
    ZKVM_ERR_OUTPUT_LIMIT,           ///< public values or hint stream over its cap
    ZKVM_ERR_HOST,                   ///< host resource failure (allocation)
    ZKVM_ERR_GUEST_PANIC,            ///< RISC Zero SYS_PANIC: message = "Guest panicked: <msg>"
    ZKVM_ERR_MEMORY_LIMIT,           ///< the execution committed more memory than max_memory_bytes
    ZKVM_ERR_INTERRUPTED,            ///< the host raised the run's zkvm_interrupt
    ZKVM_ERR_TIME_LIMIT,             ///< the run took longer than max_wall_ns
    ZKVM_ERR_WORK_LIMIT,             ///< the syscalls' host work passed max_work; word = the call's code
} zkvm_status;

/// The default work budget: ZKVM_WORK_BASE + ZKVM_WORK_PER_CYCLE units per cycle of max_cycles
/// (saturating at UINT64_MAX, which is no budget). A run that spends its whole cycle allowance on
/// ordinary instructions does at most about one unit of work per cycle, so it never reaches the
/// budget; a loop of expensive calls stops after about ZKVM_WORK_PER_CYCLE times the host time of
/// max_cycles ordinary instructions. README "Work metering" says how the constants were chosen.
#define ZKVM_WORK_PER_CYCLE 32u
#define ZKVM_WORK_BASE 100000000ull
uint64_t zkvm_default_max_work(uint64_t max_cycles);

typedef enum zkvm_exit_kind {
    ZKVM_EXIT_HALTED = 0,  ///< SP1 HALT; RISC Zero Halted(n) (HALT with halt type TERMINATE)
    ZKVM_EXIT_PAUSED = 1,  ///< RISC Zero Paused(n) (halt type PAUSE)
} zkvm_exit_kind;

/// A cycle-tracker region (SP1's `cycle-tracker-start: NAME` / `cycle-tracker-end: NAME` lines on
/// fd 1, and the `-report-` pair; README "Writing and profiling guests"): a name under the region
/// that was open when it started, its hits summed.
typedef struct zkvm_region {
    const char *name;        ///< owned by the result
    int32_t parent;          ///< index of the enclosing region in zkvm_result.regions, -1 at the top
    uint32_t depth;          ///< 0 at the top
    uint64_t cycles;         ///< sum over its hits of (cycles before the end WRITE - before the start WRITE)
    uint64_t hits;           ///< completed start/end pairs (0: started, never ended)
    uint64_t report_cycles;  ///< the part ended by `cycle-tracker-report-end` (SP1's ExecutionReport.cycle_tracker)
    uint64_t report_hits;    ///< SP1's invocation_tracker
} zkvm_region;

typedef struct zkvm_result {
    zkvm_status status;
    /// Instructions executed (SP1 `global_clk`): unconstrained blocks count zero; a failing
    /// HALT is not counted; on a fault, the instructions completed before it. RISC Zero programs:
    /// user cycles (RISC Zero's cost table and ecall extras), with the same rules.
    uint64_t cycles;
    uint64_t pc;         ///< pc of the instruction that stopped the run
    uint32_t exit_code;  ///< a0 of HALT (SP1 v6: not an error when non-zero, the caller decides;
                         ///< RISC Zero: the user exit code, (a0 >> 8) & 0xff)
    uint64_t addr;       ///< faulting / jump address, where relevant
    uint32_t word;       ///< instruction word or syscall code, where relevant
    char message[512];   ///< human-readable detail of the error ("" on success)

    /// Outputs, owned by the result (release with zkvm_result_free).
    uint8_t *public_values;
    size_t public_values_len;
    uint8_t *stdout_data;
    size_t stdout_len;
    uint8_t *stderr_data;
    size_t stderr_len;
    /// 1 if the guest committed its public-values digest (and it matched).
    int digest_committed;
    /// How the guest stopped (successful runs): ZKVM_EXIT_HALTED, or ZKVM_EXIT_PAUSED for a RISC
    /// Zero pause. exit_code is then RISC Zero's user exit code ((a0 >> 8) & 0xff).
    uint32_t exit_kind;
    /// RISC Zero: the 32 bytes at a1 of HALT (the output digest). The journal (public_values) is
    /// the guest's fd-3 bytes when this is non-zero and empty when it is zero, as in RISC Zero.
    uint8_t output_digest[32];
    /// The tier that ran the instructions: ZKVM_ENGINE_JIT if the JIT ran any of them (an auto run
    /// may start on the interpreter), else ZKVM_ENGINE_INTERPRETER.
    zkvm_engine engine;
    /// Nanoseconds this call spent translating the program for the JIT (0 if it was translated
    /// before, or not at all).
    uint64_t jit_translate_ns;
    /// Why the JIT did not run when it was asked for ("" otherwise).
    char engine_note[192];
    /// Units of host work the run was charged (zkvm_exec_options.max_work); with
    /// ZKVM_ERR_WORK_LIMIT, including the call that passed the budget.
    uint64_t work;
    /// The guest's cycle-tracker regions, in the order each was first started (owned by the result;
    /// NULL / 0 when it marked none). SP1 v3-v5 consume the marker writes (not in stdout); SP1 v6 and
    /// RISC Zero print them like any line (README "Writing and profiling guests").
    zkvm_region *regions;
    size_t region_count;
    /// 1 if the guest marked more regions than the tracker keeps (4,096 rows, 1,024 open, names up
    /// to 256 bytes): the later ones are missing.
    int regions_truncated;
} zkvm_result;

/// Runs `program` on `arena` with the given stdin items (read in order by the guest; the caller
/// keeps them alive for the duration of the call). Always fills `result` (release it with
/// zkvm_result_free) and returns result->status. Thread-safe for distinct arenas.
zkvm_status zkvm_execute(const zkvm_program *program, zkvm_arena *arena, const zkvm_bytes *stdin_items,
                         size_t stdin_count, const zkvm_exec_options *options, zkvm_result *result);
void zkvm_result_free(zkvm_result *result);

// MARK: - Profiling (profile.c)

/// A frame of the calling-context tree: a function called along one path of calls.
typedef struct zkvm_profile_node {
    int32_t parent;        ///< -1 for the root (the function the run started in)
    uint32_t function;     ///< index into zkvm_profile_options.function_starts; function_count for code below the first
    uint64_t self_cycles;  ///< cycles of the instructions this frame ran (its syscalls' extra cycles included)
    uint64_t calls;        ///< calls (JAL/JALR writing ra) that entered this frame
} zkvm_profile_node;

/// A syscall code called from one frame.
typedef struct zkvm_profile_syscall {
    uint32_t code;    ///< t0 at the ECALL
    uint32_t node;    ///< the calling frame (zkvm_profile.nodes)
    uint64_t calls;
    uint64_t cycles;  ///< the ECALLs' own cycles plus their extra cycles (part of the frame's self_cycles)
} zkvm_profile_syscall;

typedef struct zkvm_profile_options {
    /// The guest's function start addresses, sorted ascending: an instruction belongs to the last
    /// start at or below its pc (below the first: function_count).
    const uint64_t *function_starts;
    size_t function_count;
    /// Keep the pcs of the last trace_tail instructions (0: none).
    size_t trace_tail;
} zkvm_profile_options;

typedef struct zkvm_profile {
    zkvm_profile_node *nodes;  ///< the tree, parents before children
    size_t node_count;
    zkvm_profile_syscall *syscalls;
    size_t syscall_count;
    /// Sum of every node's self_cycles: the run's cycle count when it succeeded (the cycles of
    /// unconstrained blocks are discarded as the run discards them).
    uint64_t total_cycles;
    /// The pcs of the last instructions, oldest first; with a fault, the last one is the
    /// instruction that failed.
    uint64_t *trace;
    size_t trace_count;
    int incomplete;  ///< 1 if the profiler ran out of memory (the counts are then partial)
} zkvm_profile;

/// zkvm_execute on the interpreter, one basic block per loop call, attributing every retired
/// instruction's cycles to the guest function that ran it (see zkvm_profile). The run's result
/// (cycles, outputs, failures, work) is the same as zkvm_execute's; only slower (~10-30x). Fills
/// `profile` (release it with zkvm_profile_free) even when the run fails.
zkvm_status zkvm_profile_execute(const zkvm_program *program, zkvm_arena *arena, const zkvm_bytes *stdin_items,
                                 size_t stdin_count, const zkvm_exec_options *options,
                                 const zkvm_profile_options *profile_options, zkvm_result *result,
                                 zkvm_profile *profile);
void zkvm_profile_free(zkvm_profile *profile);

// MARK: - Debugging (debug.c)

/// The machine of a debug run, stopped: valid only during the zkvm_debug_callback call that
/// receives it.
typedef struct zkvm_debug_machine zkvm_debug_machine;

/// Why a debug run stopped. The instruction at zkvm_debug_pc has not run.
typedef enum zkvm_debug_event {
    ZKVM_DEBUG_ENTRY = 0,       ///< before the first instruction
    ZKVM_DEBUG_STEPPED = 1,     ///< one instruction ran (the callback answered ZKVM_DEBUG_STEP)
    ZKVM_DEBUG_BREAKPOINT = 2,  ///< pc reached a breakpoint
    ZKVM_DEBUG_FAULT = 3,       ///< the run failed at pc (zkvm_debug_status); it ends when the callback returns
    ZKVM_DEBUG_INTERRUPTED = 4, ///< `poll` asked for a stop
} zkvm_debug_event;

/// How a debug run goes on from a stop.
typedef enum zkvm_debug_action {
    ZKVM_DEBUG_CONTINUE = 0,  ///< until a breakpoint, a failure or the end
    ZKVM_DEBUG_STEP = 1,      ///< one instruction
    ZKVM_DEBUG_KILL = 2,      ///< end the run now: it fails with ZKVM_ERR_INTERRUPTED
    ZKVM_DEBUG_DETACH = 3,    ///< to the end, without further stops
} zkvm_debug_action;

typedef zkvm_debug_action (*zkvm_debug_callback)(void *context, zkvm_debug_event event, zkvm_debug_machine *machine);

typedef struct zkvm_debug_options {
    zkvm_debug_callback callback;
    void *context;
    /// Optional: called with `context` while the run goes on, about every ZKVM_DEBUG_POLL_CYCLES
    /// cycles; a nonzero answer stops it (ZKVM_DEBUG_INTERRUPTED), e.g. for GDB's Ctrl-C.
    int (*poll)(void *context);
} zkvm_debug_options;

#define ZKVM_DEBUG_POLL_CYCLES (1u << 18)

/// zkvm_execute on the interpreter under a debugger: the callback runs at every stop (the first
/// instruction, after each single step, at each breakpoint, at a failure). The run's result
/// (cycles, outputs, failures, work) is zkvm_execute's unless the callback changes the machine.
/// While the debugger steps or has breakpoints the run goes one instruction per loop call.
zkvm_status zkvm_debug_execute(const zkvm_program *program, zkvm_arena *arena, const zkvm_bytes *stdin_items,
                               size_t stdin_count, const zkvm_exec_options *options,
                               const zkvm_debug_options *debug_options, zkvm_result *result);

/// The register width, 32 or 64.
unsigned zkvm_debug_xlen(const zkvm_debug_machine *machine);
uint64_t zkvm_debug_pc(const zkvm_debug_machine *machine);
/// Moves pc: 0, or -1 (nothing changed) when `pc` is not an instruction of the program's text.
int zkvm_debug_set_pc(zkvm_debug_machine *machine, uint64_t pc);
/// Cycles completed so far.
uint64_t zkvm_debug_cycles(const zkvm_debug_machine *machine);
/// ZKVM_OK, or at ZKVM_DEBUG_FAULT the failure and its message.
zkvm_status zkvm_debug_status(const zkvm_debug_machine *machine, const char **message);
/// x<i> (i < 32; zero-extended on RV32; 0 for other i). Writes to x0 and beyond x31 are ignored.
uint64_t zkvm_debug_reg(const zkvm_debug_machine *machine, unsigned i);
void zkvm_debug_set_reg(zkvm_debug_machine *machine, unsigned i, uint64_t value);
/// Guest memory [addr, addr + len): 0, or -1 when the range is not inside the guest window. A
/// write changes data only: the program's code was decoded when it was loaded.
int zkvm_debug_read(const zkvm_debug_machine *machine, uint64_t addr, void *out, size_t len);
int zkvm_debug_write(zkvm_debug_machine *machine, uint64_t addr, const void *in, size_t len);
/// Sets (on != 0) or clears a breakpoint: 0, or -1 when `addr` is not an instruction of the text.
int zkvm_debug_set_breakpoint(zkvm_debug_machine *machine, uint64_t addr, int on);

/// The JIT's translation of a program (made once per program, on first use, shared by every
/// execution).
typedef enum zkvm_jit_state {
    ZKVM_JIT_NOT_TRANSLATED = 0,
    ZKVM_JIT_READY = 1,
    ZKVM_JIT_UNAVAILABLE = 2,  ///< the translation failed or this host has no JIT (reason says why)
} zkvm_jit_state;

typedef struct zkvm_jit_info {
    zkvm_jit_state state;
    uint64_t translate_ns;  ///< wall time of the translation
    uint64_t code_bytes;    ///< host code generated
    uint32_t pinned_registers;  ///< guest registers kept in host registers
    char reason[192];       ///< ZKVM_JIT_UNAVAILABLE: why
} zkvm_jit_info;

/// The state of the program's translation, without translating.
zkvm_jit_info zkvm_program_jit_info(const zkvm_program *program);
/// Translates the program for the JIT if it is not yet (thread-safe) and returns the state.
zkvm_jit_info zkvm_program_jit_prepare(const zkvm_program *program);

// MARK: - Syscall harness (tests and precompile benchmarks)

/// A bare machine on an arena, with no program: write guest memory, invoke one syscall, read back.
typedef struct zkvm_machine zkvm_machine;
/// Under SP1 v4's ABI (RV32).
zkvm_machine *zkvm_machine_create(zkvm_arena *arena);
/// Under the ABI `abi` (ZKVM_ABI_V3, _V4 or _V6); NULL for another value.
zkvm_machine *zkvm_machine_create_abi(zkvm_arena *arena, zkvm_abi abi);
void zkvm_machine_free(zkvm_machine *machine);
/// 0 on success, -1 if the range is outside the guest window.
int zkvm_machine_write(zkvm_machine *machine, uint64_t addr, const uint8_t *src, size_t len);
int zkvm_machine_read(const zkvm_machine *machine, uint64_t addr, uint8_t *dst, size_t len);
/// Registers at the machine's width (truncated to 32 bits on RV32).
void zkvm_machine_set_reg(zkvm_machine *machine, unsigned reg, uint64_t value);
uint64_t zkvm_machine_get_reg(const zkvm_machine *machine, unsigned reg);
/// Appends an item to the machine's input stream (for HINT_LEN / HINT_READ / hooks).
int zkvm_machine_push_input(zkvm_machine *machine, const uint8_t *data, size_t len);
/// Number of items in the input stream and a copy of item `index` (front = 0); returns its length.
size_t zkvm_machine_input_count(const zkvm_machine *machine);
size_t zkvm_machine_input_item(const zkvm_machine *machine, size_t index, uint8_t *dst, size_t cap);
/// Invokes the syscall `code` with a0..a4 as an ECALL would (t0 = code; result in t0).
/// Returns ZKVM_OK or an error status with `message` filled (message may be NULL).
zkvm_status zkvm_machine_syscall(zkvm_machine *machine, uint32_t code, uint64_t a0, uint64_t a1, uint64_t a2,
                                 uint64_t a3, uint64_t a4, char *message, size_t message_cap);

/// Name of an SP1 syscall code ("SHA_EXTEND", ...) in any SP1 version's table, or NULL if unknown.
const char *zkvm_syscall_name(uint32_t code);

/// The outcome of zkvm_field_check.
typedef struct zkvm_field_check_result {
    uint32_t operations;  ///< operations checked
    uint64_t cases;       ///< comparisons made, over every operation
    uint64_t min_cases;   ///< comparisons of the least tested operation
    uint64_t mismatches;  ///< comparisons where the two implementations disagree
    char first_mismatch[512];  ///< the first one: field, operation, operands (empty if none)
} zkvm_field_check_result;

/// Name of the precompile field numbered `field` ("secp256k1", "bls12-381", ...), or NULL past
/// the last one.
const char *zkvm_field_name(uint32_t field);

/// Differential test of the precompiles' fixed-width field arithmetic (precompiles/field.c) against
/// the GMP implementation it replaced: every operation of precompile field `field`, `cases` times
/// each on random and edge operands (0, 1, p - 1, p, unreduced integers, non-residues) drawn from
/// `seed`. Returns -1 (and runs nothing) if there is no such field, else 0.
int zkvm_field_check(uint32_t field, uint64_t cases, uint64_t seed, zkvm_field_check_result *result);


// MARK: - RISC Zero v1 program identity (R0_V1_ABI.md §2.3, §3; implemented in risc0/)

/// RISC Zero 1.x GUEST_MAX_MEM: its v1 loader accepts the entry and every loaded word below this.
#define ZKVM_RISC0_GUEST_MAX_MEM 0x0C000000u
/// RISC Zero 1.x GUEST_MIN_MEM: loads, stores, instruction fetches and syscall pointers below it trap.
#define ZKVM_RISC0_GUEST_MIN_MEM 0x00000400u

typedef struct zkvm_risc0_image {
    uint8_t image_id[32];     ///< risc0_binfmt::compute_image_id (v1): the program ID for vm_type Risc0
    uint8_t merkle_root[32];  ///< root of the page-table Merkle tree over the initial memory
    uint32_t entry;           ///< ELF entry point (the SystemState pc)
} zkvm_risc0_image;

/// Loads `elf` by RISC Zero v1's rules (risc0-binfmt 1.0.x `Program::load_elf` with max_mem
/// 0x0C000000: ELF32 LE RISC-V ET_EXEC, entry < max_mem and 4-aligned, <= 256 program headers,
/// PT_LOAD filesz/memsz < max_mem, 4-aligned vaddr, word-wise fill in segment order with later words
/// replacing earlier ones, every word address < max_mem) and computes the image ID. These rules
/// differ from zkvm_program_load's (SP1). Thread-safe; never crashes on arbitrary bytes.
zkvm_load_status zkvm_risc0_image_id(const uint8_t *elf, size_t len, zkvm_risc0_image *out,
                                     zkvm_load_error *error);

/// RISC Zero v1 `PageTableInfo::new(page_table_addr, page_size)`. The image ID uses
/// (0x0D000000, 1024).
typedef struct zkvm_risc0_page_table {
    uint32_t page_size;
    uint32_t page_table_addr;
    uint32_t layer_count;
    uint32_t layers[32];        ///< bytes of entries per layer, the data pages' layer first
    uint32_t table_bytes;       ///< sum of the layers, rounded up to a 64-byte block
    uint32_t num_pages;         ///< pages with a table entry: indices 0 ..< num_pages
    uint32_t root_idx;          ///< index of the root page (== num_pages)
    uint32_t root_page_addr;
    uint32_t root_addr;         ///< end of the root page's entries
    uint32_t num_root_entries;  ///< entries hashed for the Merkle root
} zkvm_risc0_page_table;

/// 0, or -1 for parameters RISC Zero rejects (page size not a power of two above 32 bytes, less
/// than one page of memory, a table that does not fit in 32 bits).
int zkvm_risc0_page_table_geometry(uint32_t page_table_addr, uint32_t page_size, zkvm_risc0_page_table *out);

/// RISC Zero's page hash: SHA-256 compression only, from the standard IV over each 64-byte block in
/// order, with no padding or length block; the state words big-endian (the usual digest byte
/// order). Returns 0, or -1 if `len` is not a multiple of 64.
int zkvm_risc0_page_hash(const uint8_t *bytes, size_t len, uint8_t out[32]);

/// risc0 `tagged_struct(tag, down, data)`: SHA-256(SHA-256(tag) || down digests || data words as
/// u32 little-endian || u16 little-endian digest_count). `digests` holds digest_count * 32 bytes.
/// Returns 0, or -1 if digest_count > 65535 (RISC Zero panics) or on allocation failure.
int zkvm_risc0_tagged_struct(const char *tag, const uint8_t *digests, size_t digest_count, const uint32_t *words,
                             size_t word_count, uint8_t out[32]);

/// The output digest a guest halts with for `journal` and no assumptions:
/// tagged_struct("risc0.Output", [SHA-256(journal), 0^32], []). Returns 0, or -1 on allocation failure.
int zkvm_risc0_output_digest(const uint8_t *journal, size_t len, uint8_t out[32]);

// MARK: - Inspecting programs: symbols, instruction words, disassembly (symbols.c, disasm.c)

/// A function in an ELF's symbol table.
typedef struct zkvm_symbol {
    uint64_t address;
    uint64_t size;     ///< 0 for a label without a size (it extends to the next symbol)
    const char *name;  ///< owned by the table
} zkvm_symbol;

typedef struct zkvm_symbol_table {
    zkvm_symbol *symbols;  ///< sorted by address, one per address
    size_t count;
    char *names;
} zkvm_symbol_table;

/// The functions of an ELF's symbol table (STT_FUNC symbols, and labels in executable sections
/// such as `_start`; no mapping symbols `$x`/`$d` or local `.L` labels), for reports of where a
/// guest was. A stripped or malformed ELF gives an empty table. Returns 0, or -1 when out of
/// memory. Free with zkvm_symbols_free. Never crashes on arbitrary bytes.
int zkvm_symbols_read(const uint8_t *elf, size_t len, zkvm_symbol_table *out);
void zkvm_symbols_free(zkvm_symbol_table *table);

/// The 32-bit word at `address` of the program's memory image as the loader built it (0 inside
/// a segment's zero fill). Returns 0, or -1 outside every segment.
int zkvm_program_word(const zkvm_program *program, uint64_t address, uint32_t *word);

/// Writes `word`, an instruction at `pc`, as text into `out` (NUL-terminated, at most cap - 1
/// characters) in llvm-objdump's `-M no-aliases` form ("addi\ta0, a1, -0x10", "lw\ta0, 0x8(sp)",
/// branch targets absolute): RV32IM or RV64IM by `xlen` (32 or 64), plus FENCE, ECALL, EBREAK,
/// MRET, WFI and the CSR instructions; anything else is "<unknown>". Returns the length written.
size_t zkvm_disassemble(uint32_t word, uint64_t pc, unsigned xlen, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
