#!/usr/bin/env python3
"""Load generators for tests/hardening. Each subcommand is bounded in count and time, talks only
to the addresses it is given (namespaces the harness created), and prints one JSON object.

  flood    spoofed-source floods (AF_PACKET): allocate | binding | stale-nonce | garbage
  wrongpw  Allocates with a wrong password from real addresses (each with its own nonce)
  legit    a legitimate client that allocates and relays through a channel, repeatedly
  churn    create and delete many allocations (shared-secret users), over UDP and TCP
  soak     steady relayed load with refreshes and expiries
  abuse    forbidden peers in every encoding through CreatePermission, ChannelBind and Send
  steady   one allocation with a channel to the echo peer at a fixed rate: loss and its gaps
  probe    one Allocate (and optionally a channel and a few echoes): its outcome, never a hang
  listeners  a Binding from each of many real sources: which listeners (event loops) answer
  slowloris  many half-open or trickling TCP/TLS connections from one source (streams.py)
  noread     a TCP client with a channel that never reads, while `peerflood` floods it
  reservations  Allocate with EVEN-PORT R then Refresh(0), in a loop
"""
import argparse
import json
import os
import select
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stun  # noqa: E402
from client import Client, TURNError  # noqa: E402


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2)


# --- flood -----------------------------------------------------------------------------------------

def cmd_flood(args):
    import spoof
    result = spoof.flood(args.interface, args.src_mac, args.dst_mac, args.server, args.sources, args.kind,
                         args.count, args.distinct, args.rate, args.seconds, args.seed, args.source_port)
    print(json.dumps(result))


def cmd_listeners(args):
    """A Binding request from each of `--addresses` (bound locally, so each is a real source) to
    the server: which got an answer within a second. Sources spread over the server's event loops
    (it steers clients to loops by address), so every loop's listener is asked."""
    answered, silent = [], []
    for address in args.addresses.split(","):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_DGRAM)
        sock.bind((address, 0))
        sock.settimeout(0.2)
        tid = os.urandom(12)
        ok = False
        for _ in range(5):  # the loss of one datagram is not a dead listener
            sock.sendto(stun.encode(stun.BINDING, stun.REQUEST, tid, []), (args.server, args.port))
            try:
                data, _ = sock.recvfrom(2048)
                ok = data[8:20] == tid
                break
            except socket.timeout:
                continue
        sock.close()
        (answered if ok else silent).append(address)
    print(json.dumps({"asked": len(answered) + len(silent), "answered": len(answered), "silent": silent}))


def cmd_wrongpw(args):
    """Each bound address learns a nonce (one 401), then sends Allocates with a wrong password:
    the server owes each a 401 at most, within the per-source reply budget."""
    clients = [Client(args.server, args.port, "alice", "wrong-password", bind=address)
               for address in args.addresses.split(",")]
    sent = request_bytes = replies = reply_bytes = 0
    codes = {}
    for client in clients:
        try:
            client.transact(stun.ALLOCATE, [(stun.REQUESTED_TRANSPORT, bytes([17, 0, 0, 0]))])
        except TURNError as error:
            codes[str(error.code)] = codes.get(str(error.code), 0) + 1
    def collect():
        nonlocal replies, reply_bytes
        for c in clients:
            for reply in c.read_available():
                replies += 1
                reply_bytes += len(reply)
                message = stun.decode(reply)
                if message is not None:
                    codes[str(message.error_code)] = codes.get(str(message.error_code), 0) + 1

    start = time.monotonic()
    index = 0
    while sent < args.count and time.monotonic() - start < args.seconds:
        client = clients[index % len(clients)]
        index += 1
        tid = stun.transaction_id()
        attrs = [(stun.REQUESTED_TRANSPORT, bytes([17, 0, 0, 0])), (stun.USERNAME, b"alice"),
                 (stun.REALM, (client.realm or "").encode()), (stun.NONCE, (client.nonce or "").encode())]
        data = stun.encode(stun.ALLOCATE, stun.REQUEST, tid, attrs, key=client.key or b"\0" * 16)
        client.send_raw(data)
        sent += 1
        request_bytes += len(data)
        if sent % 256 == 0:
            collect()
            ahead = sent / args.rate - (time.monotonic() - start)
            if ahead > 0:
                time.sleep(ahead)
    time.sleep(0.5)
    collect()
    for c in clients:
        c.close()
    print(json.dumps({"kind": "wrong-password", "sources": len(clients), "sent": sent, "request_bytes": request_bytes,
                      "replies": replies, "reply_bytes": reply_bytes, "codes": codes,
                      "seconds": round(time.monotonic() - start, 2)}))


