"""Stream attacks for tests/hardening (imported by turnload.py): many half-open or trickling TCP
and TLS connections from one source, and a client that never reads while its peer floods it.
Everything is bounded in count and time."""
import json
import os
import resource
import selectors
import socket
import struct
import time

import stun
from client import Client, TURNError


def raise_fd_limit(wanted):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(hard, max(soft, wanted))
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def slowloris(server, port, tls_port, bind, count, seconds, mode):
    """Opens `count` connections from `bind`, spread over the TCP port and the TLS port, and keeps
    them open for at most `seconds`: `halfopen` sends nothing (a TLS connection never starts its
    handshake); `trickle` sends one byte of a STUN header a second, never a whole message (on the
    TLS port, one byte of a ClientHello). Reports how many the server accepted, refused or closed,
    and how long it took to close them."""
    raise_fd_limit(count + 64)
    family = stun.family_of(server)
    # A ClientHello record header and the start of its body: enough for the server to wait.
    hello = bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]) + os.urandom(32)
    header = struct.pack("!HHI", 0x0003, 8, stun.COOKIE) + os.urandom(12)
    sockets, opened_at, refused = {}, {}, 0
    start = time.monotonic()
    for index in range(count):
        if time.monotonic() - start > seconds / 2:
            break
        tls = index % 2 == 1
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.bind((bind, 0))
        sock.setblocking(False)
        try:
            sock.connect((server, tls_port if tls else port))
        except BlockingIOError:
            pass
        except OSError:
            refused += 1
            sock.close()
            continue
        sockets[sock.fileno()] = (sock, tls, 0)
        opened_at[sock.fileno()] = time.monotonic()
    closed_ms, alive_at_end = [], 0
    next_trickle = time.monotonic() + 1
    selector = selectors.DefaultSelector()  # epoll: descriptors above 1024
    for sock, _, _ in sockets.values():
        selector.register(sock, selectors.EVENT_READ)
    while sockets and time.monotonic() - start < seconds:
        for key, _ in selector.select(0.2):
            sock = key.fileobj
            try:
                data = sock.recv(4096)
            except (ConnectionResetError, OSError):
                data = b""
            if not data:
                closed_ms.append((time.monotonic() - opened_at[sock.fileno()]) * 1000)
                del sockets[sock.fileno()]
                selector.unregister(sock)
                sock.close()
        if mode == "trickle" and time.monotonic() >= next_trickle:
            next_trickle += 1
            for fd, (sock, tls, sent) in list(sockets.items()):
                source = hello if tls else header
                if sent < len(source) - 1:
                    try:
                        sock.send(source[sent:sent + 1])
                        sockets[fd] = (sock, tls, sent + 1)
                    except OSError:
                        pass
    # Still open at the end: established connections only. The others never got through the
    # server's full listen backlog (their SYNs are being retransmitted): the server holds nothing.
    alive_at_end = pending = 0
    for sock, _, _ in sockets.values():
        state = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]
        if state == 1:  # TCP_ESTABLISHED
            alive_at_end += 1
        else:
            pending += 1
        sock.close()
    closed_ms.sort()
    return {"mode": mode, "opened": count - refused, "refused_at_connect": refused, "closed_by_server": len(closed_ms),
            "open_at_end": alive_at_end, "never_established": pending, "closed_ms_p50": round(closed_ms[len(closed_ms) // 2]) if closed_ms else None,
            "closed_ms_max": round(closed_ms[-1]) if closed_ms else None, "seconds": round(time.monotonic() - start, 2)}


def noread(server, port, user, password, peer, peer_port, seconds, ready_file):
    """An authenticated TCP client with a channel to (peer, peer_port) that never reads: writes its
    relayed address to `ready_file`, then holds the connection for `seconds` and reports whether
    the server closed it."""
    client = Client(server, port, user, password, tcp=True)
    client.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    relayed = client.allocate()
    client.bind(0x4000, peer, peer_port)
    with open(ready_file, "w") as ready:
        ready.write(json.dumps({"relayed": list(relayed)}) + "\n")
    start = time.monotonic()
    closed_after = None
    while time.monotonic() - start < seconds:
        time.sleep(0.5)
        # Peek without reading: a FIN or RST from the server shows as an empty or failed peek
        # only once the queue before it is consumed, so look at the socket's TCP state instead.
        info = client.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
        if info[0] not in (1,):  # TCP_ESTABLISHED
            closed_after = round(time.monotonic() - start, 2)
            break
    client.close()
    return {"relayed": f"{relayed[0]}:{relayed[1]}", "closed_by_server_after_s": closed_after}


def peerflood(source, source_port, target, target_port, rate, seconds, size):
    """UDP datagrams from (source, source_port) to the relayed address at `rate` per second."""
    sock = socket.socket(stun.family_of(source), socket.SOCK_DGRAM)
    sock.bind((source, source_port))
    payload = os.urandom(size)
    sent, start = 0, time.monotonic()
    while time.monotonic() - start < seconds:
        for _ in range(64):
            try:
                sock.sendto(payload, (target, target_port))
                sent += 1
            except OSError:
                pass
        ahead = sent / rate - (time.monotonic() - start)
        if ahead > 0:
            time.sleep(ahead)
    sock.close()
    return {"sent": sent, "bytes": sent * size, "seconds": round(time.monotonic() - start, 2)}


def reservations(server, port, user, password, loops):
    """Allocate with EVEN-PORT R (RFC 8656 §14.6: reserve the next port too) then Refresh(0), `loops`
    times from one client: each round leaves a reservation behind for 30 s. Reports the answers."""
    codes = {}
    client = Client(server, port, user, password)
    even_port_reserve = (0x0018, bytes([0x80]))
    for _ in range(loops):
        try:
            client.transact(stun.ALLOCATE, [(stun.REQUESTED_TRANSPORT, bytes([stun.UDP_TRANSPORT, 0, 0, 0])), even_port_reserve])
            codes["allocated"] = codes.get("allocated", 0) + 1
            client.refresh(0)
        except TURNError as error:
            key = str(error.code) if error.code else "no answer"
            codes[key] = codes.get(key, 0) + 1
    client.close()
    return {"loops": loops, "answers": codes}
