/* LD_PRELOAD shim for scripts/bench-allocations: counts every heap allocation of the
 * process (malloc, calloc, realloc, posix_memalign, aligned_alloc) and prints the total on exit. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_ulong allocations;

static void counted(void) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); }

void *malloc(size_t size) { counted(); return __libc_malloc(size); }
void *calloc(size_t count, size_t size) { counted(); return __libc_calloc(count, size); }
void *realloc(void *pointer, size_t size) { counted(); return __libc_realloc(pointer, size); }
void *aligned_alloc(size_t alignment, size_t size) { counted(); return __libc_memalign(alignment, size); }

int posix_memalign(void **pointer, size_t alignment, size_t size) {
    counted();
    *pointer = __libc_memalign(alignment, size);
    return *pointer ? 0 : 12; /* ENOMEM */
}

__attribute__((destructor)) static void report(void) {
    char line[64];
    int length = snprintf(line, sizeof line, "heap allocations: %lu\n", atomic_load(&allocations));
    if (length > 0) write(2, line, (size_t)length);
}