# --- legit -----------------------------------------------------------------------------------------

def cmd_legit(args):
    """Until `seconds` pass: a fresh client allocates, binds a channel to the echo peer, sends
    `packets` ChannelData messages and counts the echoes; then deletes its allocation."""
    attempts = allocated = sent = received = 0
    allocate_ms, failures = [], {}
    start = time.monotonic()
    while time.monotonic() - start < args.seconds:
        attempts += 1
        echoes = []
        client = Client(args.server, args.port, args.user, args.password, on_data=lambda k, p: echoes.append(p))
        try:
            begin = time.monotonic()
            client.allocate()
            allocate_ms.append((time.monotonic() - begin) * 1000)
            allocated += 1
            client.bind(0x4000, args.peer, args.peer_port)
            for index in range(args.packets):
                client.send_channel(0x4000, struct.pack("!I", index) + b"legit")
                sent += 1
            deadline = time.monotonic() + 2
            while len(echoes) < args.packets and time.monotonic() < deadline:
                client.poll(0.05)
            received += len(echoes)
            if not args.keep:
                client.refresh(0)
        except TURNError as error:
            failures[str(error)] = failures.get(str(error), 0) + 1
        finally:
            client.close()
        time.sleep(args.pause)
    print(json.dumps({"attempts": attempts, "allocated": allocated, "sent": sent, "received": received,
                      "allocate_ms_p50": percentile(allocate_ms, 0.5), "allocate_ms_max": percentile(allocate_ms, 1.0),
                      "failures": failures}))


# --- churn -----------------------------------------------------------------------------------------

def cmd_churn(args):
    """Creates and deletes `total` allocations in batches of `batch` concurrent clients, each with
    its own shared-secret username; a share of them over TCP closes the connection instead of
    deleting (the server must free the allocation with the connection, RFC 8656 §3.1)."""
    created = deleted = closed = 0
    failures = {}
    probe = None
    start = time.monotonic()
    number = 0
    while created + sum(failures.values()) < args.total and time.monotonic() - start < args.seconds:
        batch = []
        for _ in range(min(args.batch, args.total - created - sum(failures.values()))):
            number += 1
            tcp = args.tcp_every > 0 and number % args.tcp_every == 0
            username, password = stun.rest_credentials(args.secret, f"churn{number}", 3600, int(time.time()))
            try:
                batch.append((Client(args.server, args.port, username, password, tcp=tcp), tcp))
            except OSError as error:
                failures[f"connect: {error.strerror}"] = failures.get(f"connect: {error.strerror}", 0) + 1
        live = []
        for client, tcp in batch:
            try:
                client.allocate()
                created += 1
                if args.peer:
                    # A channel puts entries into the XDP maps; the delete must take them out.
                    client.bind(0x4000, args.peer, args.peer_port)
                live.append((client, tcp))
            except TURNError as error:
                failures[str(error)] = failures.get(str(error), 0) + 1
                client.close()
        if args.probe and probe is None:
            # The whole first batch is alive now: what does the kernel hold?
            probe = subprocess.run(args.probe, shell=True, capture_output=True, text=True).stdout.strip()
        for client, tcp in live:
            try:
                if tcp:
                    closed += 1
                else:
                    client.refresh(0)
                    deleted += 1
            except TURNError as error:
                failures[f"delete: {error}"] = failures.get(f"delete: {error}", 0) + 1
            finally:
                client.close()
    seconds = time.monotonic() - start
    print(json.dumps({"created": created, "deleted": deleted, "tcp_closed": closed, "failures": failures,
                      "seconds": round(seconds, 1), "per_second": round(created / seconds, 1) if seconds else None,
                      "probe": probe}))


# --- soak ------------------------------------------------------------------------------------------

