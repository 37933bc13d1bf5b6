/*
 * turnpike_xdp.h — THE ABI between the XDP program (ebpf/turnpike.bpf.c) and userspace (Swift).
 *
 * Everything the kernel and userspace exchange is defined here once:
 *   - the map keys and values (addresses and ports as big-endian byte arrays, addresses always
 *     16 bytes, IPv4 as the IPv4-mapped IPv6 address ::ffff:a.b.c.d);
 *   - the numbered registry of verdict reasons (the metric label names come from it too);
 *   - the static configuration (`const volatile` rodata set before load);
 *   - the map sizes.
 * Host-order integers appear only where the kernel needs them: a route index (an array map key)
 * and the counters.
 *
 * Every struct has _Static_asserts on its size and field offsets; Tests/TurnpikeXDPTests checks
 * the same numbers through Swift's MemoryLayout so neither side can drift.
 *
 * The header is included by the BPF program (clang -target bpf) and imported by Swift through
 * the CTurnpikeXDP module, so it depends on nothing but <linux/types.h>.
 */
#ifndef TURNPIKE_XDP_H
#define TURNPIKE_XDP_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Sizes --------------------------------------------------------------------------------- */

/* Entries in each route map: one channel binding uses one entry in each. */
#define TURNPIKE_XDP_MAX_CHANNELS 16384
/* Route indexes (counter slots) are 0 ..< TURNPIKE_XDP_MAX_ROUTES. */
#define TURNPIKE_XDP_MAX_ROUTES 16384
/* Interfaces the program may redirect to (those it is attached to): turnpike_egress. */
#define TURNPIKE_XDP_MAX_EGRESS_INTERFACES 256
/* Listening (client-facing) UDP ports the program recognises. A port of 0 is an unused slot. */
#define TURNPIKE_XDP_MAX_LISTEN_PORTS 4
/* Length of every address in a key or value. */
#define TURNPIKE_XDP_ADDRESS_LENGTH 16
/* Destinations with a resolved egress: each channel route needs at most two (its peer and its
 * client), shared between routes. */
#define TURNPIKE_XDP_MAX_DESTINATIONS (2 * TURNPIKE_XDP_MAX_CHANNELS)
/* Length of a link-layer (Ethernet) address. */
#define TURNPIKE_XDP_MAC_LENGTH 6

/* ---- Map keys and values ------------------------------------------------------------------- */

/*
 * A client's 5-tuple (UDP implied) on the server's listening side plus the channel number:
 * the key of turnpike_channels and, as a value, where peer data goes back to.
 */
struct turnpike_client_tuple {
    __u8 client_addr[16]; /* the client's (possibly NATed) address */
    __u8 server_addr[16]; /* the server's listening address the client talks to */
    __u8 client_port[2];
    __u8 server_port[2];
    __u8 channel[2];      /* 0x4000-0x7FFF, RFC 5766 §11 */
    __u8 reserved[2];     /* always zero */
};

/*
 * A relayed transport address and a peer: the key of turnpike_peers and, as a value, where a
 * client's channel data goes.
 */
struct turnpike_peer_tuple {
    __u8 relay_addr[16]; /* the allocation's relayed transport address */
    __u8 peer_addr[16];
    __u8 relay_port[2];
    __u8 peer_port[2];
};

/* Value of turnpike_channels: client → peer. */
struct turnpike_channel_route {
    struct turnpike_peer_tuple peer;
    __u32 route_index; /* host order; index into turnpike_route_counters */
};

/* Value of turnpike_peers: peer → client. */
struct turnpike_peer_route {
    struct turnpike_client_tuple client;
    __u32 route_index; /* host order; the same index as the channel's other entry */
};

/* Per-CPU value of turnpike_route_counters. Bytes are application data bytes (the ChannelData
 * payload, which is the peer datagram's payload), the same unit userspace counts. */
struct turnpike_route_counters {
    __u64 to_peer_packets;
    __u64 to_peer_bytes;
    __u64 to_client_packets;
    __u64 to_client_bytes;
};

