// RISC Zero 1.x SOFTWARE ecall (t0 = 2) and its named syscalls (R0_V1_ABI.md §2.2), as
// risc0-zkvm 1.0.5's executor with InfinityVM's ExecutorEnv runs them: stdin is the job's input
// stream, fd 1 and 2 are captured, fd 3 is the journal, and there are no environment variables,
// arguments or assumption receipts.
//
// The guest names the syscall with a NUL-terminated string at a2
// ("risc0_zkvm_platform::syscall::nr::SYS_READ", ...), passes a host-to-guest word buffer in
// a0/a1 (a1 words; RISC Zero zeroes it and stores what the host returns) and arguments in
// a3..a7; the host's two results come back in a0/a1. The string is looked up in `named` below by
// exact comparison. SYS_RANDOM is deterministic here (zkvm_exec_options.random_seed).

#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

#include "ecalls.h"

#define NAME_PREFIX "risc0_zkvm_platform::syscall::nr::"
#define FD_STDIN 0u
#define FD_STDOUT 1u
#define FD_STDERR 2u
#define FD_JOURNAL 3u

/// One SOFTWARE call: the host-to-guest buffer and the two registers it returns.
typedef struct r0_call {
    const char *name;  ///< "SYS_READ"
    uint32_t buf;      ///< a0: guest address of the host-to-guest words (0 or unused when words == 0)
    uint32_t words;    ///< a1
    uint64_t filled;   ///< bytes of the buffer the handler wrote; the rest is zeroed after it
    uint32_t ret[2];   ///< the new a0, a1
    uint32_t work_per_kib;  ///< the named syscall's work per KiB of the data it moves (`named`)
} r0_call;

typedef int (*r0_named_fn)(vm_t *vm, r0_call *call);

// MARK: - Helpers

static uint32_t arg(const vm_t *vm, unsigned i) { return vm_arg(vm, i); }

