// Loading a program for the RISC Zero 1.x ABI (R0_V1_ABI.md §3.1 step 1, §2.4): RISC Zero v1's
// loader rules, not SP1's. Every PT_LOAD segment is loaded word by word whatever its flags, a
// later segment's words replace an earlier one's, any 4-aligned address below 0x0C000000 is
// accepted (also below the guest window at 0x400, where the guest cannot reach it) and the entry
// only has to be 4-aligned and below 0x0C000000. The program ID is the v1 image ID of that image.
//
// Each segment of the loaded program carries the *final* bytes of its range (after all segments
// were written), so overlapping segments hold identical bytes where they overlap and copying them
// into guest memory in any order gives RISC Zero's image. The PF_X segments are pre-decoded like
// SP1's; RISC Zero fetches from any guest memory, so a jump outside them (or an entry outside
// them) is an error here where RISC Zero would execute the bytes there (README, "RISC Zero").

#include <stdlib.h>
#include <string.h>

#include "../loader.h"
#include "descriptor.h"
#include "image.h"

static int by_vaddr(const void *a, const void *b) {
    const vm_segment *x = a, *y = b;
    return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static zkvm_load_status failure(zkvm_load_error *err, zkvm_load_status st, const char *message) {
    if (err) {
        err->status = st;
        strncpy(err->message, message, sizeof err->message - 1);
        err->message[sizeof err->message - 1] = 0;
    }
    return st;
}

/// The segment's final bytes, trailing zeros trimmed (they equal the zero fill).
static int take_bytes(vm_segment *seg, const r0_image *im) {
    seg->filesz = (uint32_t)r0_image_used(im, seg->vaddr, seg->memsz);
    if (!seg->filesz) return 0;
    if (!(seg->bytes = malloc(seg->filesz))) return -1;
    r0_image_read(im, seg->vaddr, seg->bytes, seg->filesz);
    return 0;
}

zkvm_load_status vm_risc0_program_fill(zkvm_program *p, const uint8_t *elf, size_t len, uint64_t max_text,
                                       zkvm_load_error *err) {
    r0_image *im;
    r0_segment loaded[R0_MAX_PHDRS];
    size_t count;
    zkvm_risc0_image id;
    zkvm_load_status st = r0_image_load(elf, len, &im, loaded, &count, &id, err);
    if (st != ZKVM_LOAD_OK) return st;

    p->entry = id.entry;
    p->abi = &vm_abi_risc0_v1;
    p->abi_detected = true;  // named by the caller: zkvm_program_abi reports it
    memcpy(p->id, id.image_id, sizeof p->id);
    // One more slot per segment: an executable segment reaching below guest memory is split there.
    if (!(p->segments = calloc(2 * count + 1, sizeof *p->segments))) {
        st = failure(err, ZKVM_LOAD_OUT_OF_MEMORY, "RISC Zero v1 loader: out of memory");
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        if (!loaded[i].nbytes) continue;
        uint32_t vaddr = loaded[i].vaddr, end = vaddr + loaded[i].nbytes, flags = loaded[i].flags & 7;
        // Below guest memory a fetch traps: the part of an executable segment there is not code.
        uint32_t split = vaddr;
        if ((flags & 1) && vaddr < ZKVM_RISC0_GUEST_MIN_MEM)
            split = end < ZKVM_RISC0_GUEST_MIN_MEM ? end : ZKVM_RISC0_GUEST_MIN_MEM;
        const uint32_t parts[2][3] = {{vaddr, split, flags & ~1u}, {split, end, flags}};
        for (unsigned k = 0; k < 2; k++) {
            if (parts[k][1] <= parts[k][0]) continue;
            vm_segment *seg = &p->segments[p->segment_count++];
            *seg = (vm_segment){.vaddr = parts[k][0], .memsz = parts[k][1] - parts[k][0], .flags = parts[k][2]};
            if (take_bytes(seg, im) != 0) {
                st = failure(err, ZKVM_LOAD_OUT_OF_MEMORY, "RISC Zero v1 loader: out of memory");
                goto out;
            }
            seg->decoded = seg->flags & 1;  // its file-backed words are code
            seg->decoded_bytes = seg->filesz;
        }
    }
    qsort(p->segments, p->segment_count, sizeof *p->segments, by_vaddr);

    // The decoded text: the file-backed words of the PF_X segments (none: the run fails at its entry).
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < p->segment_count; i++) {
        const vm_segment *s = &p->segments[i];
        if (!(s->flags & 1) || !s->filesz) continue;
        if (s->vaddr < lo) lo = s->vaddr;
        if ((uint64_t)s->vaddr + s->filesz > hi) hi = (uint64_t)s->vaddr + s->filesz;
    }
    if (hi == 0) lo = hi = p->entry;
    hi = (hi + 3) & ~3ull;
    if (hi - lo > max_text) {
        st = failure(err, ZKVM_LOAD_IMAGE_TOO_LARGE, "RISC Zero v1 loader: the executable segments span more "
                                                     "bytes than the engine pre-decodes (max_text_bytes)");
        goto out;
    }
    p->text_base = (uint32_t)lo;
    p->text_words = (uint32_t)((hi - lo) / 4);
    if (vm_decode_program(p) != 0) st = failure(err, ZKVM_LOAD_OUT_OF_MEMORY, "RISC Zero v1 loader: out of memory");

out:
    r0_image_free(im);
    return st;
}
