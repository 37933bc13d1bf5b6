/* A small shim over libbpf's logging for Swift, which cannot implement a va_list callback:
 * libbpf's messages (the verifier log among them) are kept per thread, so a failed load can
 * report why. */
#ifndef TURNPIKE_XDP_LIBBPF_H
#define TURNPIKE_XDP_LIBBPF_H

#include <stddef.h>
/* XDP_FLAGS_* for bpf_xdp_attach, importable by Swift from here. */
#include <linux/if_link.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Routes libbpf's warnings and info messages into the calling thread's buffer (debug messages
 * are discarded) instead of stderr. Idempotent. */
void turnpike_libbpf_capture_log(void);

/* Copies the calling thread's captured messages (NUL-terminated, truncated to capacity) and
 * clears them. Returns the number of bytes copied, excluding the NUL. */
size_t turnpike_libbpf_take_log(char *buffer, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