/// RFC 3629 UTF-8 (what Rust's from_utf8 accepts).
static bool valid_utf8(const uint8_t *s, size_t n) {
    for (size_t i = 0; i < n;) {
        uint8_t c = s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!len || i + len > n) return false;
        uint32_t cp = len == 1 ? c : c & (0x7F >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
        if ((len > 1 && cp < least[len]) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

/// `n` bytes as single-line printable text for a message: newlines as '|', other control bytes as '?'.
static void printable(char *dst, size_t cap, const uint8_t *src, size_t n) {
    size_t j = 0;
    for (size_t i = 0; i < n && j + 1 < cap; i++) dst[j++] = src[i] == '\n' ? '|' : src[i] < 0x20 ? '?' : (char)src[i];
    dst[j] = 0;
}

/// The guest byte region (ptr, len) named by two argument registers, checked byte by byte.
static int region(vm_t *vm, const r0_call *c, unsigned ptr_reg, unsigned len_reg, const uint8_t **out, uint32_t *len) {
    const uint32_t ptr = arg(vm, ptr_reg), n = arg(vm, len_reg);
    if (r0_check_bytes(vm, c->name, "buffer", ptr, n)) return -1;
    *out = vm->mem + ptr;
    *len = n;
    return 0;
}

/// `region`, which must also be UTF-8 (RISC Zero's host decodes it with from_utf8).
static int utf8_region(vm_t *vm, const r0_call *c, const char *what, const uint8_t **out, uint32_t *len) {
    if (region(vm, c, 3, 4, out, len)) return -1;
    if (valid_utf8(*out, *len)) return 0;
    return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: the %s (%u bytes) is not valid UTF-8", c->name, what, *len);
}

/// Appends to a captured stream up to the log cap (the rest is dropped, as for SP1).
static void capture(vm_t *vm, vm_buf *buf, const uint8_t *data, size_t len) {
    size_t room = vm->max_log > buf->len ? vm->max_log - buf->len : 0;
    vm_buf_append(buf, data, len < room ? len : room);
}

/// Reads up to `n` bytes of the input stream (the items, concatenated) into `dst`.
static size_t stdin_read(vm_t *vm, uint8_t *dst, size_t n) {
    size_t got = 0;
    for (vm_item *item; got < n && (item = vm_input_front(vm));) {
        size_t avail = item->len - vm->r0.stdin_offset, take = avail < n - got ? avail : n - got;
        memcpy(dst + got, item->data + vm->r0.stdin_offset, take);
        got += take;
        vm->r0.stdin_offset += take;
        if (vm->r0.stdin_offset == item->len) {
            vm_input_pop_front(vm);
            vm->r0.stdin_offset = 0;
        }
    }
    return got;
}

/// Charges the work of `bytes` bytes of the call's data, before the handler moves them.
static int charge(vm_t *vm, const r0_call *c, uint64_t bytes) {
    return vm_charge_work(vm, vm_work_of_bytes(bytes, c->work_per_kib), c->name);
}

// MARK: - Named syscalls

/// SYS_READ(fd a3, nbytes a4): fills the word buffer from fd, then, if at most 4 bytes of the
/// request remain, reads them separately and returns them packed in a1.
static int sys_read(vm_t *vm, r0_call *c) {
    const uint32_t fd = arg(vm, 3), nbytes = arg(vm, 4);
    const uint64_t main_bytes = (uint64_t)c->words * 4;
    if (nbytes < main_bytes)  // RISC Zero 1.0.5's host panics: "Word-aligned read buffer must be fully filled"
        return vm_fail(vm, ZKVM_ERR_SYSCALL,
                       "SYS_READ: nbytes %u is less than the %u-word buffer (%llu bytes); the word-aligned buffer must "
                       "be fully filled",
                       nbytes, c->words, (unsigned long long)main_bytes);
    if (fd != FD_STDIN) return vm_fail(vm, ZKVM_ERR_SYSCALL, "SYS_READ: Bad read file descriptor %u (only 0, stdin)", fd);
    size_t nread_main = main_bytes ? stdin_read(vm, vm->mem + c->buf, main_bytes) : 0;
    c->filled = nread_main;
    uint64_t rest = nbytes - nread_main;
    uint8_t tail[4] = {0};
    size_t nread_end = rest <= 4 ? stdin_read(vm, tail, rest) : 0;  // more than 4 left: end of input
    c->ret[0] = (uint32_t)(nread_main + nread_end);
    c->ret[1] = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 | (uint32_t)tail[2] << 16 | (uint32_t)tail[3] << 24;
    return 0;
}

/// SYS_WRITE(fd a3, pointer a4, length a5): 1 = stdout, 2 = stderr, 3 = the journal.
static int sys_write(vm_t *vm, r0_call *c) {
    const uint32_t fd = arg(vm, 3);
    const uint8_t *data;
    uint32_t len;
    if (region(vm, c, 4, 5, &data, &len)) return -1;
    if ((fd == FD_STDOUT || fd == FD_STDERR || fd == FD_JOURNAL) && charge(vm, c, len)) return -1;
    switch (fd) {
    case FD_STDOUT:
        // The cycle tracker's lines (cycle_tracker.h) in user cycles before this ecall; printed
        // as RISC Zero prints every stdout line.
        if (len >= 18) vm_tracker_lines(&vm->tracker, data, len, vm_cycles_before_ecall(vm));
        capture(vm, &vm->out, data, len);
        return 0;
    case FD_STDERR: capture(vm, &vm->err, data, len); return 0;
    case FD_JOURNAL:
        if (vm->public_values.len + len > vm->max_public_values)
            return vm_fail(vm, ZKVM_ERR_OUTPUT_LIMIT, "SYS_WRITE: the journal exceeds the limit of %zu bytes",
                           vm->max_public_values);
        if (vm_buf_append(&vm->public_values, data, len) != 0)
            return vm_fail(vm, ZKVM_ERR_HOST, "SYS_WRITE: out of memory for the journal");
        return 0;
    default:
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "SYS_WRITE: Bad write file descriptor %u (1 stdout, 2 stderr, 3 journal)", fd);
    }
}

/// SYS_LOG(pointer a3, length a4): "R0VM[<user cycles>] <message>\n" on stdout.
static int sys_log(vm_t *vm, r0_call *c) {
    const uint8_t *msg;
    uint32_t len;
    if (region(vm, c, 3, 4, &msg, &len) || charge(vm, c, len)) return -1;
    char head[40];
    int n = snprintf(head, sizeof head, "R0VM[%llu] ", (unsigned long long)vm_cycles_before_ecall(vm));
    capture(vm, &vm->out, (const uint8_t *)head, (size_t)n);
    capture(vm, &vm->out, msg, len);
    capture(vm, &vm->out, (const uint8_t *)"\n", 1);
    return 0;
}

/// SYS_PANIC(pointer a3, length a4): the run fails with "Guest panicked: <message>".
static int sys_panic(vm_t *vm, r0_call *c) {
    const uint8_t *msg;
    uint32_t len;
    if (utf8_region(vm, c, "panic message", &msg, &len)) return -1;
    capture(vm, &vm->err, msg, len);  // the whole message, for the caller
    char text[400];
    printable(text, sizeof text, msg, len);
    return vm_fail(vm, ZKVM_ERR_GUEST_PANIC, "Guest panicked: %s", text);
}

/// SYS_CYCLE_COUNT: the user cycles before this ecall, as (high word, low word).
static int sys_cycle_count(vm_t *vm, r0_call *c) {
    const uint64_t cycles = vm_cycles_before_ecall(vm);
    c->ret[0] = (uint32_t)(cycles >> 32);
    c->ret[1] = (uint32_t)cycles;
    return 0;
}

/// SYS_RANDOM: fills the word buffer with the next bytes of SHA-256("risc0.SYS_RANDOM" || seed ||
/// LE64(i)), i = 0, 1, ... (RISC Zero's host uses OS randomness; see zkvm_exec_options).
static int sys_random(vm_t *vm, r0_call *c) {
    static const char tag[] = "risc0.SYS_RANDOM";
    uint8_t *dst = vm->mem + c->buf;
    const uint64_t total = (uint64_t)c->words * 4;
    if (charge(vm, c, total)) return -1;
    for (uint64_t done = 0; done < total;) {
        const uint64_t pos = vm->r0.random_position, block = pos / 32, skip = pos % 32;
        uint8_t input[sizeof tag - 1 + 32 + 8], digest[32];
        memcpy(input, tag, sizeof tag - 1);
        memcpy(input + sizeof tag - 1, vm->r0.random_seed, 32);
        for (unsigned i = 0; i < 8; i++) input[sizeof tag - 1 + 32 + i] = (uint8_t)(block >> (8 * i));
        SHA256(input, sizeof input, digest);
        const uint64_t take = 32 - skip < total - done ? 32 - skip : total - done;
        memcpy(dst + done, digest + skip, take);
        done += take;
        vm->r0.random_position += take;
    }
    c->filled = total;
    return 0;
}

/// SYS_GETENV(name pointer a3, name length a4): no variable is set, so (0xFFFFFFFF, 0).
static int sys_getenv(vm_t *vm, r0_call *c) {
    const uint8_t *name;
    uint32_t len;
    if (region(vm, c, 3, 4, &name, &len) || charge(vm, c, len) || utf8_region(vm, c, "variable name", &name, &len))
        return -1;
    c->ret[0] = 0xFFFFFFFFu;
    return 0;
}

/// SYS_ARGC: no arguments.
static int sys_argc(vm_t *vm, r0_call *c) {
    (void)vm;
    c->ret[0] = 0;
    return 0;
}

/// SYS_ARGV(index a3): every index is out of range of the empty argument list.
static int sys_argv(vm_t *vm, r0_call *c) {
    (void)c;
    return vm_fail(vm, ZKVM_ERR_SYSCALL, "SYS_ARGV: guest requested index %u from argv of len 0", arg(vm, 3));
}

/// SYS_VERIFY_INTEGRITY(pointer a3, length a4 = 64: claim digest || control root): composition.
/// Jobs carry no assumption receipts, so no claim can be resolved.
static int sys_verify_integrity(vm_t *vm, r0_call *c) {
    const uint8_t *data;
    uint32_t len;
    if (region(vm, c, 3, 4, &data, &len)) return -1;
    if (len != 64)  // RISC Zero 1.0.5: a panic below 32 bytes, a conversion error otherwise
        return vm_fail(vm, ZKVM_ERR_SYSCALL,
                       "SYS_VERIFY_INTEGRITY: expected 64 bytes (claim digest and control root), got %u", len);
    char claim[65], root[65];
    for (unsigned i = 0; i < 32; i++) {
        snprintf(claim + 2 * i, 3, "%02x", data[i]);
        snprintf(root + 2 * i, 3, "%02x", data[32 + i]);
    }
    return vm_fail(vm, ZKVM_ERR_UNSUPPORTED_SYSCALL,
                   "SYS_VERIFY_INTEGRITY: no receipt found to resolve assumption: claim digest %s, control root %s "
                   "(composition is unsupported: jobs carry no assumption receipts)",
                   claim, root);
}

/// The syscalls of risc0-zkvm-platform, by the name after NAME_PREFIX. Rows without a handler
/// were added after 1.0.5: its executor rejects them as unknown, and so does this one, by name.
/// `work_per_kib`: the work per KiB of the data the syscall moves (README "Work metering"; the
/// SOFTWARE row has the work per call), measured with scripts/work-weights.sh: SYS_RANDOM
/// 11,664-12,310 units per KiB it produces (a SHA-256 per 32 bytes), SYS_WRITE to the journal
/// 79-129 (SYS_LOG copies the same way), SYS_GETENV 597-603 per KiB of name it checks (UTF-8);
/// SYS_READ's copy into the host-to-guest buffer is the SOFTWARE row's per-KiB work.
static const struct {
    const char *name;
    r0_named_fn handler;
    const char *added;
    uint32_t work_per_kib;
} named[] = {
    {"SYS_ARGC", sys_argc, NULL, 0},
    {"SYS_ARGV", sys_argv, NULL, 0},
    {"SYS_CYCLE_COUNT", sys_cycle_count, NULL, 0},
    {"SYS_GETENV", sys_getenv, NULL, 670},
    {"SYS_LOG", sys_log, NULL, 140},
    {"SYS_PANIC", sys_panic, NULL, 0},
    {"SYS_RANDOM", sys_random, NULL, 13500},
    {"SYS_READ", sys_read, NULL, 0},
    {"SYS_VERIFY_INTEGRITY", sys_verify_integrity, NULL, 0},
    {"SYS_WRITE", sys_write, NULL, 140},
    {"SYS_EXECUTE_ZKR", NULL, "1.1", 0},
    {"SYS_EXIT", NULL, "1.1", 0},
    {"SYS_FORK", NULL, "1.1", 0},
    {"SYS_PIPE", NULL, "1.1", 0},
    {"SYS_KECCAK", NULL, "1.2", 0},
    {"SYS_PROVE_KECCAK", NULL, "1.2", 0},
    {"SYS_PROVE_ZKR", NULL, "1.2", 0},
    {"SYS_VERIFY_INTEGRITY2", NULL, "1.3", 0},
};

// MARK: - SOFTWARE

int r0_software(vm_t *vm, const vm_syscall *sc) {
    r0_call c = {.buf = arg(vm, 0), .words = arg(vm, 1)};
    const uint32_t name_ptr = arg(vm, 2);
    if (c.words > 0 && r0_check_addr(vm, sc->name, "host-to-guest buffer", c.buf)) return -1;
    if (r0_check_addr(vm, sc->name, "syscall name pointer", name_ptr)) return -1;
    const uint8_t *name = vm->mem + name_ptr;
    const uint8_t *nul = memchr(name, 0, ZKVM_RISC0_GUEST_MAX_MEM - name_ptr);
    if (!nul) return r0_check_addr(vm, sc->name, "syscall name byte", ZKVM_RISC0_GUEST_MAX_MEM);
    const size_t name_len = (size_t)(nul - name);
    char shown[160];
    printable(shown, sizeof shown, name, name_len);
    if (!valid_utf8(name, name_len))
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: the syscall name at 0x%08x is not valid UTF-8 (\"%s\")", sc->name,
                       name_ptr, shown);

    const size_t prefix = sizeof NAME_PREFIX - 1;
    const bool platform = name_len > prefix && memcmp(name, NAME_PREFIX, prefix) == 0;
    size_t row = sizeof named / sizeof named[0];
    for (size_t i = 0; platform && i < sizeof named / sizeof named[0]; i++)
        if (strlen(named[i].name) == name_len - prefix && memcmp(named[i].name, name + prefix, name_len - prefix) == 0)
            row = i;
    if (row == sizeof named / sizeof named[0] || !named[row].handler) vm->err_word = sc->code;
    if (row == sizeof named / sizeof named[0])
        return vm_fail(vm, ZKVM_ERR_UNSUPPORTED_SYSCALL, "%s: Unknown syscall: \"%s\"", sc->name, shown);
    c.name = named[row].name;
    c.work_per_kib = named[row].work_per_kib;
    if (!named[row].handler)
        return vm_fail(vm, ZKVM_ERR_UNSUPPORTED_SYSCALL,
                       "%s: unsupported syscall %s: it was added in RISC Zero %s, and the 1.0.5 executor the seed's "
                       "node ran does not know it",
                       sc->name, c.name, named[row].added);

    // The host-to-guest words must all be guest memory (RISC Zero stores them byte by byte after
    // the call; checking first keeps a huge a1 from costing host memory).
    const uint64_t buf_bytes = (uint64_t)c.words * 4;
    if (c.words > 0 && r0_check_bytes(vm, c.name, "host-to-guest buffer", c.buf, buf_bytes)) return -1;
    if (vm_charge_bytes(vm, sc, buf_bytes) != 0 || named[row].handler(vm, &c) != 0) return -1;
    if (c.words > 0) memset(vm->mem + c.buf + c.filled, 0, buf_bytes - c.filled);
    vm_set_reg(vm, VM_REG_A0, c.ret[0]);
    vm_set_reg(vm, VM_REG_A1, c.ret[1]);
    vm->syscall_cycles += (uint32_t)((c.words + 3ull) / 4);  // one per 4-word chunk
    return VM_CONTINUE;
}
