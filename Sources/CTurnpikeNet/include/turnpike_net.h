// Batched UDP sends for the userspace relay: one sendmmsg(2) per run of datagrams for the same
// socket, with every datagram's errno reported back instead of failing the socket. Swift's Glibc
// module does not export sendmmsg/mmsghdr (they need _GNU_SOURCE), hence this shim.
#ifndef TURNPIKE_NET_H
#define TURNPIKE_NET_H

#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

/// One datagram to send: the socket, the bytes (not owned) and the destination, in; the errno
/// of its send (0 when the kernel took it), out.
struct turnpike_datagram {
    const void *data;
    uint32_t length;
    int32_t fd;
    union {
        struct sockaddr_in v4;
        struct sockaddr_in6 v6;
    } destination;
    uint32_t destination_length;
    int32_t error;
};

/// Sends `count` datagrams in order, grouping consecutive ones for the same socket into
/// sendmmsg(2) calls (MSG_DONTWAIT). A datagram the kernel refuses gets its errno and the rest
/// are tried; once a socket's buffer is full (EAGAIN, ENOBUFS) its remaining datagrams in the run
/// are marked with that errno without another system call. Returns the number of system calls.
unsigned int turnpike_send_datagrams(struct turnpike_datagram *datagrams, unsigned int count);

static inline void turnpike_datagram_set_ipv4(struct turnpike_datagram *d, uint32_t address_host_order, uint16_t port) {
    d->destination.v6 = (struct sockaddr_in6){0};
    d->destination.v4.sin_family = AF_INET;
    d->destination.v4.sin_port = htons(port);
    d->destination.v4.sin_addr.s_addr = htonl(address_host_order);
    d->destination_length = sizeof(struct sockaddr_in);
}

/// `address` is 16 bytes in network order.
static inline void turnpike_datagram_set_ipv6(struct turnpike_datagram *d, const uint8_t *address, uint16_t port) {
    d->destination.v6 = (struct sockaddr_in6){0};
    d->destination.v6.sin6_family = AF_INET6;
    d->destination.v6.sin6_port = htons(port);
    for (int i = 0; i < 16; i++) d->destination.v6.sin6_addr.s6_addr[i] = address[i];
    d->destination_length = sizeof(struct sockaddr_in6);
}

#endif