/* Per-CPU value of turnpike_reason_counters. Bytes are whole frames as received. */
struct turnpike_reason_counters {
    __u64 packets;
    __u64 bytes;
};

/* Key of turnpike_egress_routes: a relayed packet's new destination address. */
struct turnpike_destination {
    __u8 addr[16];
};

/*
 * Value of turnpike_egress_routes: how a packet to that destination leaves, as the kernel's
 * routing and neighbour tables say (resolved by userspace through netlink and kept current from
 * route, neighbour and link notifications). The program needs no bpf_fib_lookup, and so no
 * forwarding sysctl.
 */
struct turnpike_egress_route {
    __u32 ifindex;                                 /* host order; the egress interface */
    __u8 source_mac[TURNPIKE_XDP_MAC_LENGTH];      /* the egress interface's address */
    __u8 next_hop_mac[TURNPIKE_XDP_MAC_LENGTH];    /* the gateway's, or the destination's on-link */
    __u16 mtu;                                     /* host order; the largest IP packet that leaves */
    __u8 reserved[2];                              /* always zero */
};

/*
 * Static configuration, `const volatile` rodata set by userspace before load.
 * Ports are big-endian; an unused listening slot is 0; the relay range is inclusive and empty
 * when min > max.
 */
struct turnpike_xdp_config {
    __u8 listen_ports[TURNPIKE_XDP_MAX_LISTEN_PORTS][2];
    __u8 relay_port_min[2];
    __u8 relay_port_max[2];
};

_Static_assert(sizeof(struct turnpike_client_tuple) == 40, "client tuple size");
_Static_assert(__builtin_offsetof(struct turnpike_client_tuple, client_addr) == 0, "client_addr");
_Static_assert(__builtin_offsetof(struct turnpike_client_tuple, server_addr) == 16, "server_addr");
_Static_assert(__builtin_offsetof(struct turnpike_client_tuple, client_port) == 32, "client_port");
_Static_assert(__builtin_offsetof(struct turnpike_client_tuple, server_port) == 34, "server_port");
_Static_assert(__builtin_offsetof(struct turnpike_client_tuple, channel) == 36, "channel");
_Static_assert(__builtin_offsetof(struct turnpike_client_tuple, reserved) == 38, "reserved");

_Static_assert(sizeof(struct turnpike_peer_tuple) == 36, "peer tuple size");
_Static_assert(__builtin_offsetof(struct turnpike_peer_tuple, relay_addr) == 0, "relay_addr");
_Static_assert(__builtin_offsetof(struct turnpike_peer_tuple, peer_addr) == 16, "peer_addr");
_Static_assert(__builtin_offsetof(struct turnpike_peer_tuple, relay_port) == 32, "relay_port");
_Static_assert(__builtin_offsetof(struct turnpike_peer_tuple, peer_port) == 34, "peer_port");

_Static_assert(sizeof(struct turnpike_channel_route) == 40, "channel route size");
_Static_assert(__builtin_offsetof(struct turnpike_channel_route, peer) == 0, "channel route peer");
_Static_assert(__builtin_offsetof(struct turnpike_channel_route, route_index) == 36, "channel route index");

_Static_assert(sizeof(struct turnpike_peer_route) == 44, "peer route size");
_Static_assert(__builtin_offsetof(struct turnpike_peer_route, client) == 0, "peer route client");
_Static_assert(__builtin_offsetof(struct turnpike_peer_route, route_index) == 40, "peer route index");

_Static_assert(sizeof(struct turnpike_route_counters) == 32, "route counters size");
_Static_assert(__builtin_offsetof(struct turnpike_route_counters, to_peer_packets) == 0, "to_peer_packets");
_Static_assert(__builtin_offsetof(struct turnpike_route_counters, to_peer_bytes) == 8, "to_peer_bytes");
_Static_assert(__builtin_offsetof(struct turnpike_route_counters, to_client_packets) == 16, "to_client_packets");
_Static_assert(__builtin_offsetof(struct turnpike_route_counters, to_client_bytes) == 24, "to_client_bytes");

