/* The userspace side of the verdict reason registry in turnpike_xdp.h: names and verdicts,
 * expanded from the same X-macro the BPF program uses, so the two cannot disagree. */
#include "turnpike_xdp.h"
#include <stddef.h>

const char *turnpike_reason_name(__u32 reason)
{
    switch (reason) {
#define TURNPIKE_NAME_CASE_(number, verdict, identifier, name) \
    case number:                                               \
        return name;
        TURNPIKE_XDP_REASONS(TURNPIKE_NAME_CASE_)
#undef TURNPIKE_NAME_CASE_
    default:
        return NULL;
    }
}

__u32 turnpike_reason_verdict(__u32 reason)
{
    switch (reason) {
#define TURNPIKE_VERDICT_CASE_(number, verdict, identifier, name) \
    case number:                                                  \
        return TURNPIKE_VERDICT_##verdict;
        TURNPIKE_XDP_REASONS(TURNPIKE_VERDICT_CASE_)
#undef TURNPIKE_VERDICT_CASE_
    default:
        return 0;
    }
}