class SoakClient:
    """One allocation with a channel to the echo peer; counts echoes of its own sequence numbers."""

    def __init__(self, args, ident, expiring):
        self.ident, self.expiring = ident, expiring
        self.received = set()
        self.sent = 0
        username, password = stun.rest_credentials(args.secret, f"soak{ident}", 7200, int(time.time()))
        self.client = Client(args.server, args.port, username, password, on_data=self.on_data)
        self.client.allocate(lifetime=args.lifetime)
        self.client.bind(0x4000 + ident % 0x1000, args.peer, args.peer_port)
        self.channel = 0x4000 + ident % 0x1000
        now = time.monotonic()
        self.refresh_at = now + args.lifetime / 2
        self.bind_at = now + args.rebind
        # An expiring client sends for one lifetime, then goes quiet and lets the allocation expire.
        self.quiet_at = now + args.lifetime * 0.8 if expiring else None
        self.expires_at = now + args.lifetime if expiring else None

    def on_data(self, kind, payload):
        if len(payload) >= 8:
            ident, seq = struct.unpack("!II", payload[:8])
            if ident == self.ident:
                self.received.add(seq)

    def send(self, size):
        payload = struct.pack("!II", self.ident, self.sent) + b"s" * (size - 8)
        self.client.send_channel(self.channel, payload)
        self.sent += 1


def cmd_soak(args):
    clients, retired = {}, []
    expired_confirmed = expiry_failures = refreshes = 0
    errors = {}
    samples = []
    next_ident = 0

    def spawn(expiring):
        nonlocal next_ident
        next_ident += 1
        try:
            clients[next_ident] = SoakClient(args, next_ident, expiring)
        except (TURNError, OSError) as error:
            errors[f"spawn: {error}"] = errors.get(f"spawn: {error}", 0) + 1

    for index in range(args.clients):
        spawn(expiring=index % 4 == 0)
    start = time.monotonic()
    next_sample = start
    interval = 1.0 / args.rate
    next_send = start
    turn = 0
    while time.monotonic() - start < args.seconds:
        now = time.monotonic()
        if now >= next_sample and args.pid:
            samples.append(process_sample(args.pid, now - start))
            next_sample += args.sample_every
        # Send, round robin, paced to `rate` packets per second over all clients.
        active = [c for c in clients.values() if c.quiet_at is None or now < c.quiet_at]
        while active and next_send <= now:
            active[turn % len(active)].send(args.size)
            turn += 1
            next_send += interval
        for client in list(clients.values()):
            try:
                if client.expires_at is not None and now >= client.expires_at + 2:
                    # Expired by now (lifetime plus the server's timer slack): a Refresh must get 437.
                    try:
                        client.client.refresh(args.lifetime)
                        expiry_failures += 1
                    except TURNError as error:
                        if error.code == 437:
                            expired_confirmed += 1
                        else:
                            expiry_failures += 1
                    retired.append(client)
                    del clients[client.ident]
                    client.client.close()
                    spawn(expiring=True)
                    continue
                if client.expires_at is None and now >= client.refresh_at:
                    client.client.refresh(args.lifetime)
                    refreshes += 1
                    client.refresh_at = now + args.lifetime / 2
                if now >= client.bind_at and (client.quiet_at is None or now < client.quiet_at):
                    client.client.bind(client.channel, args.peer, args.peer_port)  # refreshes channel + permission
                    client.bind_at = now + args.rebind
            except TURNError as error:
                errors[str(error)] = errors.get(str(error), 0) + 1
        readable, _, _ = select.select([c.client for c in clients.values()], [], [], 0.002)
        for client_socket in readable:
            for data in client_socket.read_available():
                client_socket.dispatch(data)
    # Let the last echoes arrive, then delete what is left.
    settle = time.monotonic() + 2
    while time.monotonic() < settle:
        readable, _, _ = select.select([c.client for c in clients.values()], [], [], 0.05)
        for client_socket in readable:
            for data in client_socket.read_available():
                client_socket.dispatch(data)
    for client in clients.values():
        try:
            client.client.refresh(0)
        except TURNError as error:
            # An expiring client past its lifetime is gone already: 437 is its expected answer.
            if not (error.code == 437 and client.expires_at is not None and time.monotonic() >= client.expires_at - 1):
                errors[f"delete: {error}"] = errors.get(f"delete: {error}", 0) + 1
        client.client.close()
    everyone = retired + list(clients.values())
    sent = sum(c.sent for c in everyone)
    received = sum(len(c.received) for c in everyone)
    if args.pid:
        samples.append(process_sample(args.pid, time.monotonic() - start))
    missing = [{"client": c.ident, "expiring": c.expiring, "sent": c.sent,
                "missing": sorted(set(range(c.sent)) - c.received)[:8]} for c in everyone if len(c.received) < c.sent]
    print(json.dumps({"seconds": round(time.monotonic() - start, 1), "allocations": next_ident, "sent": sent,
                      "missing": missing[:10],
                      "received": received, "lost": sent - received, "refreshes": refreshes,
                      "expired_confirmed": expired_confirmed, "expiry_failures": expiry_failures,
                      "errors": errors, "samples": samples}))


