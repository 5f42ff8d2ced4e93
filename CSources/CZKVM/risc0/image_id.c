// RISC Zero v1 image ID (R0_V1_ABI.md §3): risc0-binfmt 1.0.x's ELF loader rules, the Merkle page
// table over 1 KiB pages, and the tagged "risc0.SystemState" digest of (root, entry).
//
// The literal algorithm writes all 219,862 page-table entries in ascending page order, hashing
// 6,870 table pages of 16 compressions each. Here the tree is computed sparsely with the same
// result: a table page's bytes depend only on the digests of the pages its entries describe, so a
// table page with no loaded page below it holds exactly what it holds for all-zero memory. Those
// all-zero ("default") digests are computed once per process; a call hashes only its loaded pages
// and the table pages above them ("dirty"), in the same ascending order.

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "risc0.h"

#define R0_PAGE_SIZE 1024u
#define R0_PAGE_TABLE_ADDR 0x0D000000u
#define R0_ENTRIES_PER_PAGE (R0_PAGE_SIZE / R0_DIGEST_BYTES)
#define R0_GUEST_PAGES (ZKVM_RISC0_GUEST_MAX_MEM / R0_PAGE_SIZE)
#define PAGES_PER_CHUNK 64u

// ELF32 layout (the `elf` crate 0.7 that risc0-binfmt 1.0.x parses with).
#define EHDR_SIZE 52u
#define PHDR_SIZE 32u
#define SHDR_SIZE 40u
#define PN_XNUM 0xFFFFu

// MARK: - Page-table geometry

int zkvm_risc0_page_table_geometry(uint32_t page_table_addr, uint32_t page_size, zkvm_risc0_page_table *g) {
    memset(g, 0, sizeof *g);
    if (page_size <= R0_DIGEST_BYTES || (page_size & (page_size - 1)) || page_table_addr < page_size) return -1;
    uint64_t entries_bytes = 0;
    // Each layer holds one digest per page of the layer below; the data pages come first.
    for (uint64_t remain = page_table_addr; remain >= page_size;) {
        if (g->layer_count == sizeof g->layers / sizeof g->layers[0]) return -1;
        remain = remain / page_size * R0_DIGEST_BYTES;
        g->layers[g->layer_count++] = (uint32_t)remain;
        entries_bytes += remain;
    }
    uint64_t table_bytes = (entries_bytes + R0_BLOCK_BYTES - 1) / R0_BLOCK_BYTES * R0_BLOCK_BYTES;
    uint64_t root_addr = (uint64_t)page_table_addr + table_bytes;
    if (root_addr > UINT32_MAX) return -1;
    g->page_size = page_size;
    g->page_table_addr = page_table_addr;
    g->table_bytes = (uint32_t)table_bytes;
    g->num_pages = (uint32_t)(((uint64_t)page_table_addr + entries_bytes) / page_size);
    g->root_idx = (uint32_t)(root_addr / page_size);
    g->root_page_addr = g->root_idx * page_size;
    g->root_addr = (uint32_t)root_addr;
    g->num_root_entries = (g->root_addr - g->root_page_addr) / R0_DIGEST_BYTES;
    return g->root_idx == g->num_pages ? 0 : -1;
}

// MARK: - Process-wide tree constants

/// The v1 tree: pages 0 ..< `first_table_page` are memory (guest, SYSTEM); table page k (page
/// first_table_page + k, k < table_pages) holds the entries of pages 32k ..< 32k + 32; the root page
/// (k = table_pages) holds the entries of the last num_root_entries pages.
static struct {
    zkvm_risc0_page_table geometry;
    uint32_t first_table_page;
    uint32_t table_pages;
    uint8_t zero_page_digest[32];
    uint8_t (*defaults)[32];  ///< [table_pages]: each table page's digest when all memory is zero
    int ready;
} tree;
static pthread_once_t tree_once = PTHREAD_ONCE_INIT;

static int is_table_page(uint32_t idx) { return idx >= tree.first_table_page; }

