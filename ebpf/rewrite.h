/* rewrite.h — turning a parsed datagram into the relayed one: egress lookup (turnpike_egress_routes),
 * incremental checksums, head/tail adjustment and header writes. Nothing is modified until the
 * egress of the rewritten packet is known, so every XDP_PASS hands the kernel the packet
 * exactly as it arrived. */
#ifndef TURNPIKE_REWRITE_H
#define TURNPIKE_REWRITE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "turnpike_xdp.h"
#include "csum.h"
#include "maps.h"
#include "parse.h"

/* What happens to the UDP payload. */
enum payload_mode {
    MODE_STRIP,   /* client → peer: drop the ChannelData header and any padding */
    MODE_PREPEND, /* peer → client: add a ChannelData header */
    MODE_REPLACE, /* allocation → allocation: new channel number, padding dropped */
};

/* The datagram to send. Addresses point into map values (16 bytes each). */
struct plan {
    const __u8 *src;
    const __u8 *dst;
    __u16 sport;         /* network order */
    __u16 dport;         /* network order */
    __u16 channel;       /* network order; MODE_PREPEND and MODE_REPLACE */
    __u16 data_len;      /* application data bytes kept (host order) */
    __u64 removed_words; /* checksum sum of the payload bytes removed */
    __u8 family;         /* 4 or 6 */
    __u8 mode;
};

static __always_inline __u16 load_port(const __u8 port[2])
{
    __u16 value;
    __builtin_memcpy(&value, port, sizeof(value));
    return value;
}

/* The family of a source/destination pair, or 0 when the pair mixes families. */
static __always_inline __u8 pair_family(const __u8 *a, const __u8 *b)
{
    int a4 = address_is_ipv4(a), b4 = address_is_ipv4(b);
    if (a4 != b4)
        return 0;
    return a4 ? 4 : 6;
}

static __always_inline __u16 plan_udp_len(const struct plan *plan)
{
    return UDP_HEADER_LENGTH + plan->data_len + (plan->mode == MODE_STRIP ? 0 : CHANNELDATA_HEADER_LENGTH);
}

static __always_inline __u32 plan_ip_len(const struct plan *plan)
{
    return (plan->family == 4 ? IPV4_HEADER_LENGTH : IPV6_HEADER_LENGTH) + (__u32)plan_udp_len(plan);
}

/* Egress for the planned packet from turnpike_egress_routes (userspace keeps it from the kernel's
 * routing and neighbour tables): NULL when the destination has none, which sends the packet to
 * the stack. No bpf_fib_lookup, so no forwarding sysctl is needed on any interface. */
static __always_inline const struct turnpike_egress_route *plan_egress(const struct plan *plan)
{
    struct turnpike_destination key;
    __builtin_memcpy(key.addr, plan->dst, 16);
    return bpf_map_lookup_elem(&turnpike_egress_routes, &key);
}

/* Checks the planned packet against the egress: 0, or the reason it goes to the stack. */
static __always_inline int plan_check_egress(const struct plan *plan, const struct turnpike_egress_route *egress)
{
    /* Larger than the egress MTU: the stack fragments it or reports it (ICMP), as it should. */
    if (plan_ip_len(plan) > egress->mtu)
        return TURNPIKE_REASON_MTU_EXCEEDED;
    return 0;
}

/* The new UDP checksum: the old one with the pseudo-header, ports, lengths and changed payload
 * words swapped (RFC 1624). An IPv4 datagram sent without checksum stays without over IPv4. */
static __always_inline __u16 plan_udp_check(const struct packet *pkt, const struct plan *plan)
{
    if (pkt->family == 4 && pkt->udp_check == 0)
        return 0;
    __u16 len_in = bpf_htons(pkt->udp_len);
    __u16 len_out = bpf_htons(plan_udp_len(plan));
    /* Each length counts twice: once in the pseudo-header, once in the UDP header. */
    __u64 removed = csum_address(pkt->src) + csum_address(pkt->dst) + 2 * (__u64)len_in
        + pkt->udp->source + pkt->udp->dest + plan->removed_words;
    __u64 added = csum_address(plan->src) + csum_address(plan->dst) + 2 * (__u64)len_out
        + plan->sport + plan->dport;
    if (plan->mode != MODE_STRIP)
        added += (__u64)plan->channel + bpf_htons(plan->data_len);
    return csum_replace_udp(pkt->udp_check, removed, added);
}