def process_sample(pid, elapsed):
    rss_kib = 0
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss_kib = int(line.split()[1])
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return {"t": round(elapsed), "rss_kib": rss_kib, "fds": fds}


# --- abuse -----------------------------------------------------------------------------------------

def forbidden_targets(v4_targets):
    """Every encoding of each IPv4 target (RFC 4291 §2.5.5, RFC 2765, RFC 6052, RFC 8215, RFC 3056,
    RFC 4380, RFC 5214), plus IPv6 special-purpose addresses."""
    import ipaddress
    out = []
    for text in v4_targets:
        v4 = ipaddress.IPv4Address(text)
        n = int(v4)
        hexv4 = f"{n >> 16:x}:{n & 0xFFFF:x}"
        out += [(text, "ipv4", text),
                (f"::ffff:{text}", "ipv4-mapped", text),
                (f"::{hexv4}", "ipv4-compatible", text),
                (f"::ffff:0:{hexv4}", "siit-translated", text),
                (f"64:ff9b::{text}", "nat64-well-known", text),
                (f"64:ff9b:1::{hexv4}", "nat64-local-use", text),
                (f"2002:{hexv4}::1", "6to4", text),
                (f"2001:0:{hexv4}:0:0:{(~n >> 16) & 0xFFFF:x}:{~n & 0xFFFF:x}", "teredo-client", text),
                (f"2001:0:{hexv4}::1", "teredo-server", text),
                (f"2001:db8:2::5efe:{hexv4}", "isatap", text),
                (f"2001:db8:2::200:5efe:{hexv4}", "isatap-global", text)]
    out += [(address, "ipv6", None) for address in ("::1", "::", "fe80::1", "fc00::1", "fd00::1", "ff02::1",
                                              "2001:db8:1::1", "100::1", "2001:10::1", "2001:2::1")]
    return out


def cmd_abuse(args):
    """Tries each forbidden peer with CreatePermission, ChannelBind and a Send indication.
    CreatePermission and ChannelBind must get 403 (RFC 8656 §9.1: forbidden peer). Send has no
    answer; the harness checks the canaries and the server's drop counter."""
    results = []
    for family_server in [args.server]:
        client = Client(family_server, args.port, args.user, args.password)
        client.allocate()
        client6 = None
        if args.server6:
            client6 = Client(args.server, args.port, args.user, args.password)
            client6.transact(stun.ALLOCATE, [(stun.REQUESTED_TRANSPORT, bytes([17, 0, 0, 0])),
                                             (0x0017, bytes([2, 0, 0, 0]))])  # REQUESTED-ADDRESS-FAMILY IPv6
        channel = 0x4000
        for target, form, base in forbidden_targets(args.v4_targets.split(",")):
            user = client6 if (":" in target and client6 is not None) else client
            for port in args.ports:
                outcome = {"target": target, "form": form, "port": port, "base": base}
                for name, action in (("permission", lambda: user.permit(target, port)),
                                     ("channel", lambda: user.bind(channel, target, port))):
                    try:
                        action()
                        outcome[name] = "accepted"
                    except TURNError as error:
                        outcome[name] = error.code
                channel += 1
                for _ in range(3):
                    user.send_indication(target, port, b"abuse-canary")
                results.append(outcome)
        client.close()
        if client6:
            client6.close()
    # The server's own relay address is a legitimate permission (allocations on one server talk
    # through it, RFC 8656 §9); a channel to a port there that is no relay port is not.
    own = set(args.own.split(",")) if args.own else set()
    def refused(r):
        permission_ok = r["permission"] == 403 or (r["base"] in own and r["permission"] == "accepted")
        return permission_ok and r["channel"] == 403
    accepted = [r for r in results if not refused(r) and "accepted" in (r["permission"], r["channel"])]
    wrong_code = [r for r in results if not refused(r) and r not in accepted]
    print(json.dumps({"attempts": len(results) * 3, "targets": len(results), "accepted": accepted,
                      "not_403": wrong_code, "refused": [r for r in results if r not in accepted]}))


