// ELF loading with libelf (GElf, so one reader serves ELF32 and ELF64): validation, segment
// copies, the choice of the guest ABI (abis.h), program ID and pre-decoding. The ELF class picks
// the rules: ELF32 by SP1 v3-v5's layout (SP1_ABI.md §1 plus stricter checks), ELF64 by SP1
// v6.4.0's loader (SP1_V6_ABI.md §1.2), untrusted-program mode included. A RISC Zero program
// (ZKVM_VM_RISC0) is loaded by RISC Zero's own rules instead (risc0/program_load.c).

#include <gelf.h>
#include <libelf.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abis.h"
#include "loader.h"
#include "risc0/image.h"

#define DEFAULT_MAX_IMAGE (128ull << 20)
#define DEFAULT_MAX_TEXT (16ull << 20)
#define MAX_PROGRAM_HEADERS 256

// SP1 v6's limits (SP1_V6_ABI.md §1.2).
#define V6_MAX_INSTRUCTIONS (1u << 22)
#define V6_MAX_MEMORY ((1ull << 48) - 1)  ///< MAXIMUM_MEMORY_SIZE: a filesz / memsz / entry of this value is refused
#define V6_PF_UNTRUSTED 0x00100000u
#define V6_TRAP_CONTEXT_SYMBOL "__SUCCINCT_TRAP_CONTEXT"

static pthread_once_t libelf_once = PTHREAD_ONCE_INIT;
static int libelf_ready;
static void libelf_init(void) { libelf_ready = elf_version(EV_CURRENT) != EV_NONE; }