static void tree_init(void) {
    if (zkvm_risc0_page_table_geometry(R0_PAGE_TABLE_ADDR, R0_PAGE_SIZE, &tree.geometry) != 0) return;
    tree.first_table_page = R0_PAGE_TABLE_ADDR / R0_PAGE_SIZE;
    tree.table_pages = tree.geometry.root_idx - tree.first_table_page;
    static const uint8_t zero_page[R0_PAGE_SIZE];
    zkvm_risc0_page_hash(zero_page, R0_PAGE_SIZE, tree.zero_page_digest);
    if (!(tree.defaults = malloc((size_t)tree.table_pages * R0_DIGEST_BYTES))) return;
    // Whole layers of default table pages repeat one child digest; hash each distinct one once.
    uint8_t page[R0_PAGE_SIZE], repeated_child[32], repeated_digest[32];
    int have_repeat = 0;
    for (uint32_t k = 0; k < tree.table_pages; k++) {
        int uniform = 1;
        for (uint32_t e = 0; e < R0_ENTRIES_PER_PAGE; e++) {
            uint32_t child = k * R0_ENTRIES_PER_PAGE + e;
            const uint8_t *d = is_table_page(child) ? tree.defaults[child - tree.first_table_page] : tree.zero_page_digest;
            memcpy(page + e * R0_DIGEST_BYTES, d, R0_DIGEST_BYTES);
            uniform = uniform && memcmp(d, page, R0_DIGEST_BYTES) == 0;
        }
        if (uniform && have_repeat && memcmp(page, repeated_child, R0_DIGEST_BYTES) == 0) {
            memcpy(tree.defaults[k], repeated_digest, R0_DIGEST_BYTES);
            continue;
        }
        zkvm_risc0_page_hash(page, R0_PAGE_SIZE, tree.defaults[k]);
        if (uniform) {
            memcpy(repeated_child, page, R0_DIGEST_BYTES);
            memcpy(repeated_digest, tree.defaults[k], R0_DIGEST_BYTES);
            have_repeat = 1;
        }
    }
    tree.ready = 1;
}

// MARK: - One computation's sparse memory and dirty table pages

typedef struct page_chunk {
    struct page_chunk *next;
    uint32_t used;
    uint8_t pages[PAGES_PER_CHUNK][R0_PAGE_SIZE];
} page_chunk;

struct r0_image {
    uint8_t **pages;       ///< [R0_GUEST_PAGES]: loaded pages; NULL = no file byte ever landed there (zero)
    page_chunk *chunks;    ///< storage of the loaded pages
    uint8_t *dirty;        ///< [table_pages + 1]: a loaded page lies below table page k (last = root)
    uint8_t (*table)[32];  ///< [table_pages]: digests of the dirty table pages
};

static void image_free(r0_image *im) {
    while (im->chunks) {
        page_chunk *next = im->chunks->next;
        free(im->chunks);
        im->chunks = next;
    }
    free(im->pages);
    free(im->dirty);
    free(im->table);
}

static uint8_t *page_for_data(r0_image *im, uint32_t idx) {
    if (im->pages[idx]) return im->pages[idx];
    if (!im->chunks || im->chunks->used == PAGES_PER_CHUNK) {
        page_chunk *c = calloc(1, sizeof *c);
        if (!c) return NULL;
        c->next = im->chunks;
        im->chunks = c;
    }
    im->dirty[idx / R0_ENTRIES_PER_PAGE] = 1;
    return im->pages[idx] = im->chunks->pages[im->chunks->used++];
}

/// Stores `nbytes` (a multiple of 4) at `vaddr`: `ndata` bytes of `data`, then zeros. Zeros on
/// pages no data reached are left implicit: such a page hashes like an absent one.
static int store(r0_image *im, uint32_t vaddr, const uint8_t *data, uint32_t ndata, uint32_t nbytes) {
    for (uint32_t pos = 0; pos < nbytes;) {
        uint32_t addr = vaddr + pos, idx = addr / R0_PAGE_SIZE, off = addr % R0_PAGE_SIZE;
        uint32_t n = R0_PAGE_SIZE - off < nbytes - pos ? R0_PAGE_SIZE - off : nbytes - pos;
        uint8_t *page = im->pages[idx];
        uint32_t copy = 0;
        if (pos < ndata) {
            if (!(page = page_for_data(im, idx))) return -1;
            copy = ndata - pos < n ? ndata - pos : n;
            memcpy(page + off, data + pos, copy);
        }
        if (page) memset(page + off + copy, 0, n - copy);
        pos += n;
    }
    return 0;
}

// MARK: - Loader (risc0-binfmt 1.0.x Program::load_elf over elf 0.7 ElfBytes::minimal_parse)

static zkvm_load_status fail(zkvm_load_error *err, zkvm_load_status st, const char *fmt, ...) {
    if (!err) return st;
    err->status = st;
    int n = snprintf(err->message, sizeof err->message, "RISC Zero v1 loader: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message + n, sizeof err->message - (size_t)n, fmt, ap);
    va_end(ap);
    return st;
}

static uint32_t rd16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | rd16(p + 2) << 16; }