# --- canary ----------------------------------------------------------------------------------------

def cmd_canary(args):
    """Listens on forbidden addresses until SIGTERM or `seconds`; prints what arrived. Anything
    here was relayed to an address the peer policy forbids."""
    import signal
    sockets, counts = [], {}
    for address in args.addresses.split(","):
        for port in args.ports:
            sock = socket.socket(stun.family_of(address), socket.SOCK_DGRAM)
            sock.bind((address, port))
            sock.setblocking(False)
            sockets.append((sock, f"{address}:{port}"))
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    print(json.dumps({"listening": len(sockets)}), flush=True)
    deadline = time.monotonic() + args.seconds
    while not stop and time.monotonic() < deadline:
        readable, _, _ = select.select([s for s, _ in sockets], [], [], 0.2)
        for sock, name in sockets:
            if sock in readable:
                try:
                    while True:
                        sock.recv(65536)
                        counts[name] = counts.get(name, 0) + 1
                except BlockingIOError:
                    pass
    print(json.dumps({"received": counts}), flush=True)


# --- steady / probe (faults) -----------------------------------------------------------------------

def cmd_steady(args):
    """One allocation, one channel to the echo peer, `rate` packets a second for `seconds`. Lost
    packets are grouped into gaps (runs of consecutive sequence numbers), given by send time
    relative to `start_epoch`, so the harness can lay them next to the moment of its fault."""
    echoed = set()

    def on_data(kind, payload):
        if len(payload) >= 4:
            echoed.add(struct.unpack("!I", payload[:4])[0])

    client = Client(args.server, args.port, args.user, args.password, on_data=on_data, tls=args.tls)
    client.allocate()
    client.bind(0x4000, args.peer, args.peer_port)
    print("ready", file=sys.stderr, flush=True)
    start_epoch, start = time.time(), time.monotonic()
    sent_at, errors = [], {}
    interval = 1.0 / args.rate
    next_send = start
    while time.monotonic() - start < args.seconds:
        now = time.monotonic()
        while next_send <= now:
            try:
                client.send_channel(0x4000, struct.pack("!I", len(sent_at)) + b"s" * (args.size - 4))
            except OSError as error:
                errors[error.strerror] = errors.get(error.strerror, 0) + 1
            sent_at.append(next_send - start)
            next_send += interval
        try:
            client.poll(max(0.0, min(next_send - time.monotonic(), 0.01)))
        except OSError as error:
            errors[error.strerror] = errors.get(error.strerror, 0) + 1
    settle = time.monotonic() + args.settle
    while len(echoed) < len(sent_at) and time.monotonic() < settle:
        client.poll(0.05)
    refreshed = None
    try:
        client.refresh(0)
        refreshed = True
    except TURNError as error:
        refreshed = f"error {error.code}"
    client.close()
    gaps, run = [], None
    for seq, at in enumerate(sent_at):
        if seq in echoed:
            run = None
        elif run is None:
            run = [round(at, 3), round(at, 3), 1]
            gaps.append(run)
        else:
            run[1], run[2] = round(at, 3), run[2] + 1
    received = sum(1 for seq in echoed if seq < len(sent_at))
    print(json.dumps({"start_epoch": round(start_epoch, 3), "seconds": round(time.monotonic() - start, 2),
                      "sent": len(sent_at), "received": received, "lost": len(sent_at) - received,
                      "gaps": len(gaps), "largest_gaps": sorted(gaps, key=lambda g: -g[2])[:5],
                      "last_gap_end": gaps[-1][1] if gaps else None, "send_errors": errors, "deleted": refreshed}))


