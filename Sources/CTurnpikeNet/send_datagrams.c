#define _GNU_SOURCE
#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "turnpike_net.h"

/// Datagrams per sendmmsg call: the stack arrays below, well under UIO_MAXIOV (1024).
#define TURNPIKE_SEND_BATCH 64

static int buffer_full(int error) {
    return error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS;
}

unsigned int turnpike_send_datagrams(struct turnpike_datagram *datagrams, unsigned int count) {
    struct mmsghdr messages[TURNPIKE_SEND_BATCH];
    struct iovec vectors[TURNPIKE_SEND_BATCH];
    unsigned int calls = 0;
    unsigned int next = 0;
    while (next < count) {
        int fd = datagrams[next].fd;
        unsigned int batch = 0;
        while (batch < TURNPIKE_SEND_BATCH && next + batch < count && datagrams[next + batch].fd == fd) {
            struct turnpike_datagram *d = &datagrams[next + batch];
            d->error = 0;
            vectors[batch].iov_base = (void *)d->data;
            vectors[batch].iov_len = d->length;
            messages[batch].msg_hdr = (struct msghdr){
                .msg_name = &d->destination,
                .msg_namelen = d->destination_length,
                .msg_iov = &vectors[batch],
                .msg_iovlen = 1,
            };
            messages[batch].msg_len = 0;
            batch++;
        }
        int sent;
        do {
            sent = sendmmsg(fd, messages, batch, MSG_DONTWAIT);
        } while (sent < 0 && errno == EINTR);
        calls++;
        if (sent < 0) {
            // The first datagram of the batch failed; the others are tried again, unless the
            // socket is full, which they would only find out one system call each.
            int error = errno;
            datagrams[next].error = error;
            next++;
            if (buffer_full(error)) {
                while (next < count && datagrams[next].fd == fd) datagrams[next++].error = error;
            }
            continue;
        }
        if (sent == 0) {  // no progress without an errno: never loop on it
            datagrams[next++].error = EIO;
            continue;
        }
        // sendmmsg stops at the first failing datagram after at least one success; the next
        // call starts with it and reports its errno.
        next += (unsigned int)sent;
    }
    return calls;
}