_Static_assert(sizeof(struct turnpike_reason_counters) == 16, "reason counters size");
_Static_assert(__builtin_offsetof(struct turnpike_reason_counters, packets) == 0, "packets");
_Static_assert(__builtin_offsetof(struct turnpike_reason_counters, bytes) == 8, "bytes");

_Static_assert(sizeof(struct turnpike_destination) == 16, "destination size");
_Static_assert(__builtin_offsetof(struct turnpike_destination, addr) == 0, "destination addr");

_Static_assert(sizeof(struct turnpike_egress_route) == 20, "egress route size");
_Static_assert(__builtin_offsetof(struct turnpike_egress_route, ifindex) == 0, "egress ifindex");
_Static_assert(__builtin_offsetof(struct turnpike_egress_route, source_mac) == 4, "egress source_mac");
_Static_assert(__builtin_offsetof(struct turnpike_egress_route, next_hop_mac) == 10, "egress next_hop_mac");
_Static_assert(__builtin_offsetof(struct turnpike_egress_route, mtu) == 16, "egress mtu");
_Static_assert(__builtin_offsetof(struct turnpike_egress_route, reserved) == 18, "egress reserved");

_Static_assert(sizeof(struct turnpike_xdp_config) == 12, "config size");
_Static_assert(__builtin_offsetof(struct turnpike_xdp_config, listen_ports) == 0, "listen_ports");
_Static_assert(__builtin_offsetof(struct turnpike_xdp_config, relay_port_min) == 8, "relay_port_min");
_Static_assert(__builtin_offsetof(struct turnpike_xdp_config, relay_port_max) == 10, "relay_port_max");

/* ---- Verdicts ------------------------------------------------------------------------------ */

/* The XDP actions a reason maps to (equal to enum xdp_action; the BPF program asserts it). */
#define TURNPIKE_VERDICT_DROP 1
#define TURNPIKE_VERDICT_PASS 2
#define TURNPIKE_VERDICT_TX 3
#define TURNPIKE_VERDICT_REDIRECT 4

/*
 * The one registry of verdict reasons. Numbers and names are stable: they index
 * turnpike_reason_counters and label the metrics. Never renumber; only append.
 *
 * X(number, VERDICT, IDENTIFIER, "short_name")
 */