static zkvm_load_status fail(zkvm_load_error *err, zkvm_load_status st, const char *fmt, ...) {
    if (err) {
        err->status = st;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return st;
}

#define U64(x) ((unsigned long long)(x))

/// Zeroes the bytes of a segment that describe the file's layout rather than the program: the ELF
/// header's section-table fields and every program header's p_offset. lld maps the headers into
/// the first PT_LOAD segment, and `strip` rewrites exactly these fields, so without this the image
/// (and the program ID) would change when symbols are stripped. Guests never read them.
static void canonicalize_layout_fields(uint8_t *bytes, uint64_t file_offset, uint64_t filesz, uint64_t phoff,
                                       size_t phnum, unsigned xlen) {
    struct range {
        uint64_t start, len;
    } fields[MAX_PROGRAM_HEADERS + 2];
    size_t n = 0;
    if (xlen == 64) {
        fields[n++] = (struct range){0x28, 8};  // e_shoff
        fields[n++] = (struct range){0x3A, 6};  // e_shentsize, e_shnum, e_shstrndx
        for (size_t i = 0; i < phnum; i++) fields[n++] = (struct range){phoff + 56 * i + 8, 8};  // p_offset
    } else {
        fields[n++] = (struct range){32, 4};
        fields[n++] = (struct range){46, 6};
        for (size_t i = 0; i < phnum; i++) fields[n++] = (struct range){phoff + 32 * i + 4, 4};
    }
    for (size_t i = 0; i < n; i++)
        for (uint64_t b = fields[i].start; b < fields[i].start + fields[i].len; b++)
            if (b >= file_offset && b < file_offset + filesz) bytes[b - file_offset] = 0;
}

static int cmp_segment(const void *a, const void *b) {
    const vm_segment *x = a, *y = b;
    return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static void free_program(zkvm_program *p) {
    if (!p) return;
    for (size_t i = 0; i < p->segment_count; i++) free(p->segments[i].bytes);
    free(p->segments);
    free(p->code);
    if (p->translation) p->translation->destroy(p->translation);
    free(p);
}

void zkvm_program_free(zkvm_program *p) { free_program(p); }

/// What the segment readers need besides the program.
typedef struct load_ctx {
    const uint8_t *elf;
    size_t len;
    Elf *e;
    GElf_Ehdr eh;
    size_t phnum;
    const vm_abi_desc *abi;
    uint64_t max_image, max_text;
    zkvm_load_error *err;
} load_ctx;

/// Copies the file bytes of a PT_LOAD segment into `seg` (canonical layout fields, trailing
/// zeros trimmed later by the caller).
static zkvm_load_status copy_bytes(load_ctx *c, vm_segment *seg, uint64_t offset) {
    if (!seg->filesz) return ZKVM_LOAD_OK;
    if (!(seg->bytes = malloc(seg->filesz))) return fail(c->err, ZKVM_LOAD_OUT_OF_MEMORY, "out of memory");
    memcpy(seg->bytes, c->elf + offset, seg->filesz);
    canonicalize_layout_fields(seg->bytes, offset, seg->filesz, c->eh.e_phoff, c->phnum, c->abi->xlen);
    return ZKVM_LOAD_OK;
}

/// Trailing zero file bytes are indistinguishable from zero fill: trim them so the ID depends only
/// on the loaded image.
static void trim(vm_segment *seg) {
    while (seg->filesz > 0 && seg->bytes[seg->filesz - 1] == 0) seg->filesz--;
}

// MARK: - ELF32 (SP1 v3-v5)

static zkvm_load_status load_rv32(load_ctx *c, zkvm_program *p) {
    const vm_abi_desc *abi = c->abi;
    uint64_t image = 0;
    for (size_t i = 0; i < c->phnum; i++) {
        GElf_Phdr h;
        if (!gelf_getphdr(c->e, (int)i, &h))
            return fail(c->err, ZKVM_LOAD_TRUNCATED, "unreadable program header %zu: %s", i, elf_errmsg(-1));
        if (h.p_type != PT_LOAD || h.p_memsz == 0) continue;
        if (h.p_vaddr & 3)
            return fail(c->err, ZKVM_LOAD_MISALIGNED_SEGMENT, "segment %zu: vaddr 0x%08llx is not 4-byte aligned", i,
                        U64(h.p_vaddr));
        if (h.p_filesz > h.p_memsz)
            return fail(c->err, ZKVM_LOAD_INVALID_SEGMENT, "segment %zu: filesz %llu exceeds memsz %llu", i,
                        U64(h.p_filesz), U64(h.p_memsz));
        if (h.p_offset + h.p_filesz > c->len)
            return fail(c->err, ZKVM_LOAD_TRUNCATED,
                        "segment %zu: file bytes [%llu, +%llu) lie past the end of the file (%zu bytes)", i,
                        U64(h.p_offset), U64(h.p_filesz), c->len);
        if (!vm_abi_range_ok(abi, h.p_vaddr, h.p_memsz))
            return fail(c->err, ZKVM_LOAD_SEGMENT_OUTSIDE_WINDOW,
                        "segment %zu: [0x%08llx, +0x%llx) lies outside the guest window [0x%08llx, 0x%08llx)", i,
                        U64(h.p_vaddr), U64(h.p_memsz), U64(abi->mem_lowest), U64(abi->mem_end));
        image += h.p_memsz;
        if (image > c->max_image)
            return fail(c->err, ZKVM_LOAD_IMAGE_TOO_LARGE, "loaded image exceeds %llu bytes", U64(c->max_image));
        vm_segment *seg = &p->segments[p->segment_count++];
        *seg = (vm_segment){.vaddr = h.p_vaddr, .memsz = h.p_memsz, .filesz = h.p_filesz, .flags = h.p_flags & 7};
        zkvm_load_status st = copy_bytes(c, seg, h.p_offset);
        if (st != ZKVM_LOAD_OK) return st;
        trim(seg);
        // Only file-backed words are decoded: zero fill would decode as illegal instructions, and
        // decoding it would let a tiny ELF claim megabytes of host memory.
        seg->decoded = seg->flags & PF_X;
        seg->decoded_bytes = seg->filesz;
    }

    qsort(p->segments, p->segment_count, sizeof *p->segments, cmp_segment);
    uint64_t text_lo = UINT64_MAX, text_hi = 0;
    int has_executable = 0;
    for (size_t i = 0; i < p->segment_count; i++) {
        const vm_segment *s = &p->segments[i];
        if (i > 0) {
            const vm_segment *prev = &p->segments[i - 1];
            if (prev->vaddr + prev->memsz > s->vaddr)
                return fail(c->err, ZKVM_LOAD_OVERLAPPING_SEGMENTS,
                            "segments [0x%08llx, +0x%llx) and [0x%08llx, +0x%llx) overlap", U64(prev->vaddr),
                            U64(prev->memsz), U64(s->vaddr), U64(s->memsz));
        }
        if (s->flags & PF_X) {
            if (s->vaddr < text_lo) text_lo = s->vaddr;
            if (s->vaddr + s->filesz > text_hi) text_hi = s->vaddr + s->filesz;
            has_executable = 1;
        }
    }
    if (!has_executable) return fail(c->err, ZKVM_LOAD_NO_EXECUTABLE_SEGMENT, "no executable (PF_X) PT_LOAD segment");
    if (text_hi <= text_lo)
        return fail(c->err, ZKVM_LOAD_NO_EXECUTABLE_SEGMENT, "the executable segments hold no code (only zero bytes)");
    text_hi = (text_hi + 3) & ~3ull;
    if (text_hi - text_lo > c->max_text)
        return fail(c->err, ZKVM_LOAD_IMAGE_TOO_LARGE, "executable span of %llu bytes exceeds %llu", U64(text_hi - text_lo),
                    U64(c->max_text));
    int entry_ok = 0;
    for (size_t i = 0; i < p->segment_count; i++) {
        const vm_segment *s = &p->segments[i];
        if ((s->flags & PF_X) && p->entry >= s->vaddr && p->entry - s->vaddr < s->memsz) entry_ok = 1;
    }
    if (!entry_ok)
        return fail(c->err, ZKVM_LOAD_ENTRY_NOT_EXECUTABLE, "entry point 0x%08llx is not inside an executable segment",
                    U64(p->entry));
    if (p->entry >= text_hi)
        return fail(c->err, ZKVM_LOAD_ENTRY_NOT_EXECUTABLE,
                    "entry point 0x%08llx lies in the zero-filled part of its executable segment (no code there)",
                    U64(p->entry));
    p->text_base = text_lo;
    p->text_words = (uint32_t)((text_hi - text_lo) / 4);
    return ZKVM_LOAD_OK;
}

// MARK: - ELF64 (SP1 v6)

/// The SUCCINCT note of a PT_NOTE segment (name "SUCCINCT", type 1, a 20-byte descriptor '1',0,0,0
/// then heap_start and heap_end as u64): 1 if found, 0 if not, a load status on a bad heap range.
static int succinct_note(load_ctx *c, const GElf_Phdr *h, zkvm_program *p, zkvm_load_status *st) {
    if (h->p_offset > c->len || h->p_filesz > c->len - h->p_offset) return 0;
    const uint8_t *n = c->elf + h->p_offset;
    uint64_t size = h->p_filesz, pos = 0;
    while (pos + 12 <= size) {
        uint32_t namesz, descsz, type;
        memcpy(&namesz, n + pos, 4), memcpy(&descsz, n + pos + 4, 4), memcpy(&type, n + pos + 8, 4);
        pos += 12;
        uint64_t name_at = pos, desc_at = name_at + namesz + ((4 - namesz % 4) % 4);
        if (desc_at > size || descsz > size - desc_at) return 0;
        pos = desc_at + descsz + ((4 - descsz % 4) % 4);
        size_t name_len = strnlen((const char *)n + name_at, namesz);
        if (name_len == 8 && memcmp(n + name_at, "SUCCINCT", 8) == 0 && type == 1 && descsz == 20 &&
            memcmp(n + desc_at, "1\0\0\0", 4) == 0) {
            memcpy(&p->heap_start, n + desc_at + 4, 8);
            memcpy(&p->heap_end, n + desc_at + 12, 8);
            if (p->heap_end <= p->heap_start)
                *st = fail(c->err, ZKVM_LOAD_INVALID_NOTE, "SUCCINCT note: heap_end 0x%llx is not above heap_start 0x%llx",
                           U64(p->heap_end), U64(p->heap_start));
            return 1;
        }
    }
    return 0;
}

/// The value of __SUCCINCT_TRAP_CONTEXT in the first symbol table, as SP1 v6 looks it up.
static bool trap_context(Elf *e, uint64_t *value) {
    for (Elf_Scn *scn = elf_nextscn(e, NULL); scn; scn = elf_nextscn(e, scn)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB) continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        if (!data || !sh.sh_entsize) return false;
        for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, (int)i, &sym)) break;
            const char *name = elf_strptr(e, sh.sh_link, sym.st_name);
            if (name && strcmp(name, V6_TRAP_CONTEXT_SYMBOL) == 0) {
                *value = sym.st_value;
                return true;
            }
        }
        return false;
    }
    return false;
}