static __always_inline void write_ipv4(struct iphdr *ip, const struct packet *pkt, const struct plan *plan)
{
    __u16 total = bpf_htons((__u16)plan_ip_len(plan));
    __u8 ttl = pkt->ttl - 1;
    ip->version = 4;
    ip->ihl = 5;
    ip->tos = pkt->tos;
    ip->tot_len = total;
    ip->ttl = ttl;
    ip->protocol = IPPROTO_UDP;
    __builtin_memcpy(&ip->saddr, plan->src + 12, 4);
    __builtin_memcpy(&ip->daddr, plan->dst + 12, 4);
    if (pkt->family == 4) {
        /* RFC 8656 §13: DF copied from the incoming packet; the identification is kept, and the
         * header checksum updated incrementally so a corrupt header stays detectably corrupt. */
        ip->id = pkt->ip_id;
        ip->frag_off = pkt->ip_frag;
        __u64 removed = pkt->ip_total + csum_word(pkt->ttl, IPPROTO_UDP)
            + csum_address(pkt->src) + csum_address(pkt->dst);
        __u64 added = total + csum_word(ttl, IPPROTO_UDP) + csum_address(plan->src) + csum_address(plan->dst);
        ip->check = csum_replace(pkt->ip_check, removed, added);
    } else {
        /* From IPv6, which routers never fragment: an atomic datagram (RFC 6864), DF set. */
        ip->id = 0;
        ip->frag_off = bpf_htons(IPV4_FLAG_DF);
        ip->check = 0;
        __u16 words[IPV4_HEADER_LENGTH / 2];
        __builtin_memcpy(words, ip, sizeof(words));
        __u64 sum = 0;
#pragma unroll
        for (int i = 0; i < IPV4_HEADER_LENGTH / 2; i++)
            sum += words[i];
        ip->check = (__u16)~csum_fold(sum);
    }
}

static __always_inline void write_ipv6(struct ipv6hdr *ip, const struct packet *pkt, const struct plan *plan)
{
    /* Version 6, the incoming DSCP and ECN as traffic class (RFC 8656 §13), a new flow (label 0). */
    __u8 first[4] = { (__u8)(0x60 | pkt->tos >> 4), (__u8)(pkt->tos << 4), 0, 0 };
    __builtin_memcpy(ip, first, sizeof(first));
    ip->payload_len = bpf_htons(plan_udp_len(plan));
    ip->nexthdr = IPPROTO_UDP;
    ip->hop_limit = pkt->ttl - 1;
    __builtin_memcpy(&ip->saddr, plan->src, 16);
    __builtin_memcpy(&ip->daddr, plan->dst, 16);
}

static __always_inline void write_udp(struct udphdr *udp, const struct plan *plan, __u16 check)
{
    udp->source = plan->sport;
    udp->dest = plan->dport;
    udp->len = bpf_htons(plan_udp_len(plan));
    udp->check = check;
}

static __always_inline void write_channeldata(__u8 *header, const struct plan *plan)
{
    __u16 fields[2] = { plan->channel, bpf_htons(plan->data_len) };
    __builtin_memcpy(header, fields, sizeof(fields));
}

/* Moves the kept payload's surroundings into place and writes the new headers. Returns 0, or
 * TURNPIKE_REASON_ADJUST_FAILED with the packet as it arrived. */
static __always_inline int plan_apply(struct xdp_md *ctx, const struct packet *pkt,
                                      const struct plan *plan, const struct turnpike_egress_route *egress)
{
    __u16 check = plan_udp_check(pkt, plan);

    int kept_start = ETH_HLEN + pkt->ip_hdr_len + UDP_HEADER_LENGTH
        + (plan->mode == MODE_PREPEND ? 0 : CHANNELDATA_HEADER_LENGTH);
    int out_headers = ETH_HLEN + (plan->family == 4 ? IPV4_HEADER_LENGTH : IPV6_HEADER_LENGTH)
        + UDP_HEADER_LENGTH + (plan->mode == MODE_STRIP ? 0 : CHANNELDATA_HEADER_LENGTH);
    int head_delta = kept_start - out_headers;
    /* Never positive: the kept data ends inside the frame (padding and Ethernet trailer go). */
    int tail_delta = kept_start + (int)plan->data_len - (int)pkt->frame_len;

    if (head_delta && bpf_xdp_adjust_head(ctx, head_delta))
        return TURNPIKE_REASON_ADJUST_FAILED;
    if (tail_delta && bpf_xdp_adjust_tail(ctx, tail_delta)) {
        /* Moving the head back restores the original frame: nothing was written yet. */
        if (head_delta)
            bpf_xdp_adjust_head(ctx, -head_delta);
        return TURNPIKE_REASON_ADJUST_FAILED;
    }

    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    struct udphdr *udp;
    if (plan->family == 4) {
        struct iphdr *ip = (void *)(eth + 1);
        udp = (void *)(ip + 1);
        if ((void *)(udp + 1) > end)
            return TURNPIKE_REASON_ADJUST_FAILED;
        eth->h_proto = bpf_htons(ETH_P_IP);
        write_ipv4(ip, pkt, plan);
    } else {
        struct ipv6hdr *ip = (void *)(eth + 1);
        udp = (void *)(ip + 1);
        if ((void *)(udp + 1) > end)
            return TURNPIKE_REASON_ADJUST_FAILED;
        eth->h_proto = bpf_htons(ETH_P_IPV6);
        write_ipv6(ip, pkt, plan);
    }
    __builtin_memcpy(eth->h_dest, egress->next_hop_mac, ETH_ALEN);
    __builtin_memcpy(eth->h_source, egress->source_mac, ETH_ALEN);
    write_udp(udp, plan, check);
    if (plan->mode != MODE_STRIP) {
        __u8 *header = (void *)(udp + 1);
        if ((void *)(header + CHANNELDATA_HEADER_LENGTH) > end)
            return TURNPIKE_REASON_ADJUST_FAILED;
        write_channeldata(header, plan);
    }
    return 0;
}

#endif
