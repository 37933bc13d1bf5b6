/* csum.h — Internet checksum arithmetic (RFC 1071, incremental update per RFC 1624 eqn. 3).
 *
 * All sums are over 16-bit words exactly as they sit in memory (network order), accumulated in
 * 64 bits and folded with end-around carry; the folded result is stored back as-is. Values built
 * in registers must therefore be in network order too (bpf_htons).
 */
#ifndef TURNPIKE_CSUM_H
#define TURNPIKE_CSUM_H

#include <linux/types.h>
#include <bpf/bpf_helpers.h>

static __always_inline __u16 csum_fold(__u64 sum)
{
    sum = (sum & 0xffffffff) + (sum >> 32);
    sum = (sum & 0xffffffff) + (sum >> 32);
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return (__u16)sum;
}

/* The one's complement sum of a 16-byte address. For an IPv4-mapped address (::ffff:a.b.c.d)
 * the 0xffff word is one's complement zero, so this equals the sum of the IPv4 address alone:
 * the same value serves the IPv4 and the IPv6 pseudo-header. */
static __always_inline __u64 csum_address(const __u8 address[16])
{
    __u32 words[4];
    __builtin_memcpy(words, address, sizeof(words));
    return (__u64)words[0] + words[1] + words[2] + words[3];
}

/* A 16-bit word from two bytes in memory order. */
static __always_inline __u16 csum_word(__u8 first, __u8 second)
{
    __u8 bytes[2] = { first, second };
    __u16 word;
    __builtin_memcpy(&word, bytes, sizeof(word));
    return word;
}

/* The contribution of one byte at an even (first in its word) or odd position. */
static __always_inline __u16 csum_byte(__u8 byte, int odd_position)
{
    return odd_position ? csum_word(0, byte) : csum_word(byte, 0);
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), with m the sum of every removed word and m' of every
 * added one. Corruption the old checksum caught stays caught. */
static __always_inline __u16 csum_replace(__u16 old_check, __u64 removed, __u64 added)
{
    __u64 sum = (__u16)~old_check;
    sum += (__u16)~csum_fold(removed);
    sum += csum_fold(added);
    return (__u16)~csum_fold(sum);
}

/* The UDP form: a computed 0 is sent as 0xffff, since 0 means "no checksum" (RFC 768). */
static __always_inline __u16 csum_replace_udp(__u16 old_check, __u64 removed, __u64 added)
{
    __u16 check = csum_replace(old_check, removed, added);
    return check ? check : 0xffff;
}

#endif