/// Header checks in the order the elf crate and then load_elf make them.
static zkvm_load_status check_headers(const uint8_t *elf, size_t len, zkvm_load_error *err) {
    if (len < 4 || memcmp(elf, "\x7f" "ELF", 4) != 0) return fail(err, ZKVM_LOAD_NOT_ELF, "not an ELF file (bad magic)");
    if (len < 16) return fail(err, ZKVM_LOAD_TRUNCATED, "truncated ELF identification (%zu bytes)", len);
    if (elf[6] != 1) return fail(err, ZKVM_LOAD_NOT_ELF, "ELF identification version %u is not 1", elf[6]);
    if (elf[4] != 1 && elf[4] != 2) return fail(err, ZKVM_LOAD_WRONG_CLASS, "unknown ELF class %u", elf[4]);
    if (elf[5] != 1) return fail(err, ZKVM_LOAD_WRONG_ENDIANNESS, "ELF data encoding %u is not little-endian", elf[5]);
    if (elf[4] != 1) return fail(err, ZKVM_LOAD_WRONG_CLASS, "ELF64 file: not a 32-bit ELF");
    if (len < EHDR_SIZE) return fail(err, ZKVM_LOAD_TRUNCATED, "truncated ELF header (%zu bytes)", len);

    uint32_t phoff = rd32(elf + 28), shoff = rd32(elf + 32);
    uint32_t phentsize = rd16(elf + 42), phnum = rd16(elf + 44), shentsize = rd16(elf + 46), shnum = rd16(elf + 48);
    // The section header table is only located, but it must be well formed. With e_shnum = 0 the
    // count is section 0's sh_size; with e_phnum = PN_XNUM the program header count is its sh_info.
    if (shoff != 0 && shnum == 0) {
        if ((uint64_t)shoff + SHDR_SIZE > len)
            return fail(err, ZKVM_LOAD_TRUNCATED, "section header 0 at offset %u lies past the end of the file", shoff);
        shnum = rd32(elf + shoff + 20);
    }
    if (shoff != 0 && shentsize != SHDR_SIZE)
        return fail(err, ZKVM_LOAD_NOT_ELF, "malformed section header table: e_shentsize %u is not %u", shentsize,
                    SHDR_SIZE);
    if (shoff != 0 && (uint64_t)shoff + (uint64_t)shnum * SHDR_SIZE > len)
        return fail(err, ZKVM_LOAD_TRUNCATED, "section header table (offset %u, %u entries) lies past the end of the file",
                    shoff, shnum);
    if (phoff != 0) {
        if (phnum == PN_XNUM) {
            if ((uint64_t)shoff + SHDR_SIZE > len)
                return fail(err, ZKVM_LOAD_TRUNCATED, "section header 0 at offset %u lies past the end of the file", shoff);
            phnum = rd32(elf + shoff + 28);
        }
        if (phentsize != PHDR_SIZE)
            return fail(err, ZKVM_LOAD_INVALID_SEGMENT, "e_phentsize %u is not %u", phentsize, PHDR_SIZE);
        if ((uint64_t)phoff + (uint64_t)phnum * PHDR_SIZE > len)
            return fail(err, ZKVM_LOAD_TRUNCATED,
                        "program header table (offset %u, %u entries) lies past the end of the file", phoff, phnum);
    }

    uint32_t machine = rd16(elf + 18), type = rd16(elf + 16), entry = rd32(elf + 24);
    if (machine != 243) return fail(err, ZKVM_LOAD_WRONG_MACHINE, "e_machine %u is not EM_RISCV (243)", machine);
    if (type != 2) return fail(err, ZKVM_LOAD_WRONG_TYPE, "e_type %u is not ET_EXEC", type);
    if (entry >= ZKVM_RISC0_GUEST_MAX_MEM)
        return fail(err, ZKVM_LOAD_ENTRY_NOT_EXECUTABLE, "entry point 0x%08x is not below guest memory's end 0x%08x",
                    entry, ZKVM_RISC0_GUEST_MAX_MEM);
    if (entry & 3) return fail(err, ZKVM_LOAD_MISALIGNED_ENTRY, "entry point 0x%08x is not 4-byte aligned", entry);
    if (phoff == 0) return fail(err, ZKVM_LOAD_NO_EXECUTABLE_SEGMENT, "no program header table (e_phoff is 0)");
    if (phnum > R0_MAX_PHDRS)
        return fail(err, ZKVM_LOAD_TOO_MANY_SEGMENTS, "%u program headers (at most %u)", phnum, R0_MAX_PHDRS);
    return ZKVM_LOAD_OK;
}