def cmd_probe(args):
    """One Allocate with a bounded wait: `ok` with the relayed address, `error N`, or `no answer`
    (RFC 8489 §6.2.1's retransmissions, about 4 s). With --echo, a channel to the peer and a few
    ChannelData messages, counting the echoes."""
    echoes = []
    begin = time.monotonic()
    try:
        client = Client(args.server, args.port if not args.tls or args.port != 3478 else 5349, args.user, args.password,
                        tcp=args.tcp, tls=args.tls, on_data=lambda kind, payload: echoes.append(payload))
    except OSError as error:
        print(json.dumps({"outcome": f"connect failed: {error}", "ms": round((time.monotonic() - begin) * 1000, 1)}))
        return
    out = {}
    try:
        relayed = client.allocate()
        out["outcome"] = "ok"
        out["relayed"] = f"{relayed[0]}:{relayed[1]}"
    except TURNError as error:
        out["outcome"] = f"error {error.code}" if error.code else "no answer"
    out["ms"] = round((time.monotonic() - begin) * 1000, 1)
    if out["outcome"] == "ok" and args.echo:
        try:
            client.bind(0x4000, args.peer, args.peer_port)
            for index in range(args.echo):
                client.send_channel(0x4000, struct.pack("!I", index) + b"probe")
            deadline = time.monotonic() + 2
            while len(echoes) < args.echo and time.monotonic() < deadline:
                client.poll(0.05)
        except TURNError as error:
            out["bind"] = f"error {error.code}"
        out["echoed"] = len(echoes)
        try:
            client.refresh(0)
        except TURNError:
            pass
    client.close()
    print(json.dumps(out))


# --- streams, no reader, reservations (streams.py) ---------------------------------------------------

def cmd_slowloris(args):
    import streams
    print(json.dumps(streams.slowloris(args.server, args.port, args.tls_port, args.bind, args.count, args.seconds, args.mode)))


def cmd_noread(args):
    import streams
    print(json.dumps(streams.noread(args.server, args.port, args.user, args.password, args.peer, args.peer_port,
                                    args.seconds, args.ready_file)))


def cmd_peerflood(args):
    import streams
    print(json.dumps(streams.peerflood(args.source, args.source_port, args.target, args.target_port, args.rate,
                                       args.seconds, args.size)))