/// SP1 v6 writes the image 4 bytes at a time into 8-byte slots and stores 0 to the whole slot for
/// a zero-fill word: when a segment's zero fill starts 4 bytes into a slot, the 4 bytes before it
/// (file bytes of this segment or the one before) read as zero (SP1_V6_ABI.md §1.2, quirk).
static void v6_zero_fill_quirk(zkvm_program *p, size_t i) {
    vm_segment *s = &p->segments[i];
    uint64_t fill = s->vaddr + ((s->filesz + 3) & ~3ull);  // its first zero-fill word
    if (fill >= s->vaddr + s->memsz || (fill & 7) != 4) return;
    vm_segment *owner = fill - 4 >= s->vaddr ? s : (i > 0 ? &p->segments[i - 1] : NULL);
    if (!owner) return;
    for (uint64_t a = fill - 4; a < fill; a++)
        if (a >= owner->vaddr && a - owner->vaddr < owner->filesz) owner->bytes[a - owner->vaddr] = 0;
}

static zkvm_load_status load_v6(load_ctx *c, zkvm_program *p) {
    const vm_abi_desc *abi = c->abi;
    uint64_t image = 0, prev_end = 0, words = 0;
    bool have_base = false, note = false;
    zkvm_load_status st = ZKVM_LOAD_OK;
    if (p->entry == V6_MAX_MEMORY)
        return fail(c->err, ZKVM_LOAD_MISALIGNED_ENTRY, "entry point 0x%llx is invalid", U64(p->entry));
    for (size_t i = 0; i < c->phnum; i++) {
        GElf_Phdr h;
        if (!gelf_getphdr(c->e, (int)i, &h))
            return fail(c->err, ZKVM_LOAD_TRUNCATED, "unreadable program header %zu: %s", i, elf_errmsg(-1));
        if (h.p_type == PT_NOTE && !note) {
            note = succinct_note(c, &h, p, &st);
            if (st != ZKVM_LOAD_OK) return st;
        }
        if (h.p_type != PT_LOAD) continue;
        // SP1 v6's checks, in its order, on every PT_LOAD in file order.
        const bool exec = h.p_flags & PF_X, trusted = exec && !(h.p_flags & V6_PF_UNTRUSTED);
        if (h.p_filesz == V6_MAX_MEMORY || h.p_memsz == V6_MAX_MEMORY)
            return fail(c->err, ZKVM_LOAD_INVALID_SEGMENT, "segment %zu: invalid size", i);
        if (h.p_vaddr < ZKVM_SP1_V6_STACK_TOP)
            return fail(c->err, ZKVM_LOAD_SEGMENT_OUTSIDE_WINDOW,
                        "segment %zu at 0x%08llx lies below 0x%08llx (SP1 v6 loads segments from STACK_TOP up)", i,
                        U64(h.p_vaddr), U64(ZKVM_SP1_V6_STACK_TOP));
        if (!(h.p_flags & PF_R))
            return fail(c->err, ZKVM_LOAD_UNREADABLE_SEGMENT, "segment %zu at 0x%08llx is not readable", i, U64(h.p_vaddr));
        if (exec && (h.p_flags & PF_W))
            return fail(c->err, ZKVM_LOAD_WRITABLE_EXECUTABLE, "segment %zu at 0x%08llx is both writable and executable",
                        i, U64(h.p_vaddr));
        if (prev_end > h.p_vaddr)
            return fail(c->err, ZKVM_LOAD_OVERLAPPING_SEGMENTS,
                        "segment %zu at 0x%08llx overlaps the one before it or is not sorted by address (SP1 v6 wants "
                        "file order)",
                        i, U64(h.p_vaddr));
        if (h.p_memsz > UINT64_MAX - h.p_vaddr)
            return fail(c->err, ZKVM_LOAD_INVALID_SEGMENT, "segment %zu: address overflow", i);
        if (h.p_vaddr & 3)
            return fail(c->err, ZKVM_LOAD_MISALIGNED_SEGMENT, "segment %zu: vaddr 0x%08llx is not 4-byte aligned", i,
                        U64(h.p_vaddr));
        if (trusted && have_base && h.p_vaddr != p->text_base + 4 * words)
            return fail(c->err, ZKVM_LOAD_NONCONTIGUOUS_TEXT,
                        "executable segment %zu at 0x%08llx does not start where the code before it ends (0x%08llx)", i,
                        U64(h.p_vaddr), U64(p->text_base + 4 * words));
        // SP1 reads the file bytes of the first memsz bytes only.
        uint64_t filesz = h.p_filesz < h.p_memsz ? h.p_filesz : h.p_memsz;
        if (h.p_offset > c->len || filesz > c->len - h.p_offset)
            return fail(c->err, ZKVM_LOAD_TRUNCATED,
                        "segment %zu: file bytes [%llu, +%llu) lie past the end of the file (%zu bytes)", i,
                        U64(h.p_offset), U64(filesz), c->len);
        if (!vm_abi_range_ok(abi, h.p_vaddr, h.p_memsz))
            return fail(c->err, ZKVM_LOAD_SEGMENT_OUTSIDE_WINDOW,
                        "segment %zu: [0x%08llx, +0x%llx) lies outside SP1 v6's address space [0, 2^40)", i,
                        U64(h.p_vaddr), U64(h.p_memsz));
        image += h.p_memsz;
        if (image > c->max_image)
            return fail(c->err, ZKVM_LOAD_IMAGE_TOO_LARGE, "loaded image exceeds %llu bytes", U64(c->max_image));
        if (trusted && !have_base) {
            p->text_base = h.p_vaddr;
            have_base = true;
        }
        vm_segment *seg = &p->segments[p->segment_count++];
        *seg = (vm_segment){.vaddr = h.p_vaddr, .memsz = h.p_memsz, .filesz = filesz,
                            .flags = (h.p_flags & 7) | ((h.p_flags & V6_PF_UNTRUSTED) ? VM_SEG_UNTRUSTED : 0),
                            .decoded = trusted, .decoded_bytes = trusted ? (filesz + 3) & ~3ull : 0};
        if (trusted) {
            words += seg->decoded_bytes / 4;
            if (words > V6_MAX_INSTRUCTIONS)
                return fail(c->err, ZKVM_LOAD_TOO_MANY_INSTRUCTIONS, "more than %u instructions (SP1 v6's limit)",
                            V6_MAX_INSTRUCTIONS);
        }
        if ((st = copy_bytes(c, seg, h.p_offset)) != ZKVM_LOAD_OK) return st;
        prev_end = h.p_vaddr + h.p_memsz;
    }
    if (!have_base) return fail(c->err, ZKVM_LOAD_NO_EXECUTABLE_SEGMENT, "no trusted executable (PF_X) PT_LOAD segment");
    if (words == 0)
        return fail(c->err, ZKVM_LOAD_NO_EXECUTABLE_SEGMENT, "the executable segments hold no instructions");
    if (words * 4 > c->max_text)
        return fail(c->err, ZKVM_LOAD_IMAGE_TOO_LARGE, "executable span of %llu bytes exceeds %llu", U64(words * 4),
                    U64(c->max_text));
    p->text_words = (uint32_t)words;
    p->untrusted = note;
    if (note) p->has_trap_context = trap_context(c->e, &p->trap_context);
    // SP1 does not check the entry; we want it in the code (untrusted mode may start anywhere).
    if (!p->untrusted && (p->entry < p->text_base || p->entry - p->text_base >= words * 4))
        return fail(c->err, ZKVM_LOAD_ENTRY_NOT_EXECUTABLE, "entry point 0x%08llx is not inside the program's code",
                    U64(p->entry));
    return ZKVM_LOAD_OK;
}

