// SPDX-License-Identifier: (MIT OR GPL-2.0-only)
/*
 * turnpike.bpf.c — Turnpike's kernel fast path for TURN channels (RFC 8656 §12).
 *
 *   client → peer   ChannelData to a listening port for a bound (client 5-tuple, channel):
 *                   the 4-byte header and any padding are stripped and the datagram leaves
 *                   from the allocation's relayed address to the peer.
 *   peer → client   UDP to a relayed address from a peer with a bound channel: a ChannelData
 *                   header is prepended and the datagram leaves from the listening address to
 *                   the client.
 *   allocation → allocation
 *                   when the peer is another allocation's relayed address on this server with a
 *                   channel bound back, the second map is applied at once: the datagram goes to
 *                   that allocation's client with that client's channel number.
 *
 * IPv4, IPv6 and across families. Egress from turnpike_egress_routes, which userspace keeps from
 * the kernel's routing and neighbour tables through netlink (no bpf_fib_lookup, so no forwarding
 * sysctl): XDP_TX when the packet leaves by the interface it came in on, otherwise a redirect
 * (bpf_redirect_map through the map of interfaces enabled for it, see send()). Whatever is not certainly a bound channel's
 * traffic, or that this program cannot rewrite, goes to the kernel stack unmodified (XDP_PASS)
 * and on to userspace, which relays everything correctly on its own. XDP_DROP only for a bound
 * channel's ChannelData whose length field the datagram contradicts (RFC 8656 §12.5).
 *
 * Every packet is counted in turnpike_reason_counters under exactly one reason from the registry
 * in turnpike_xdp.h; relayed packets also in turnpike_route_counters.
 */
#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "turnpike_xdp.h"
#include "csum.h"
#include "maps.h"
#include "parse.h"
#include "rewrite.h"

_Static_assert(TURNPIKE_VERDICT_DROP == XDP_DROP, "verdict DROP");
_Static_assert(TURNPIKE_VERDICT_PASS == XDP_PASS, "verdict PASS");
_Static_assert(TURNPIKE_VERDICT_TX == XDP_TX, "verdict TX");
_Static_assert(TURNPIKE_VERDICT_REDIRECT == XDP_REDIRECT, "verdict REDIRECT");

/* Set by userspace before load (bpf_map__set_initial_value on TURNPIKE_XDP_CONFIG_SECTION). */
const volatile struct turnpike_xdp_config turnpike_config SEC(".rodata.config") = {};

/* Channel numbers 0x4000-0x7FFF (RFC 5766 §11; userspace accepts RFC 8656's reserved 0x5000-0x7FFF
 * too, see ChannelNumber.validRange): the top two bits are 01. */
#define CHANNEL_FIRST_BYTE_MASK 0xC0
#define CHANNEL_FIRST_BYTE 0x40
/* RFC 8656 §12.5: over UDP, up to three bytes may pad ChannelData to a multiple of four. */
#define CHANNELDATA_MAX_PADDING 3
/* More data than fits a page-sized frame, used to bound packet offsets for the verifier. */
#define MAX_FRAME_DATA 0x3fff

/* Configured ports are read byte by byte through the volatile object: casting the volatile
 * away would let the compiler fold the all-zero initializer into the code. */
static __always_inline __u16 config_port(const volatile __u8 port[2])
{
    return (__u16)(port[0] << 8 | port[1]);
}

static __always_inline int is_listen_port(__u16 port)
{
    __u16 host = bpf_ntohs(port);
#pragma unroll
    for (int i = 0; i < TURNPIKE_XDP_MAX_LISTEN_PORTS; i++) {
        __u16 configured = config_port(turnpike_config.listen_ports[i]);
        if (configured && configured == host)
            return 1;
    }
    return 0;
}

static __always_inline int is_relay_port(__u16 port)
{
    __u16 host = bpf_ntohs(port);
    return host >= config_port(turnpike_config.relay_port_min) && host <= config_port(turnpike_config.relay_port_max);
}

static __always_inline void count_route(__u32 index, int to_client, __u16 data_len)
{
    struct turnpike_route_counters *counters = bpf_map_lookup_elem(&turnpike_route_counters, &index);
    if (!counters)
        return;
    if (to_client) {
        counters->to_client_packets += 1;
        counters->to_client_bytes += data_len;
    } else {
        counters->to_peer_packets += 1;
        counters->to_peer_bytes += data_len;
    }
}

