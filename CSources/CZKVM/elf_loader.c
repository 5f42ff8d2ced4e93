// ELF loading with libelf: validation (SP1_ABI.md §1 plus stricter layout checks), segment
// copies, the choice of the guest ABI (abis.h), program ID and pre-decoding. A RISC Zero program
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

/// Zeroes the bytes of a segment that describe the file's layout rather than the program: the ELF
/// header's section-table fields and every program header's p_offset. lld maps the headers into
/// the first PT_LOAD segment, and `strip` rewrites exactly these fields, so without this the image
/// (and the program ID) would change when symbols are stripped. Guests never read them.
static void canonicalize_layout_fields(uint8_t *bytes, uint64_t file_offset, uint64_t filesz, uint32_t phoff,
                                       size_t phnum) {
    struct range {
        uint64_t start, len;
    } fields[MAX_PROGRAM_HEADERS + 2] = {{32, 4} /* e_shoff */, {46, 6} /* e_shentsize, e_shnum, e_shstrndx */};
    size_t n = 2;
    for (size_t i = 0; i < phnum; i++) fields[n++] = (struct range){(uint64_t)phoff + 32 * i + 4, 4};  // p_offset
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
    free(p);
}

void zkvm_program_free(zkvm_program *p) { free_program(p); }

static zkvm_load_status check_header(const vm_abi_desc *abi, const uint8_t *elf, size_t len, zkvm_load_error *err) {
    if (len < 4 || memcmp(elf, ELFMAG, SELFMAG) != 0) return fail(err, ZKVM_LOAD_NOT_ELF, "not an ELF file (bad magic)");
    if (len < EI_NIDENT) return fail(err, ZKVM_LOAD_TRUNCATED, "truncated ELF identification (%zu bytes)", len);
    if (elf[EI_CLASS] != (abi->xlen == 64 ? ELFCLASS64 : ELFCLASS32))
        return fail(err, ZKVM_LOAD_WRONG_CLASS, "ELF class %u is not ELFCLASS%u (RV%u guests only)", elf[EI_CLASS],
                    abi->xlen, abi->xlen);
    if (elf[EI_DATA] != ELFDATA2LSB)
        return fail(err, ZKVM_LOAD_WRONG_ENDIANNESS, "ELF data encoding %u is not little-endian", elf[EI_DATA]);
    if (len < sizeof(Elf32_Ehdr)) return fail(err, ZKVM_LOAD_TRUNCATED, "truncated ELF header (%zu bytes)", len);
    return ZKVM_LOAD_OK;
}

