#include "fuzz_entry.h"

/* Provided by libclang_rt.fuzzer when linked with -sanitize=fuzzer; weak so that the plain
   (corpus replay) build links without it. */
extern int LLVMFuzzerRunDriver(int *argc, char ***argv,
                               int (*callback)(const uint8_t *data, size_t size)) __attribute__((weak));

int turnpike_fuzz_run(int argc, char **argv, turnpike_fuzz_callback callback) {
    if (!LLVMFuzzerRunDriver) {
        return -1;
    }
    return LLVMFuzzerRunDriver(&argc, &argv, callback);
}
