#include "turnpike_xdp_libbpf.h"
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough for the tail of a verifier log; older text is dropped as newer arrives. */
#define TURNPIKE_LOG_CAPACITY 16384

static __thread char turnpike_log[TURNPIKE_LOG_CAPACITY];
static __thread size_t turnpike_log_used;

static void turnpike_log_append(const char *text, size_t size)
{
    /* Only the tail fits: the end of a verifier log says what failed. */
    if (size >= TURNPIKE_LOG_CAPACITY) {
        text += size - (TURNPIKE_LOG_CAPACITY - 1);
        size = TURNPIKE_LOG_CAPACITY - 1;
    }
    if (turnpike_log_used + size >= TURNPIKE_LOG_CAPACITY) {
        size_t drop = turnpike_log_used + size - (TURNPIKE_LOG_CAPACITY - 1);
        memmove(turnpike_log, turnpike_log + drop, turnpike_log_used - drop);
        turnpike_log_used -= drop;
    }
    memcpy(turnpike_log + turnpike_log_used, text, size);
    turnpike_log_used += size;
    turnpike_log[turnpike_log_used] = '\0';
}

static int turnpike_libbpf_print(enum libbpf_print_level level, const char *format, va_list arguments)
{
    if (level == LIBBPF_DEBUG)
        return 0;
    va_list copy;
    va_copy(copy, arguments);
    int length = vsnprintf(NULL, 0, format, copy);
    va_end(copy);
    if (length <= 0)
        return 0;
    char *text = malloc((size_t)length + 1);
    if (!text)
        return 0;
    vsnprintf(text, (size_t)length + 1, format, arguments);
    turnpike_log_append(text, (size_t)length);
    free(text);
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