static uint32_t program_header_count(const uint8_t *elf) {
    uint32_t phnum = rd16(elf + 44);
    return phnum == PN_XNUM ? rd32(elf + rd32(elf + 32) + 28) : phnum;  // validated by check_headers
}

/// One PT_LOAD segment: words at vaddr + i for i = 0, 4, ... < memsz, each from the file bytes
/// below filesz (zero past them), every address < max_mem, stored over earlier segments' words.
static zkvm_load_status load_segment(r0_image *im, const uint8_t *elf, size_t len, uint32_t i, const uint8_t *ph,
                                     r0_segment *seg, zkvm_load_error *err) {
    const uint32_t max = ZKVM_RISC0_GUEST_MAX_MEM;
    uint32_t offset = rd32(ph + 4), vaddr = rd32(ph + 8), filesz = rd32(ph + 16), memsz = rd32(ph + 20);
    if (filesz >= max)
        return fail(err, ZKVM_LOAD_INVALID_SEGMENT, "segment %u: p_filesz 0x%x is not below 0x%08x", i, filesz, max);
    if (memsz >= max)
        return fail(err, ZKVM_LOAD_INVALID_SEGMENT, "segment %u: p_memsz 0x%x is not below 0x%08x", i, memsz, max);
    if (vaddr & 3)
        return fail(err, ZKVM_LOAD_MISALIGNED_SEGMENT, "segment %u: vaddr 0x%08x is not 4-byte aligned", i, vaddr);
    uint32_t nbytes = (memsz + 3) & ~3u;             // whole words
    uint32_t nread = filesz < nbytes ? filesz : nbytes;  // file bytes those words take
    // The word-by-word load stops at the first word whose address is out of range or whose file
    // bytes run past the end of the file (the address is checked first).
    uint64_t bad_addr = vaddr >= max ? 0 : (uint64_t)(max - vaddr);
    uint64_t avail = offset >= len ? 0 : len - offset;
    uint64_t bad_read = avail < nread ? avail / 4 * 4 : UINT64_MAX;
    if (bad_addr < nbytes && bad_addr <= bad_read)
        return fail(err, ZKVM_LOAD_SEGMENT_OUTSIDE_WINDOW,
                    "segment %u: address 0x%08llx is not below guest memory's end 0x%08x", i,
                    (unsigned long long)(vaddr + bad_addr), max);
    if (bad_read != UINT64_MAX)
        return fail(err, ZKVM_LOAD_TRUNCATED, "segment %u: file bytes [%u, +%u) run past the end of the file (%zu bytes)",
                    i, offset, nread, len);
    if (store(im, vaddr, elf + (nread ? offset : 0), nread, nbytes) != 0)
        return fail(err, ZKVM_LOAD_OUT_OF_MEMORY, "out of memory");
    *seg = (r0_segment){.vaddr = vaddr, .nbytes = nbytes, .flags = rd32(ph + 24)};
    return ZKVM_LOAD_OK;
}

// MARK: - Merkle tree