zkvm_load_status zkvm_program_load(const uint8_t *elf, size_t len, const zkvm_load_options *options,
                                   zkvm_program **out, zkvm_load_error *err) {
    *out = NULL;
    if (err) {
        err->status = ZKVM_LOAD_OK;
        err->message[0] = 0;
    }
    uint64_t max_image = options && options->max_image_bytes ? options->max_image_bytes : DEFAULT_MAX_IMAGE;
    uint64_t max_text = options && options->max_text_bytes ? options->max_text_bytes : DEFAULT_MAX_TEXT;
    if (options && options->vm == ZKVM_VM_RISC0) {
        zkvm_program *r0 = calloc(1, sizeof *r0);
        zkvm_load_status r0_status = r0 ? vm_risc0_program_fill(r0, elf, len, max_text, err)
                                        : fail(err, ZKVM_LOAD_OUT_OF_MEMORY, "out of memory");
        if (r0_status == ZKVM_LOAD_OK) *out = r0; else free_program(r0);
        return r0_status;
    }

    // The default ABI's register width and window apply while loading; the code then picks the version.
    const vm_abi_desc *abi = vm_abi_default;
    zkvm_load_status st = check_header(abi, elf, len, err);
    if (st != ZKVM_LOAD_OK) return st;

    pthread_once(&libelf_once, libelf_init);
    if (!libelf_ready) return fail(err, ZKVM_LOAD_OUT_OF_MEMORY, "libelf initialisation failed");

    // libelf only reads the image in ELF_C_READ_MMAP mode; it does not write through the pointer.
    Elf *e = elf_memory((char *)elf, len);
    if (!e) return fail(err, ZKVM_LOAD_NOT_ELF, "libelf rejected the file: %s", elf_errmsg(-1));
    zkvm_program *p = NULL;

    Elf32_Ehdr *eh = elf32_getehdr(e);
    if (!eh) {
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
        st = fail(err, ZKVM_LOAD_MISALIGNED_ENTRY, "entry point 0x%08x is not 4-byte aligned", eh->e_entry);
        goto out;
    }

    size_t phnum = 0;
    if (elf_getphdrnum(e, &phnum) != 0) {
        st = fail(err, ZKVM_LOAD_TRUNCATED, "unreadable program header count: %s", elf_errmsg(-1));
        goto out;
    }
    if (phnum > MAX_PROGRAM_HEADERS) {
        st = fail(err, ZKVM_LOAD_TOO_MANY_SEGMENTS, "%zu program headers (at most %d)", phnum, MAX_PROGRAM_HEADERS);
        goto out;
    }
    if (phnum == 0) {
        st = fail(err, ZKVM_LOAD_NO_EXECUTABLE_SEGMENT, "no program headers");
        goto out;
    }
    if (eh->e_phentsize != sizeof(Elf32_Phdr) || (uint64_t)eh->e_phoff + (uint64_t)phnum * sizeof(Elf32_Phdr) > len) {
        st = fail(err, ZKVM_LOAD_TRUNCATED, "program header table (offset %u, %zu entries) lies outside the file",
                  eh->e_phoff, phnum);
        goto out;
    }
    Elf32_Phdr *ph = elf32_getphdr(e);
    if (!ph) {
        st = fail(err, ZKVM_LOAD_TRUNCATED, "unreadable program headers: %s", elf_errmsg(-1));
        goto out;
    }

    p = calloc(1, sizeof *p);
    if (!p || !(p->segments = calloc(phnum, sizeof *p->segments))) {
        st = fail(err, ZKVM_LOAD_OUT_OF_MEMORY, "out of memory");
        goto out;
    }
    p->entry = eh->e_entry;

    uint64_t image = 0;
    for (size_t i = 0; i < phnum; i++) {
        const Elf32_Phdr *h = &ph[i];
        if (h->p_type != PT_LOAD || h->p_memsz == 0) continue;
        if (h->p_vaddr & 3) {
            st = fail(err, ZKVM_LOAD_MISALIGNED_SEGMENT, "segment %zu: vaddr 0x%08x is not 4-byte aligned", i, h->p_vaddr);
            goto out;
        }
        if (h->p_filesz > h->p_memsz) {
            st = fail(err, ZKVM_LOAD_INVALID_SEGMENT, "segment %zu: filesz %u exceeds memsz %u", i, h->p_filesz, h->p_memsz);
            goto out;
        }
        if ((uint64_t)h->p_offset + h->p_filesz > len) {
            st = fail(err, ZKVM_LOAD_TRUNCATED, "segment %zu: file bytes [%u, +%u) lie past the end of the file (%zu bytes)",
                      i, h->p_offset, h->p_filesz, len);
            goto out;
        }
        if (!vm_abi_range_ok(abi, h->p_vaddr, h->p_memsz)) {
            st = fail(err, ZKVM_LOAD_SEGMENT_OUTSIDE_WINDOW,
                      "segment %zu: [0x%08x, +0x%x) lies outside the guest window [0x%08llx, 0x%08llx)", i, h->p_vaddr,
                      h->p_memsz, (unsigned long long)abi->mem_lowest, (unsigned long long)abi->mem_end);
            goto out;
        }
        image += h->p_memsz;
        if (image > max_image) {
            st = fail(err, ZKVM_LOAD_IMAGE_TOO_LARGE, "loaded image exceeds %llu bytes", (unsigned long long)max_image);
            goto out;
        }
        vm_segment *seg = &p->segments[p->segment_count++];
        *seg = (vm_segment){.vaddr = h->p_vaddr, .memsz = h->p_memsz, .filesz = h->p_filesz, .flags = h->p_flags & 7};
        if (h->p_filesz) {
            if (!(seg->bytes = malloc(h->p_filesz))) {
                st = fail(err, ZKVM_LOAD_OUT_OF_MEMORY, "out of memory");
                goto out;
            }
            memcpy(seg->bytes, elf + h->p_offset, h->p_filesz);
            canonicalize_layout_fields(seg->bytes, h->p_offset, h->p_filesz, eh->e_phoff, phnum);
        }
        // Trailing zero file bytes are indistinguishable from zero fill: trim them so the ID
        // depends only on the loaded image.
        while (seg->filesz > 0 && seg->bytes[seg->filesz - 1] == 0) seg->filesz--;
    }

    qsort(p->segments, p->segment_count, sizeof *p->segments, cmp_segment);
    uint64_t text_lo = UINT64_MAX, text_hi = 0;
    int has_executable = 0;
    for (size_t i = 0; i < p->segment_count; i++) {
        const vm_segment *s = &p->segments[i];
        if (i > 0) {
            const vm_segment *prev = &p->segments[i - 1];
            if ((uint64_t)prev->vaddr + prev->memsz > s->vaddr) {
                st = fail(err, ZKVM_LOAD_OVERLAPPING_SEGMENTS, "segments [0x%08x, +0x%x) and [0x%08x, +0x%x) overlap",
                          prev->vaddr, prev->memsz, s->vaddr, s->memsz);
                goto out;
            }
        }
        if (s->flags & 1) {
            // Only file-backed words are decoded: zero fill would decode as illegal instructions,
            // and decoding it would let a tiny ELF claim megabytes of host memory.
            if (s->vaddr < text_lo) text_lo = s->vaddr;
            if ((uint64_t)s->vaddr + s->filesz > text_hi) text_hi = (uint64_t)s->vaddr + s->filesz;
            has_executable = 1;
        }
    }
    if (!has_executable) {
        st = fail(err, ZKVM_LOAD_NO_EXECUTABLE_SEGMENT, "no executable (PF_X) PT_LOAD segment");
        goto out;
    }
    if (text_hi <= text_lo) {
        st = fail(err, ZKVM_LOAD_NO_EXECUTABLE_SEGMENT, "the executable segments hold no code (only zero bytes)");
        goto out;
    }
    text_hi = (text_hi + 3) & ~3ull;
    if (text_hi - text_lo > max_text) {
        st = fail(err, ZKVM_LOAD_IMAGE_TOO_LARGE, "executable span of %llu bytes exceeds %llu",
                  (unsigned long long)(text_hi - text_lo), (unsigned long long)max_text);
        goto out;
    }
    int entry_ok = 0;
    for (size_t i = 0; i < p->segment_count; i++) {
        const vm_segment *s = &p->segments[i];
        if ((s->flags & 1) && p->entry >= s->vaddr && p->entry - s->vaddr < s->memsz) entry_ok = 1;
    }
    if (!entry_ok) {
        st = fail(err, ZKVM_LOAD_ENTRY_NOT_EXECUTABLE, "entry point 0x%08x is not inside an executable segment", p->entry);
        goto out;
    }
    if (p->entry >= text_hi) {
        st = fail(err, ZKVM_LOAD_ENTRY_NOT_EXECUTABLE,
                  "entry point 0x%08x lies in the zero-filled part of its executable segment (no code there)", p->entry);
        goto out;
    }
    p->text_base = (uint32_t)text_lo;
    p->text_words = (uint32_t)((text_hi - text_lo) / 4);

    p->abi = vm_abi_detect(p, &p->abi_detected);
    vm_program_compute_id(p);
    if (vm_decode_program(p) != 0) {
        st = fail(err, ZKVM_LOAD_OUT_OF_MEMORY, "out of memory decoding %u instructions", p->text_words);
        goto out;
    }
    *out = p;
    p = NULL;
    st = ZKVM_LOAD_OK;

out:
    free_program(p);
    elf_end(e);
    return st;
}

void zkvm_program_id(const zkvm_program *p, uint8_t out[32]) { memcpy(out, p->id, 32); }
uint32_t zkvm_program_entry(const zkvm_program *p) { return p->entry; }
zkvm_abi zkvm_program_abi(const zkvm_program *p) { return p->abi_detected ? p->abi->id : ZKVM_ABI_UNKNOWN; }
uint32_t zkvm_program_text_words(const zkvm_program *p) { return p->text_words; }
uint32_t zkvm_program_text_base(const zkvm_program *p) { return p->text_base; }
size_t zkvm_program_segment_count(const zkvm_program *p) { return p->segment_count; }

zkvm_segment_info zkvm_program_segment(const zkvm_program *p, size_t index) {
    zkvm_segment_info info = {0};
    if (index < p->segment_count) {
        const vm_segment *s = &p->segments[index];
        info = (zkvm_segment_info){.vaddr = s->vaddr, .memsz = s->memsz, .filesz = s->filesz, .flags = s->flags};
    }
    return info;
}