/* Checks that apply to every datagram about to be relayed, before any lookup of the egress. */
static __always_inline int check_relayable(const struct packet *pkt, __u8 out_family)
{
    if (pkt->ttl <= 1)
        return TURNPIKE_REASON_TTL_EXPIRED;
    if (pkt->family == 4 && pkt->udp_check == 0)
        /* No checksum to update; IPv6 needs one (RFC 8200 §8.1) and computing it over the whole
         * payload is userspace's job. */
        return out_family == 6 ? TURNPIKE_REASON_ZERO_CHECKSUM_TO_IPV6 : 0;
    /* A checksum field holding just the pseudo-header sum is an offloaded checksum the sender's
     * stack left for hardware to finish (CHECKSUM_PARTIAL, e.g. from a local socket over veth).
     * XDP cannot see skb->ip_summed, and the bytes after an incremental update would be wrong on
     * the wire, so such packets go to the stack, which completes them. A real checksum equal to
     * this value (1 in 65535) is also passed: slower, still correct. */
    __u64 pseudo = csum_address(pkt->src) + csum_address(pkt->dst) + bpf_htons(IPPROTO_UDP)
        + bpf_htons(pkt->udp_len);
    if (pkt->udp_check == csum_fold(pseudo))
        return TURNPIKE_REASON_CHECKSUM_PARTIAL;
    return 0;
}

/* Adds padding byte `i` (when there is one) to the removed-words sum; 0 when it is out of bounds.
 * Its position in its 16-bit word follows from the data length: the data starts word-aligned. */
static __always_inline int add_padding_byte(__u64 *removed, const __u8 *pad, int i, __u16 padding, __u16 data_len,
                                            void *end)
{
    if (i >= padding)
        return 1;
    if ((void *)(pad + i + 1) > end)
        return 0;
    *removed += csum_byte(pad[i], (data_len + i) & 1);
    return 1;
}

/* Sends the planned packet by its egress: XDP_TX when it leaves by the ingress interface,
 * otherwise a redirect to an enabled interface. Returns the reason. */
static __always_inline int send(struct xdp_md *ctx, const struct packet *pkt, const struct plan *plan,
                                int tx_reason, int redirect_reason)
{
    const struct turnpike_egress_route *egress = plan_egress(plan);
    if (!egress)
        return TURNPIKE_REASON_EGRESS_UNRESOLVED;
    int reason = plan_check_egress(plan, egress);
    if (reason)
        return reason;
    __u32 ifindex = egress->ifindex;
    int tx = ifindex == ctx->ingress_ifindex;
    /* A redirect through the map of enabled interfaces (bpf_redirect_map) only records the
     * target, or answers XDP_PASS for an interface not in it, so it is checked before any byte
     * is written; a later XDP_PASS leaves the recorded target unused. */
    if (!tx && bpf_redirect_map(&turnpike_egress, ifindex, XDP_PASS) != XDP_REDIRECT)
        return TURNPIKE_REASON_EGRESS_NOT_ENABLED;
    reason = plan_apply(ctx, pkt, plan, egress);
    if (reason)
        return reason;
    return tx ? tx_reason : redirect_reason;
}

