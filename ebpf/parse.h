/* parse.h — cursor-style parsing of Ethernet / IPv4 or IPv6 / UDP, a bounds check before every
 * header access. The parser only accepts what the fast path can rewrite; everything else is
 * reported with the reason it goes to the kernel stack. */
#ifndef TURNPIKE_PARSE_H
#define TURNPIKE_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "turnpike_xdp.h"

#define IPV4_HEADER_LENGTH 20
#define IPV6_HEADER_LENGTH 40
#define UDP_HEADER_LENGTH 8
#define CHANNELDATA_HEADER_LENGTH 4
#define IPV4_FLAG_DF 0x4000
#define IPV4_FLAG_MF 0x2000
#define IPV4_OFFSET_MASK 0x1fff

struct cursor {
    void *pos;
    void *end;
};

/* What the fast path needs from a parsed UDP datagram, saved before any rewrite. */
struct packet {
    struct udphdr *udp; /* bounds-checked for the 8-byte header */
    __u32 frame_len;
    __u16 udp_len;      /* host order; equals the IP payload length */
    __u16 udp_check;    /* as on the wire */
    __u16 ip_id;        /* IPv4 only, as on the wire */
    __u16 ip_frag;      /* IPv4 only, as on the wire (only DF can be set once parsed) */
    __u16 ip_check;     /* IPv4 only, as on the wire */
    __u16 ip_total;     /* IPv4 only, as on the wire */
    __u8 family;        /* 4 or 6 */
    __u8 tos;           /* DSCP and ECN: IPv4 TOS or IPv6 traffic class */
    __u8 ttl;           /* TTL or hop limit */
    __u8 ip_hdr_len;    /* 20 or 40 */
    __u8 src[16];       /* source address, IPv4-mapped for IPv4 */
    __u8 dst[16];
};

static __always_inline void address_from_ipv4(__u8 out[16], __be32 address)
{
    __u32 words[4] = { 0, 0, bpf_htonl(0x0000ffff), address };
    __builtin_memcpy(out, words, sizeof(words));
}

static __always_inline int address_is_ipv4(const __u8 address[16])
{
    __u32 words[3];
    __builtin_memcpy(words, address, sizeof(words));
    return words[0] == 0 && words[1] == 0 && words[2] == bpf_htonl(0x0000ffff);
}

/* RFC 8200 §4 and the IANA list of IPv6 extension headers (RFC 7045 §4). */
static __always_inline int is_ipv6_extension(__u8 next_header)
{
    switch (next_header) {
    case IPPROTO_HOPOPTS: case IPPROTO_ROUTING: case IPPROTO_FRAGMENT: case IPPROTO_ESP:
    case IPPROTO_AH: case IPPROTO_DSTOPTS: case IPPROTO_MH: case 139 /* HIP */:
    case 140 /* Shim6 */: case 253: case 254 /* experimentation */:
        return 1;
    default:
        return 0;
    }
}

static __always_inline int parse_ipv4(struct cursor *c, struct packet *pkt)
{
    struct iphdr *ip = c->pos;
    if ((void *)(ip + 1) > c->end)
        return TURNPIKE_REASON_MALFORMED;
    if (ip->version != 4 || ip->ihl < 5)
        return TURNPIKE_REASON_MALFORMED;
    if (ip->ihl != 5)
        return TURNPIKE_REASON_IPV4_OPTIONS;
    if (ip->frag_off & bpf_htons(IPV4_FLAG_MF | IPV4_OFFSET_MASK))
        return TURNPIKE_REASON_IPV4_FRAGMENT;
    if (ip->protocol != IPPROTO_UDP)
        return TURNPIKE_REASON_NOT_UDP;
    __u16 total = bpf_ntohs(ip->tot_len);
    /* The frame may carry Ethernet padding after the datagram, never less than it claims. */
    if (total < IPV4_HEADER_LENGTH + UDP_HEADER_LENGTH || (void *)ip + total > c->end)
        return TURNPIKE_REASON_MALFORMED;
    pkt->family = 4;
    pkt->ip_hdr_len = IPV4_HEADER_LENGTH;
    pkt->tos = ip->tos;
    pkt->ttl = ip->ttl;
    pkt->ip_id = ip->id;
    pkt->ip_frag = ip->frag_off;
    pkt->ip_check = ip->check;
    pkt->ip_total = ip->tot_len;
    pkt->udp_len = total - IPV4_HEADER_LENGTH;
    address_from_ipv4(pkt->src, ip->saddr);
    address_from_ipv4(pkt->dst, ip->daddr);
    c->pos = ip + 1;
    return 0;
}

static __always_inline int parse_ipv6(struct cursor *c, struct packet *pkt)
{
    struct ipv6hdr *ip = c->pos;
    if ((void *)(ip + 1) > c->end)
        return TURNPIKE_REASON_MALFORMED;
    if (ip->version != 6)
        return TURNPIKE_REASON_MALFORMED;
    if (ip->nexthdr != IPPROTO_UDP)
        return is_ipv6_extension(ip->nexthdr) ? TURNPIKE_REASON_IPV6_EXTENSION : TURNPIKE_REASON_NOT_UDP;
    __u16 payload = bpf_ntohs(ip->payload_len);
    /* A payload length of 0 (jumbogram) or shorter than UDP is not ours to judge. */
    if (payload < UDP_HEADER_LENGTH || (void *)(ip + 1) + payload > c->end)
        return TURNPIKE_REASON_MALFORMED;
    pkt->family = 6;
    pkt->ip_hdr_len = IPV6_HEADER_LENGTH;
    pkt->tos = (__u8)(ip->priority << 4 | ip->flow_lbl[0] >> 4);
    pkt->ttl = ip->hop_limit;
    pkt->udp_len = payload;
    __builtin_memcpy(pkt->src, &ip->saddr, 16);
    __builtin_memcpy(pkt->dst, &ip->daddr, 16);
    c->pos = ip + 1;
    return 0;
}

/* Parses up to the UDP header; 0 when the packet is a UDP datagram the fast path could rewrite,
 * otherwise the reason it cannot. */
static __always_inline int parse_packet(struct xdp_md *ctx, struct packet *pkt)
{
    struct cursor c = { .pos = (void *)(long)ctx->data, .end = (void *)(long)ctx->data_end };
    pkt->frame_len = (__u32)(c.end - c.pos);

    struct ethhdr *eth = c.pos;
    if ((void *)(eth + 1) > c.end)
        return TURNPIKE_REASON_MALFORMED;
    c.pos = eth + 1;

    int reason;
    if (eth->h_proto == bpf_htons(ETH_P_IP))
        reason = parse_ipv4(&c, pkt);
    else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
        reason = parse_ipv6(&c, pkt);
    else
        return TURNPIKE_REASON_NOT_IP;
    if (reason)
        return reason;

    struct udphdr *udp = c.pos;
    if ((void *)(udp + 1) > c.end)
        return TURNPIKE_REASON_MALFORMED;
    /* UDP's length must be the IP payload's: anything else is for the kernel to judge. */
    if (bpf_ntohs(udp->len) != pkt->udp_len)
        return TURNPIKE_REASON_MALFORMED;
    /* RFC 8200 §8.1: a zero UDP checksum is invalid over IPv6; the kernel discards it. */
    if (pkt->family == 6 && udp->check == 0)
        return TURNPIKE_REASON_MALFORMED;
    pkt->udp = udp;
    pkt->udp_check = udp->check;
    return 0;
}

#endif
