"""Spoofed-source UDP floods through an AF_PACKET socket: whole Ethernet frames, any source address.

Only for the namespaces tests/hardening creates: sources come from 198.18.0.0/15 and
2001:db8::/32, the destination is the relay under test, and every flood is bounded in count and
time."""
import ipaddress
import os
import random
import socket
import struct
import time

import stun

ETH_P_IP, ETH_P_IPV6 = 0x0800, 0x86DD
SERVER_PORT = 3478


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def mac_bytes(text: str) -> bytes:
    return bytes(int(part, 16) for part in text.split(":"))


def frame(src_mac, dst_mac, src_ip, dst_ip, src_port, payload: bytes) -> bytes:
    src, dst = ipaddress.ip_address(src_ip), ipaddress.ip_address(dst_ip)
    udp_length = 8 + len(payload)
    if src.version == 4:
        header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_length, 0, 0x4000, 64, 17, 0, src.packed, dst.packed)
        header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
        # UDP checksum 0: none (allowed over IPv4, RFC 768).
        udp = struct.pack("!HHHH", src_port, SERVER_PORT, udp_length, 0) + payload
        return dst_mac + src_mac + struct.pack("!H", ETH_P_IP) + header + udp
    pseudo = src.packed + dst.packed + struct.pack("!IxxxB", udp_length, 17)
    udp = struct.pack("!HHHH", src_port, SERVER_PORT, udp_length, 0) + payload
    value = checksum(pseudo + udp) or 0xFFFF  # RFC 8200 §8.1: mandatory over IPv6, 0 sent as 0xFFFF
    udp = udp[:6] + struct.pack("!H", value) + udp[8:]
    header = struct.pack("!IHBB16s16s", 0x60000000, udp_length, 17, 64, src.packed, dst.packed)
    return dst_mac + src_mac + struct.pack("!H", ETH_P_IPV6) + header + udp


def sources(network: str, count: int, rng: random.Random):
    """`count` distinct addresses of `network` (IPv6: one per /64, so each is its own budget key)."""
    net = ipaddress.ip_network(network)
    if net.version == 4:
        hosts = net.num_addresses - 2
        picks = rng.sample(range(1, hosts + 1), min(count, hosts))
        return [str(net.network_address + offset) for offset in picks]
    subnets = 1 << (64 - net.prefixlen)
    picks = rng.sample(range(subnets), min(count, subnets))
    return [str(ipaddress.IPv6Address(int(net.network_address) + (p << 64) + 2)) for p in picks]


STALE_NONCE = "obMatJos2AAAA" + "0" * 40  # a well-formed cookie, a nonce this server never issued


def payload(kind: str, rng: random.Random) -> bytes:
    tid = os.urandom(12)
    transport = (stun.REQUESTED_TRANSPORT, bytes([stun.UDP_TRANSPORT, 0, 0, 0]))
    if kind == "allocate":
        return stun.encode(stun.ALLOCATE, stun.REQUEST, tid, [transport])
    if kind == "binding":
        return stun.encode(stun.BINDING, stun.REQUEST, tid, [])
    if kind == "stale-nonce":
        attrs = [transport, (stun.USERNAME, b"mallory"), (stun.REALM, b"hardening.test"),
                 (stun.NONCE, STALE_NONCE.encode())]
        return stun.encode(stun.ALLOCATE, stun.REQUEST, tid, attrs, key=os.urandom(16))
    if kind == "garbage":
        choice = rng.randrange(4)
        body = os.urandom(rng.randrange(1, 200))
        if choice == 0:  # STUN-looking header, lying length
            return struct.pack("!HHI", 0x0003, rng.randrange(0, 65536) & ~3, stun.COOKIE) + tid + body
        if choice == 1:  # ChannelData for a channel nobody bound
            return struct.pack("!HH", rng.randrange(0x4000, 0x8000), len(body)) + body
        if choice == 2:  # neither STUN nor ChannelData (RFC 7983 first-byte ranges)
            return bytes([rng.randrange(0x80, 0x100)]) + body
        return body
    raise ValueError(kind)


def flood(interface, src_mac, dst_mac, server, network, kind, count, distinct, rate, seconds, seed, src_port=None):
    """Sends `count` frames of `kind` from `distinct` spoofed sources in `network`, at most `rate`
    per second and for at most `seconds`, from `src_port` (random ports when None; 0 is a port no
    reply can reach). Returns what was sent."""
    rng = random.Random(seed)
    family = ETH_P_IP if ":" not in server else ETH_P_IPV6
    addresses = sources(network, distinct, rng)
    frames, udp_bytes = [], []
    for index in range(min(count, max(distinct, 1) * 4, 65536)):
        data = payload(kind, rng)
        frames.append(frame(mac_bytes(src_mac), mac_bytes(dst_mac), addresses[index % len(addresses)], server,
                            rng.randrange(1024, 65536) if src_port is None else src_port, data))
        udp_bytes.append(len(data))
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(family))
    sock.bind((interface, 0))
    sent = sent_bytes = 0
    start = time.monotonic()
    batch = 64
    while sent < count and time.monotonic() - start < seconds:
        for _ in range(min(batch, count - sent)):
            index = sent % len(frames)
            try:
                sock.send(frames[index])
            except BlockingIOError:
                continue
            sent += 1
            sent_bytes += udp_bytes[index]
        # Pace: never ahead of `rate` per second.
        ahead = sent / rate - (time.monotonic() - start)
        if ahead > 0:
            time.sleep(ahead)
    sock.close()
    return {"kind": kind, "sent": sent, "request_bytes": sent_bytes, "sources": len(addresses),
            "seconds": round(time.monotonic() - start, 2)}