/* Client → peer, or → another allocation's client when the peer is one of our relayed addresses. */
static __always_inline int client_to_peer(struct xdp_md *ctx, struct packet *pkt)
{
    void *end = (void *)(long)ctx->data_end;
    __u8 *header = (void *)(pkt->udp + 1);
    if (pkt->udp_len < UDP_HEADER_LENGTH + CHANNELDATA_HEADER_LENGTH
        || (void *)(header + CHANNELDATA_HEADER_LENGTH) > end)
        return TURNPIKE_REASON_NOT_CHANNELDATA;
    if ((header[0] & CHANNEL_FIRST_BYTE_MASK) != CHANNEL_FIRST_BYTE)
        return TURNPIKE_REASON_NOT_CHANNELDATA;

    struct turnpike_client_tuple key = {};
    __builtin_memcpy(key.client_addr, pkt->src, 16);
    __builtin_memcpy(key.server_addr, pkt->dst, 16);
    __builtin_memcpy(key.client_port, &pkt->udp->source, 2);
    __builtin_memcpy(key.server_port, &pkt->udp->dest, 2);
    __builtin_memcpy(key.channel, header, 2);
    struct turnpike_channel_route *route = bpf_map_lookup_elem(&turnpike_channels, &key);
    if (!route)
        return TURNPIKE_REASON_CHANNEL_UNBOUND;

    /* RFC 8656 §12.5: a length beyond the datagram, or more trailing bytes than padding, is a
     * malformed ChannelData message for a channel that is ours: discarded. */
    __u16 available = pkt->udp_len - UDP_HEADER_LENGTH - CHANNELDATA_HEADER_LENGTH;
    __u16 data_len = (__u16)header[2] << 8 | header[3];
    if (data_len > available)
        return TURNPIKE_REASON_CHANNELDATA_TRUNCATED;
    __u16 padding = available - data_len;
    if (padding > CHANNELDATA_MAX_PADDING)
        return TURNPIKE_REASON_CHANNELDATA_EXCESS;

    __u8 family = pair_family(route->peer.relay_addr, route->peer.peer_addr);
    if (!family)
        return TURNPIKE_REASON_ROUTE_INVALID;
    int reason = check_relayable(pkt, family);
    if (reason)
        return reason;

    /* The removed payload words: the ChannelData header and the padding bytes (at offsets
     * counted from the UDP header, which starts a 16-bit word). */
    __u64 removed = (__u64)csum_word(header[0], header[1]) + csum_word(header[2], header[3]);
    /* A single-buffer XDP frame is at most a page, so this never rejects a real packet; it
     * bounds the offset for the verifier. */
    if (data_len > MAX_FRAME_DATA)
        return TURNPIKE_REASON_MTU_EXCEEDED;
    __u32 offset = data_len;
    /* The compiler would drop the mask below as redundant after the check above and reload an
     * unbounded copy; hiding the value from it keeps the mask, which bounds it for the verifier. */
    asm volatile("" : "+r"(offset));
    offset &= MAX_FRAME_DATA;
    __u8 *pad = header + CHANNELDATA_HEADER_LENGTH + offset;
    if (!add_padding_byte(&removed, pad, 0, padding, data_len, end)
        || !add_padding_byte(&removed, pad, 1, padding, data_len, end)
        || !add_padding_byte(&removed, pad, 2, padding, data_len, end))
        return TURNPIKE_REASON_MALFORMED;

    struct plan plan = {
        .src = route->peer.relay_addr,
        .dst = route->peer.peer_addr,
        .sport = load_port(route->peer.relay_port),
        .dport = load_port(route->peer.peer_port),
        .data_len = data_len,
        .removed_words = removed,
        .family = family,
        .mode = MODE_STRIP,
    };
    /* The peer may be another allocation's relayed address on this server with a channel bound
     * to our relayed address: then the datagram goes straight to that allocation's client. */
    struct turnpike_peer_tuple other_key;
    __builtin_memcpy(other_key.relay_addr, route->peer.peer_addr, 16);
    __builtin_memcpy(other_key.peer_addr, route->peer.relay_addr, 16);
    __builtin_memcpy(other_key.relay_port, route->peer.peer_port, 2);
    __builtin_memcpy(other_key.peer_port, route->peer.relay_port, 2);
    struct turnpike_peer_route *other = bpf_map_lookup_elem(&turnpike_peers, &other_key);
    if (!other) {
        /* A local peer has no egress entry (userspace writes none for local routes): the stack. */
        reason = send(ctx, pkt, &plan, TURNPIKE_REASON_TX_TO_PEER, TURNPIKE_REASON_REDIRECT_TO_PEER);
        if (reason == TURNPIKE_REASON_TX_TO_PEER || reason == TURNPIKE_REASON_REDIRECT_TO_PEER)
            count_route(route->route_index, 0, data_len);
        return reason;
    }
    __u8 other_family = pair_family(other->client.server_addr, other->client.client_addr);
    if (!other_family)
        return TURNPIKE_REASON_ROUTE_INVALID;
    reason = check_relayable(pkt, other_family);
    if (reason)
        return reason;
    struct plan onward = {
        .src = other->client.server_addr,
        .dst = other->client.client_addr,
        .sport = load_port(other->client.server_port),
        .dport = load_port(other->client.client_port),
        .channel = load_port(other->client.channel),
        .data_len = data_len,
        .removed_words = removed,
        .family = other_family,
        .mode = MODE_REPLACE,
    };
    reason = send(ctx, pkt, &onward, TURNPIKE_REASON_TX_BETWEEN_ALLOCATIONS,
                  TURNPIKE_REASON_REDIRECT_BETWEEN_ALLOCATIONS);
    if (reason == TURNPIKE_REASON_TX_BETWEEN_ALLOCATIONS || reason == TURNPIKE_REASON_REDIRECT_BETWEEN_ALLOCATIONS) {
        count_route(route->route_index, 0, data_len);
        count_route(other->route_index, 1, data_len);
    }
    return reason;
}

