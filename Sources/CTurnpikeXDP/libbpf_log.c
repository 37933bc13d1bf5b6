#include "turnpike_xdp_libbpf.h"
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Enough for the tail of a verifier log; older text is dropped when it fills. */
#define TURNPIKE_LOG_CAPACITY 16384

static __thread char turnpike_log[TURNPIKE_LOG_CAPACITY];
static __thread size_t turnpike_log_used;

static int turnpike_libbpf_print(enum libbpf_print_level level, const char *format, va_list arguments)
{
    if (level == LIBBPF_DEBUG)
        return 0;
    char line[1024];
    int length = vsnprintf(line, sizeof(line), format, arguments);
    if (length <= 0)
        return 0;
    size_t size = (size_t)length < sizeof(line) ? (size_t)length : sizeof(line) - 1;
    if (turnpike_log_used + size >= TURNPIKE_LOG_CAPACITY) {
        /* Keep the newest half: the end of a verifier log says what failed. */
        size_t keep = TURNPIKE_LOG_CAPACITY / 2;
        size_t start = turnpike_log_used > keep ? turnpike_log_used - keep : 0;
        memmove(turnpike_log, turnpike_log + start, turnpike_log_used - start);
        turnpike_log_used -= start;
        if (turnpike_log_used + size >= TURNPIKE_LOG_CAPACITY)
            size = TURNPIKE_LOG_CAPACITY - 1 - turnpike_log_used;
    }
    memcpy(turnpike_log + turnpike_log_used, line, size);
    turnpike_log_used += size;
    turnpike_log[turnpike_log_used] = '\0';
    return length;
}

void turnpike_libbpf_capture_log(void)
{
    libbpf_set_print(turnpike_libbpf_print);
}

size_t turnpike_libbpf_take_log(char *buffer, size_t capacity)
{
    if (capacity == 0)
        return 0;
    size_t size = turnpike_log_used < capacity - 1 ? turnpike_log_used : capacity - 1;
    memcpy(buffer, turnpike_log, size);
    buffer[size] = '\0';
    turnpike_log_used = 0;
    return size;
}
