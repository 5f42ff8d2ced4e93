/* Quicksort benchmark: median-of-three partitioning, insertion sort for short runs. */
#include "workloads.h"

static void insertion_sort(uint32_t *a, uint32_t n) {
    for (uint32_t i = 1; i < n; i++) {
        uint32_t v = a[i], j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

static inline void swap_u32(uint32_t *a, uint32_t *b) {
    uint32_t t = *a;
    *a = *b;
    *b = t;
}

static void quicksort(uint32_t *a, uint32_t n) {
    /* Recurse into the smaller side, loop on the larger: stack depth stays O(log n). */
    while (n > 16) {
        uint32_t mid = n / 2, last = n - 1;
        if (a[mid] < a[0]) swap_u32(&a[mid], &a[0]);
        if (a[last] < a[0]) swap_u32(&a[last], &a[0]);
        if (a[last] < a[mid]) swap_u32(&a[last], &a[mid]);
        uint32_t pivot = a[mid];
        /* Hoare partition: afterwards a[0..=j] <= pivot <= a[j+1..n). */
        uint32_t i = 0, j = last;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            swap_u32(&a[i], &a[j]);
            i++;
            j--;
        }
        uint32_t left = j + 1, right = n - left;
        if (left < right) {
            quicksort(a, left);
            a += left;
            n = right;
        } else {
            quicksort(a + left, right);
            n = left;
        }
    }
    insertion_sort(a, n);
}

uint64_t wl_sort(uint32_t n, uint32_t *a) {
    uint32_t x = 0x2545F491u;
    for (uint32_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        a[i] = x;
    }
    quicksort(a, n);
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint32_t i = 0; i < n; i++) {
        if (i > 0 && a[i - 1] > a[i]) return 0;
        h = (h ^ a[i]) * 0x100000001b3ull;
    }
    return h;
}
