// Shared by the standalone C tools under scripts/ (work_weights.c, interp-bench/bench.c).
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/// The whole file at `path` in a malloc'd buffer (its length in *len), or NULL if it cannot be opened.
static inline uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) n = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}