def cmd_reservations(args):
    import streams
    print(json.dumps(streams.reservations(args.server, args.port, args.user, args.password, args.loops)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    flood = commands.add_parser("flood")
    flood.add_argument("--interface", required=True)
    flood.add_argument("--src-mac", required=True)
    flood.add_argument("--dst-mac", required=True)
    flood.add_argument("--server", required=True)
    flood.add_argument("--sources", required=True, help="network the spoofed sources come from")
    flood.add_argument("--kind", required=True, choices=["allocate", "binding", "stale-nonce", "garbage"])
    flood.add_argument("--count", type=int, default=100_000)
    flood.add_argument("--distinct", type=int, default=65_000)
    flood.add_argument("--rate", type=int, default=50_000)
    flood.add_argument("--seconds", type=float, default=30)
    flood.add_argument("--seed", type=int, default=1)
    flood.add_argument("--source-port", type=int, default=None, help="one source port for every frame (0 included)")
    flood.set_defaults(run=cmd_flood)

    slowloris = commands.add_parser("slowloris")
    slowloris.add_argument("--server", required=True)
    slowloris.add_argument("--port", type=int, default=3478)
    slowloris.add_argument("--tls-port", type=int, default=5349)
    slowloris.add_argument("--bind", required=True, help="the one source address")
    slowloris.add_argument("--count", type=int, default=1000)
    slowloris.add_argument("--seconds", type=float, default=20)
    slowloris.add_argument("--mode", choices=["halfopen", "trickle"], default="halfopen")
    slowloris.set_defaults(run=cmd_slowloris)

    peerflood = commands.add_parser("peerflood")
    peerflood.add_argument("--source", required=True)
    peerflood.add_argument("--source-port", type=int, default=3490)
    peerflood.add_argument("--target", required=True)
    peerflood.add_argument("--target-port", type=int, required=True)
    peerflood.add_argument("--rate", type=int, default=20000)
    peerflood.add_argument("--seconds", type=float, default=10)
    peerflood.add_argument("--size", type=int, default=1000)
    peerflood.set_defaults(run=cmd_peerflood)

    listeners = commands.add_parser("listeners")
    listeners.add_argument("--server", required=True)
    listeners.add_argument("--port", type=int, default=3478)
    listeners.add_argument("--addresses", required=True, help="comma-separated local source addresses")
    listeners.set_defaults(run=cmd_listeners)

    wrongpw = commands.add_parser("wrongpw")
    wrongpw.add_argument("--server", required=True)
    wrongpw.add_argument("--port", type=int, default=3478)
    wrongpw.add_argument("--addresses", required=True)
    wrongpw.add_argument("--count", type=int, default=50_000)
    wrongpw.add_argument("--rate", type=int, default=20_000)
    wrongpw.add_argument("--seconds", type=float, default=30)
    wrongpw.set_defaults(run=cmd_wrongpw)

    # The clients that authenticate as one user.
    for name, run in (("legit", cmd_legit), ("abuse", cmd_abuse), ("noread", cmd_noread), ("reservations", cmd_reservations)):
        sub = commands.add_parser(name)
        sub.add_argument("--server", required=True)
        sub.add_argument("--port", type=int, default=3478)
        sub.add_argument("--user", required=True)
        sub.add_argument("--password", required=True)
        sub.set_defaults(run=run)
        if name == "noread":
            sub.add_argument("--peer", required=True)
            sub.add_argument("--peer-port", type=int, default=3490)
            sub.add_argument("--seconds", type=float, default=20)
            sub.add_argument("--ready-file", required=True)
        elif name == "reservations":
            sub.add_argument("--loops", type=int, default=200)
        elif name == "legit":
            sub.add_argument("--peer", required=True)
            sub.add_argument("--peer-port", type=int, default=3480)
            sub.add_argument("--seconds", type=float, default=10)
            sub.add_argument("--packets", type=int, default=20)
            sub.add_argument("--pause", type=float, default=0.2)
            sub.add_argument("--keep", action="store_true", help="leave the allocations in place")
        else:
            sub.add_argument("--server6", action="store_true", help="also allocate an IPv6 relay")
            sub.add_argument("--v4-targets", required=True)
            sub.add_argument("--ports", type=int, nargs="+", default=[3478, 9])
            sub.add_argument("--own", help="the server's own relay addresses (IPv4), where a permission is legitimate")

    churn = commands.add_parser("churn")
    churn.add_argument("--server", required=True)
    churn.add_argument("--port", type=int, default=3478)
    churn.add_argument("--secret", required=True)
    churn.add_argument("--total", type=int, default=20_000)
    churn.add_argument("--batch", type=int, default=200)
    churn.add_argument("--tcp-every", type=int, default=10)
    churn.add_argument("--seconds", type=float, default=600)
    churn.add_argument("--peer", help="bind a channel to this peer before deleting")
    churn.add_argument("--peer-port", type=int, default=3480)
    churn.add_argument("--probe", help="shell command run once while the first batch is alive; its output is reported")
    churn.set_defaults(run=cmd_churn)

    soak = commands.add_parser("soak")
    soak.add_argument("--server", required=True)
    soak.add_argument("--port", type=int, default=3478)
    soak.add_argument("--secret", required=True)
    soak.add_argument("--peer", required=True)
    soak.add_argument("--peer-port", type=int, default=3480)
    soak.add_argument("--clients", type=int, default=40)
    soak.add_argument("--rate", type=float, default=2000, help="packets per second, all clients together")
    soak.add_argument("--size", type=int, default=160)
    soak.add_argument("--lifetime", type=int, default=30)
    soak.add_argument("--rebind", type=float, default=60)
    soak.add_argument("--seconds", type=float, default=600)
    soak.add_argument("--pid", type=int)
    soak.add_argument("--sample-every", type=float, default=30)
    soak.set_defaults(run=cmd_soak)

    canary = commands.add_parser("canary")
    canary.add_argument("--addresses", required=True)
    canary.add_argument("--ports", type=int, nargs="+", default=[3478, 9])
    canary.add_argument("--seconds", type=float, default=120)
    canary.set_defaults(run=cmd_canary)

    steady = commands.add_parser("steady")
    probe = commands.add_parser("probe")
    for sub in (steady, probe):
        sub.add_argument("--server", required=True)
        sub.add_argument("--port", type=int, default=3478)
        sub.add_argument("--user", required=True)
        sub.add_argument("--password", required=True)
        sub.add_argument("--peer", required=True)
        sub.add_argument("--peer-port", type=int, default=3480)
    steady.add_argument("--rate", type=float, default=200, help="packets per second")
    steady.add_argument("--size", type=int, default=100)
    steady.add_argument("--seconds", type=float, default=10)
    steady.add_argument("--tls", action="store_true", help="over TLS (port 5349 by default)")
    steady.add_argument("--settle", type=float, default=1.0, help="seconds to wait for the last echoes")
    steady.set_defaults(run=cmd_steady)
    probe.add_argument("--tcp", action="store_true")
    probe.add_argument("--tls", action="store_true", help="over TLS (port 5349 unless --port)")
    probe.add_argument("--echo", type=int, default=0, help="ChannelData messages to send through a channel")
    probe.set_defaults(run=cmd_probe)

    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