static int all_zero(const uint8_t *p, size_t n) {
    uint64_t acc = 0, w;
    for (size_t i = 0; i < n; i += 8) {
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    return acc == 0;
}

/// The entry (digest) of page `idx`, written to `out`.
static void entry_digest(const r0_image *im, uint32_t idx, uint8_t *out) {
    if (is_table_page(idx)) {
        uint32_t k = idx - tree.first_table_page;
        memcpy(out, im->dirty[k] ? im->table[k] : tree.defaults[k], R0_DIGEST_BYTES);
    } else if (idx < R0_GUEST_PAGES && im->pages[idx] && !all_zero(im->pages[idx], R0_PAGE_SIZE)) {
        zkvm_risc0_page_hash(im->pages[idx], R0_PAGE_SIZE, out);
    } else {
        memcpy(out, tree.zero_page_digest, R0_DIGEST_BYTES);  // never loaded, SYSTEM or all-zero
    }
}

static void merkle_root(r0_image *im, uint8_t root[32]) {
    uint8_t page[R0_PAGE_SIZE];
    for (uint32_t k = 0; k < tree.table_pages; k++) {
        if (!im->dirty[k]) continue;
        for (uint32_t e = 0; e < R0_ENTRIES_PER_PAGE; e++)
            entry_digest(im, k * R0_ENTRIES_PER_PAGE + e, page + e * R0_DIGEST_BYTES);
        zkvm_risc0_page_hash(page, R0_PAGE_SIZE, im->table[k]);
        // This page's own entry lies in a later table page (or the root page).
        im->dirty[(tree.first_table_page + k) / R0_ENTRIES_PER_PAGE] = 1;
    }
    uint32_t first = tree.table_pages * R0_ENTRIES_PER_PAGE, n = tree.geometry.num_root_entries;
    for (uint32_t e = 0; e < n; e++) entry_digest(im, first + e, page + e * R0_DIGEST_BYTES);
    zkvm_risc0_page_hash(page, (size_t)n * R0_DIGEST_BYTES, root);
}

// MARK: - Loading and the image ID

void r0_image_free(r0_image *im) {
    if (!im) return;
    image_free(im);
    free(im);
}

zkvm_load_status r0_image_load(const uint8_t *elf, size_t len, r0_image **out, r0_segment segments[R0_MAX_PHDRS],
                               size_t *segment_count, zkvm_risc0_image *id, zkvm_load_error *err) {
    *out = NULL;
    *segment_count = 0;
    memset(id, 0, sizeof *id);
    if (err) {
        err->status = ZKVM_LOAD_OK;
        err->message[0] = 0;
    }
    if (!elf) len = 0;
    zkvm_load_status st = check_headers(elf, len, err);
    if (st != ZKVM_LOAD_OK) return st;
    pthread_once(&tree_once, tree_init);
    if (!tree.ready) return fail(err, ZKVM_LOAD_OUT_OF_MEMORY, "page-table initialisation failed");

    r0_image *im = calloc(1, sizeof *im);
    if (im) {
        im->pages = calloc(R0_GUEST_PAGES, sizeof *im->pages);
        im->dirty = calloc(tree.table_pages + 1, 1);
        im->table = malloc((size_t)tree.table_pages * R0_DIGEST_BYTES);
    }
    if (!im || !im->pages || !im->dirty || !im->table) {
        r0_image_free(im);
        return fail(err, ZKVM_LOAD_OUT_OF_MEMORY, "out of memory");
    }
    uint32_t phoff = rd32(elf + 28), phnum = program_header_count(elf);
    for (uint32_t i = 0; i < phnum && st == ZKVM_LOAD_OK; i++) {
        const uint8_t *ph = elf + phoff + (size_t)i * PHDR_SIZE;
        if (rd32(ph) == 1)  // PT_LOAD; others are ignored
            st = load_segment(im, elf, len, i, ph, &segments[(*segment_count)++], err);
    }
    if (st == ZKVM_LOAD_OK) {
        id->entry = rd32(elf + 24);
        merkle_root(im, id->merkle_root);
        uint32_t pc = id->entry;
        if (zkvm_risc0_tagged_struct("risc0.SystemState", id->merkle_root, 1, &pc, 1, id->image_id) != 0)
            st = fail(err, ZKVM_LOAD_OUT_OF_MEMORY, "out of memory");
    }
    if (st != ZKVM_LOAD_OK) {
        r0_image_free(im);
        memset(id, 0, sizeof *id);
        *segment_count = 0;
        return st;
    }
    *out = im;
    return ZKVM_LOAD_OK;
}

void r0_image_read(const r0_image *im, uint32_t addr, uint8_t *dst, size_t n) {
    while (n) {
        uint32_t idx = addr / R0_PAGE_SIZE, off = addr % R0_PAGE_SIZE;
        size_t take = R0_PAGE_SIZE - off < n ? R0_PAGE_SIZE - off : n;
        const uint8_t *page = idx < R0_GUEST_PAGES ? im->pages[idx] : NULL;
        if (page)
            memcpy(dst, page + off, take);
        else
            memset(dst, 0, take);
        dst += take, addr += (uint32_t)take, n -= take;
    }
}

size_t r0_image_used(const r0_image *im, uint32_t addr, size_t n) {
    while (n) {
        uint32_t last = addr + (uint32_t)n - 1, idx = last / R0_PAGE_SIZE, start = idx * R0_PAGE_SIZE;
        uint32_t from = start > addr ? start : addr;
        const uint8_t *page = idx < R0_GUEST_PAGES ? im->pages[idx] : NULL;
        for (uint32_t b = last + 1; page && b-- > from;)
            if (page[b - start]) return (size_t)(b - addr) + 1;
        n = from - addr;
    }
    return 0;
}

zkvm_load_status zkvm_risc0_image_id(const uint8_t *elf, size_t len, zkvm_risc0_image *out, zkvm_load_error *err) {
    r0_image *im;
    r0_segment segments[R0_MAX_PHDRS];
    size_t count;
    zkvm_load_status st = r0_image_load(elf, len, &im, segments, &count, out, err);
    r0_image_free(im);
    return st;
}