/// After decoding: SP1 v6 refuses a program with any word it cannot decode.
static zkvm_load_status check_decodable(load_ctx *c, const zkvm_program *p) {
    for (uint32_t i = 0; i < p->text_words; i++)
        if (p->code[i].kind == OP_ILLEGAL)
            return fail(c->err, ZKVM_LOAD_UNDECODABLE_INSTRUCTION,
                        "instruction 0x%08x at 0x%08llx is not RV64IM (SP1 v6 refuses to load a program with a word it "
                        "cannot decode)",
                        (uint32_t)p->code[i].imm, U64(p->text_base + 4ull * i));
    return ZKVM_LOAD_OK;
}

// MARK: - Loading

zkvm_load_status zkvm_program_load(const uint8_t *elf, size_t len, const zkvm_load_options *options,
                                   zkvm_program **out, zkvm_load_error *err) {
    *out = NULL;
    if (err) {
        err->status = ZKVM_LOAD_OK;
        err->message[0] = 0;
    }
    load_ctx c = {.elf = elf, .len = len, .err = err,
                  .max_image = options && options->max_image_bytes ? options->max_image_bytes : DEFAULT_MAX_IMAGE,
                  .max_text = options && options->max_text_bytes ? options->max_text_bytes : DEFAULT_MAX_TEXT};
    if (options && options->vm == ZKVM_VM_RISC0) {
        zkvm_program *r0 = calloc(1, sizeof *r0);
        zkvm_load_status r0_status = r0 ? vm_risc0_program_fill(r0, elf, len, c.max_text, err)
                                        : fail(err, ZKVM_LOAD_OUT_OF_MEMORY, "out of memory");
        if (r0_status == ZKVM_LOAD_OK) *out = r0; else free_program(r0);
        return r0_status;
    }

    if (len < 4 || memcmp(elf, ELFMAG, SELFMAG) != 0) return fail(err, ZKVM_LOAD_NOT_ELF, "not an ELF file (bad magic)");
    if (len < EI_NIDENT) return fail(err, ZKVM_LOAD_TRUNCATED, "truncated ELF identification (%zu bytes)", len);
    // The class picks the register width and with it the ABI's rules; on RV32 the code then picks the version.
    unsigned xlen = elf[EI_CLASS] == ELFCLASS32 ? 32 : elf[EI_CLASS] == ELFCLASS64 ? 64 : 0;
    if (!xlen || !(c.abi = vm_abi_for_class(xlen)))
        return fail(err, ZKVM_LOAD_WRONG_CLASS,
                    "ELF class %u is neither ELFCLASS32 (RV32IM, SP1 v3-v5) nor ELFCLASS64 (RV64IM, SP1 v6)", elf[EI_CLASS]);
    if (elf[EI_DATA] != ELFDATA2LSB)
        return fail(err, ZKVM_LOAD_WRONG_ENDIANNESS, "ELF data encoding %u is not little-endian", elf[EI_DATA]);
    if (len < (xlen == 64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
        return fail(err, ZKVM_LOAD_TRUNCATED, "truncated ELF header (%zu bytes)", len);

    pthread_once(&libelf_once, libelf_init);
    if (!libelf_ready) return fail(err, ZKVM_LOAD_OUT_OF_MEMORY, "libelf initialisation failed");

    // libelf only reads the image in ELF_C_READ_MMAP mode; it does not write through the pointer.
    Elf *e = c.e = elf_memory((char *)elf, len);
    if (!e) return fail(err, ZKVM_LOAD_NOT_ELF, "libelf rejected the file: %s", elf_errmsg(-1));
    zkvm_program *p = NULL;
    zkvm_load_status st;
    GElf_Ehdr *eh = &c.eh;

    if (!gelf_getehdr(e, eh)) {
        st = fail(err, ZKVM_LOAD_TRUNCATED, "unreadable ELF header: %s", elf_errmsg(-1));
        goto out;
    }
    if (eh->e_machine != EM_RISCV) {
        st = fail(err, ZKVM_LOAD_WRONG_MACHINE, "e_machine %u is not EM_RISCV (243)", eh->e_machine);
        goto out;
    }
    if (eh->e_type != ET_EXEC) {
        st = fail(err, ZKVM_LOAD_WRONG_TYPE, "e_type %u is not ET_EXEC (static executable required)", eh->e_type);
        goto out;
    }
    if (eh->e_entry & 3) {
        st = fail(err, ZKVM_LOAD_MISALIGNED_ENTRY, "entry point 0x%08llx is not 4-byte aligned", U64(eh->e_entry));
        goto out;
    }
    if (elf_getphdrnum(e, &c.phnum) != 0) {
        st = fail(err, ZKVM_LOAD_TRUNCATED, "unreadable program header count: %s", elf_errmsg(-1));
        goto out;
    }
    if (c.phnum > MAX_PROGRAM_HEADERS) {
        st = fail(err, ZKVM_LOAD_TOO_MANY_SEGMENTS, "%zu program headers (at most %d)", c.phnum, MAX_PROGRAM_HEADERS);
        goto out;
    }
    if (c.phnum == 0) {
        st = fail(err, ZKVM_LOAD_NO_EXECUTABLE_SEGMENT, "no program headers");
        goto out;
    }
    size_t phentsize = xlen == 64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
    if (eh->e_phentsize != phentsize || eh->e_phoff > len || (uint64_t)c.phnum * phentsize > len - eh->e_phoff) {
        st = fail(err, ZKVM_LOAD_TRUNCATED, "program header table (offset %llu, %zu entries) lies outside the file",
                  U64(eh->e_phoff), c.phnum);
        goto out;
    }

    p = calloc(1, sizeof *p);
    if (!p || !(p->segments = calloc(c.phnum, sizeof *p->segments))) {
        st = fail(err, ZKVM_LOAD_OUT_OF_MEMORY, "out of memory");
        goto out;
    }
    p->entry = eh->e_entry;
    p->abi = c.abi;
    st = c.abi->load == VM_LOAD_SP1_V6 ? load_v6(&c, p) : load_rv32(&c, p);
    if (st != ZKVM_LOAD_OK) goto out;

    p->abi = vm_abi_detect(p, &p->abi_detected);
    if (vm_decode_program(p) != 0) {
        st = fail(err, ZKVM_LOAD_OUT_OF_MEMORY, "out of memory decoding %u instructions", p->text_words);
        goto out;
    }
    if (c.abi->load == VM_LOAD_SP1_V6) {
        // SP1 decodes the file's words, then builds the memory image (with its zero-fill quirk).
        if ((st = check_decodable(&c, p)) != ZKVM_LOAD_OK) goto out;
        for (size_t i = 0; i < p->segment_count; i++) v6_zero_fill_quirk(p, i);
        for (size_t i = 0; i < p->segment_count; i++) trim(&p->segments[i]);
    }
    vm_program_compute_id(p);
    *out = p;
    p = NULL;
    st = ZKVM_LOAD_OK;

out:
    free_program(p);
    elf_end(e);
    return st;
}

void zkvm_program_id(const zkvm_program *p, uint8_t out[32]) { memcpy(out, p->id, 32); }
uint64_t zkvm_program_entry(const zkvm_program *p) { return p->entry; }
zkvm_abi zkvm_program_abi(const zkvm_program *p) { return p->abi_detected ? p->abi->id : ZKVM_ABI_UNKNOWN; }
unsigned zkvm_program_xlen(const zkvm_program *p) { return p->abi->xlen; }
uint32_t zkvm_program_text_words(const zkvm_program *p) { return p->text_words; }
uint64_t zkvm_program_text_base(const zkvm_program *p) { return p->text_base; }
size_t zkvm_program_segment_count(const zkvm_program *p) { return p->segment_count; }

int zkvm_program_word(const zkvm_program *p, uint64_t address, uint32_t *word) {
    for (size_t i = 0; i < p->segment_count; i++) {
        const vm_segment *s = &p->segments[i];
        if (address < s->vaddr || address - s->vaddr > s->memsz || s->memsz - (address - s->vaddr) < 4) continue;
        uint8_t bytes[4] = {0};
        for (unsigned k = 0; k < 4; k++) {
            uint64_t at = address - s->vaddr + k;
            if (at < s->filesz) bytes[k] = s->bytes[at];
        }
        *word = (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 | (uint32_t)bytes[3] << 24;
        return 0;
    }
    return -1;
}

zkvm_segment_info zkvm_program_segment(const zkvm_program *p, size_t index) {
    zkvm_segment_info info = {0};
    if (index < p->segment_count) {
        const vm_segment *s = &p->segments[index];
        info = (zkvm_segment_info){.vaddr = s->vaddr, .memsz = s->memsz, .filesz = s->filesz, .flags = s->flags};
    }
    return info;
}

zkvm_untrusted_info zkvm_program_untrusted(const zkvm_program *p) {
    return (zkvm_untrusted_info){.enabled = p->untrusted, .heap_start = p->heap_start, .heap_end = p->heap_end,
                                 .has_trap_context = p->has_trap_context, .trap_context = p->trap_context};
}