#define TURNPIKE_XDP_REASONS(X) \
    X(1, PASS, NOT_IP, "not_ip") /* ethertype is neither IPv4 nor IPv6 (VLAN tags included) */ \
    X(2, PASS, MALFORMED, "malformed") /* truncated headers or inconsistent lengths: the kernel judges */ \
    X(3, PASS, IPV4_OPTIONS, "ipv4_options") /* IHL > 5 */ \
    X(4, PASS, IPV4_FRAGMENT, "ipv4_fragment") /* MF set or non-zero fragment offset */ \
    X(5, PASS, IPV6_EXTENSION, "ipv6_extension") /* next header is an extension header */ \
    X(6, PASS, NOT_UDP, "not_udp") /* any other transport */ \
    X(7, PASS, NOT_OUR_PORT, "not_our_port") /* UDP to neither a listening port nor the relay range */ \
    X(8, PASS, NOT_CHANNELDATA, "not_channeldata") /* listening port, not ChannelData: STUN and the rest */ \
    X(9, PASS, CHANNEL_UNBOUND, "channel_unbound") /* ChannelData with no installed binding */ \
    X(10, PASS, PEER_UNBOUND, "peer_unbound") /* relay-range UDP from a peer with no bound channel */ \
    X(11, PASS, CHECKSUM_PARTIAL, "checksum_partial") /* UDP checksum field holds only the pseudo-header sum */ \
    X(12, PASS, ZERO_CHECKSUM_TO_IPV6, "zero_checksum_to_ipv6") /* IPv4 UDP without checksum would leave as IPv6 */ \
    X(13, PASS, TTL_EXPIRED, "ttl_expired") /* TTL or hop limit <= 1 */ \
    X(14, PASS, ROUTE_INVALID, "route_invalid") /* installed route mixes families or exceeds limits */ \
    X(15, PASS, MTU_EXCEEDED, "mtu_exceeded") /* rewritten packet exceeds the egress MTU */ \
    X(16, PASS, FIB_NOT_FORWARDED, "fib_not_forwarded") /* retired: the program no longer asks the FIB */ \
    X(17, PASS, FIB_FORWARDING_DISABLED, "fib_forwarding_disabled") /* retired: the program no longer asks the FIB */ \
    X(18, PASS, FIB_NO_NEIGHBOUR, "fib_no_neighbour") /* retired: the program no longer asks the FIB */ \
    X(19, PASS, FIB_ERROR, "fib_error") /* retired: the program no longer asks the FIB */ \
    X(20, PASS, ADJUST_FAILED, "adjust_failed") /* bpf_xdp_adjust_head/tail refused */ \
    X(21, DROP, CHANNELDATA_TRUNCATED, "channeldata_truncated") /* bound channel, length runs past the datagram */ \
    X(22, DROP, CHANNELDATA_EXCESS, "channeldata_excess") /* bound channel, more trailing bytes than padding */ \
    X(23, TX, TX_TO_PEER, "tx_to_peer") \
    X(24, REDIRECT, REDIRECT_TO_PEER, "redirect_to_peer") \
    X(25, TX, TX_TO_CLIENT, "tx_to_client") \
    X(26, REDIRECT, REDIRECT_TO_CLIENT, "redirect_to_client") \
    X(27, TX, TX_BETWEEN_ALLOCATIONS, "tx_between_allocations") /* client → own relayed address → client */ \
    X(28, REDIRECT, REDIRECT_BETWEEN_ALLOCATIONS, "redirect_between_allocations") \
    X(29, PASS, EGRESS_NOT_ENABLED, "egress_not_enabled") /* egress interface not enabled for redirects */ \
    X(30, PASS, EGRESS_UNRESOLVED, "egress_unresolved") /* no egress entry: local, unroutable or neighbour unknown */

#define TURNPIKE_XDP_REASON_ENUM_(number, verdict, identifier, name) TURNPIKE_REASON_##identifier = number,
enum turnpike_reason {
    TURNPIKE_REASON_UNSPECIFIED = 0, /* never counted */
    TURNPIKE_XDP_REASONS(TURNPIKE_XDP_REASON_ENUM_)
    TURNPIKE_REASON_COUNT /* one past the highest reason: the size of turnpike_reason_counters */
};
#undef TURNPIKE_XDP_REASON_ENUM_

/* Stable short name of a reason ("channel_unbound"), or NULL for a number not in the registry.
 * Implemented in userspace (Sources/CTurnpikeXDP/reasons.c), not in the BPF program. */
const char *turnpike_reason_name(__u32 reason);
/* The TURNPIKE_VERDICT_* a reason always produces, or 0 for a number not in the registry. */
__u32 turnpike_reason_verdict(__u32 reason);

/* Names of the program and maps in the object, for userspace lookups. */
#define TURNPIKE_XDP_PROGRAM_NAME "turnpike_xdp"
#define TURNPIKE_XDP_CHANNELS_MAP "turnpike_channels"
#define TURNPIKE_XDP_PEERS_MAP "turnpike_peers"
#define TURNPIKE_XDP_ROUTE_COUNTERS_MAP "turnpike_route_counters"
#define TURNPIKE_XDP_REASON_COUNTERS_MAP "turnpike_reason_counters"
#define TURNPIKE_XDP_EGRESS_MAP "turnpike_egress"
#define TURNPIKE_XDP_EGRESS_ROUTES_MAP "turnpike_egress_routes"
/* The section (and libbpf internal map) holding the one `const volatile struct
 * turnpike_xdp_config`; nothing else lives there, so its size is sizeof(struct turnpike_xdp_config). */
#define TURNPIKE_XDP_CONFIG_SECTION ".rodata.config"

#ifdef __cplusplus
}
#endif

#endif /* TURNPIKE_XDP_H */