/* Peer → client. */
static __always_inline int peer_to_client(struct xdp_md *ctx, struct packet *pkt)
{
    struct turnpike_peer_tuple key;
    __builtin_memcpy(key.relay_addr, pkt->dst, 16);
    __builtin_memcpy(key.peer_addr, pkt->src, 16);
    __builtin_memcpy(key.relay_port, &pkt->udp->dest, 2);
    __builtin_memcpy(key.peer_port, &pkt->udp->source, 2);
    struct turnpike_peer_route *route = bpf_map_lookup_elem(&turnpike_peers, &key);
    if (!route)
        return TURNPIKE_REASON_PEER_UNBOUND;

    __u8 family = pair_family(route->client.server_addr, route->client.client_addr);
    if (!family)
        return TURNPIKE_REASON_ROUTE_INVALID;
    int reason = check_relayable(pkt, family);
    if (reason)
        return reason;

    __u16 data_len = pkt->udp_len - UDP_HEADER_LENGTH;
    /* The header must fit the 16-bit lengths of the new UDP and IPv4 headers. */
    if (data_len > 0xffff - IPV6_HEADER_LENGTH - UDP_HEADER_LENGTH - CHANNELDATA_HEADER_LENGTH)
        return TURNPIKE_REASON_MTU_EXCEEDED;
    struct plan plan = {
        .src = route->client.server_addr,
        .dst = route->client.client_addr,
        .sport = load_port(route->client.server_port),
        .dport = load_port(route->client.client_port),
        .channel = load_port(route->client.channel),
        .data_len = data_len,
        .removed_words = 0,
        .family = family,
        .mode = MODE_PREPEND,
    };
    reason = send(ctx, pkt, &plan, TURNPIKE_REASON_TX_TO_CLIENT, TURNPIKE_REASON_REDIRECT_TO_CLIENT);
    if (reason == TURNPIKE_REASON_TX_TO_CLIENT || reason == TURNPIKE_REASON_REDIRECT_TO_CLIENT)
        count_route(route->route_index, 1, data_len);
    return reason;
}

static __always_inline int classify(struct xdp_md *ctx)
{
    struct packet pkt = {};
    int reason = parse_packet(ctx, &pkt);
    if (reason)
        return reason;
    if (is_listen_port(pkt.udp->dest))
        return client_to_peer(ctx, &pkt);
    if (is_relay_port(pkt.udp->dest))
        return peer_to_client(ctx, &pkt);
    return TURNPIKE_REASON_NOT_OUR_PORT;
}

/* Counts the packet under its reason and returns the verdict the registry assigns to it. */
static __always_inline int finish(__u32 reason, __u32 frame_len)
{
    struct turnpike_reason_counters *counters = bpf_map_lookup_elem(&turnpike_reason_counters, &reason);
    if (counters) {
        counters->packets += 1;
        counters->bytes += frame_len;
    }
    switch (reason) {
#define TURNPIKE_VERDICT_CASE_(number, verdict, identifier, name) \
    case number:                                                  \
        return TURNPIKE_VERDICT_##verdict;
        TURNPIKE_XDP_REASONS(TURNPIKE_VERDICT_CASE_)
#undef TURNPIKE_VERDICT_CASE_
    default:
        return XDP_PASS;
    }
}

SEC("xdp")
int turnpike_xdp(struct xdp_md *ctx)
{
    __u32 frame_len = ctx->data_end - ctx->data;
    return finish((__u32)classify(ctx), frame_len);
}

/* GPL-compatible, as bpf_redirect_map and the XDP helpers require. */
char LICENSE[] SEC("license") = "Dual MIT/GPL";
