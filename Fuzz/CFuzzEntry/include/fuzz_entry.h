#ifndef TURNPIKE_FUZZ_ENTRY_H
#define TURNPIKE_FUZZ_ENTRY_H

#include <stddef.h>
#include <stdint.h>

typedef int (*turnpike_fuzz_callback)(const uint8_t *data, size_t size);

/// Hands control to libFuzzer's driver (LLVMFuzzerRunDriver). SwiftPM names an executable's entry
/// point after its module, so a fuzz target provides that symbol and calls this; in a build
/// without -sanitize=fuzzer the driver is absent and this returns -1.
int turnpike_fuzz_run(int argc, char **argv, turnpike_fuzz_callback callback);

#endif
