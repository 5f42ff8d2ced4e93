#ifndef ZKVM_RISC0_IMAGE_H
#define ZKVM_RISC0_IMAGE_H

// RISC Zero v1's ELF loading (image_id.c) as the program loader (program_load.c) uses it: the
// loaded memory, its PT_LOAD segments and the image ID, computed in one pass over the file.

#include <stddef.h>
#include <stdint.h>

#include "../program.h"

/// RISC Zero v1 accepts at most this many program headers.
#define R0_MAX_PHDRS 256u

/// The sparse memory of an ELF loaded by RISC Zero v1's rules.
typedef struct r0_image r0_image;

/// A PT_LOAD segment as RISC Zero v1 loaded it, in file order.
typedef struct r0_segment {
    uint32_t vaddr;
    uint32_t nbytes;  ///< p_memsz rounded up to whole words: the words it wrote
    uint32_t flags;   ///< p_flags (RISC Zero ignores them)
} r0_segment;

/// Loads `elf` as zkvm_risc0_image_id does (same rules, same errors) and keeps the result: `*out`
/// is the memory (release with r0_image_free), segments[0 ..< *segment_count] the PT_LOAD
/// segments and `id` the image ID. On failure *out is NULL and `err` says why.
zkvm_load_status r0_image_load(const uint8_t *elf, size_t len, r0_image **out, r0_segment segments[R0_MAX_PHDRS],
                               size_t *segment_count, zkvm_risc0_image *id, zkvm_load_error *err);

/// Copies loaded memory [addr, addr + n) to dst; memory no segment wrote reads as zero.
void r0_image_read(const r0_image *im, uint32_t addr, uint8_t *dst, size_t n);

/// The length of [addr, addr + n) up to and including its last non-zero byte (0 if all zero).
size_t r0_image_used(const r0_image *im, uint32_t addr, size_t n);

void r0_image_free(r0_image *im);

/// Loads `elf` for execution under the RISC Zero 1.x ABI into `p` (allocated and zeroed by the
/// caller, which frees it on failure): v1 loader rules, the final memory image after all
/// segments, the image ID as the program ID, and the pre-decoded text of the PF_X segments, at
/// most `max_text` bytes wide (program_load.c).
zkvm_load_status vm_risc0_program_fill(zkvm_program *p, const uint8_t *elf, size_t len, uint64_t max_text,
                                       zkvm_load_error *err);

#endif
