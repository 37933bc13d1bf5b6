"""A blocking TURN client over UDP or TCP for the hardening checks (RFC 8656 on RFC 8489).

Every wait is bounded; a request is retransmitted over UDP as RFC 8489 §6.2.1 describes (here with
a short fixed schedule, since the checks run over veth pairs). Data that arrives while a transaction
is outstanding is handed to `on_data`, never lost."""
import select
import socket
import ssl
import struct
import time

import stun

RETRANSMIT_SECONDS = (0.25, 0.5, 1.0, 2.0)


def peer_attribute(ip, port):
    return lambda tid: stun.xor_address(ip, port, tid)


class TURNError(Exception):
    def __init__(self, code, text):
        super().__init__(text)
        self.code = code


class Client:
    def __init__(self, server, port, username, password, bind=None, tcp=False, on_data=None, tls=False):
        self.server = (server, port)
        self.username, self.password = username, password
        self.realm = self.nonce = self.key = None
        # TLS is TCP framing over a TLS session (RFC 8656 §3.1); the test certificates are
        # self-signed, so nothing is verified.
        tcp = tcp or tls
        self.tcp = tcp
        self.on_data = on_data or (lambda kind, payload: None)
        family = stun.family_of(server)
        self.sock = socket.socket(family, socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM)
        if bind:
            self.sock.bind((bind, 0))
        if tcp:
            self.sock.settimeout(5)
            self.sock.connect(self.server)
            if tls:
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                self.sock = context.wrap_socket(self.sock)
                self.peer_certificate = self.sock.getpeercert(binary_form=True)
            self.sock.settimeout(None)
            self.stream = b""
        else:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
            self.sock.connect(self.server)
        self.sock.setblocking(False)
        self.relayed = None

    def close(self):
        self.sock.close()

    def fileno(self):
        return self.sock.fileno()

    # --- raw IO -------------------------------------------------------------------------------

    def send_raw(self, data: bytes):
        if self.tcp:
            self.sock.setblocking(True)
            try:
                self.sock.sendall(data)
            finally:
                self.sock.setblocking(False)
        else:
            self.sock.send(data)

    def read_available(self):
        """Every complete message that can be read now, without blocking."""
        out = []
        while True:
            try:
                chunk = self.sock.recv(65536)
            except (BlockingIOError, InterruptedError, ssl.SSLWantReadError):
                break
            except ConnectionRefusedError:
                continue
            if self.tcp:
                if not chunk:
                    raise TURNError(0, "connection closed by the server")
                self.stream += chunk
                out.extend(self._frames())
            else:
                out.append(chunk)
        return out

    def _frames(self):
        frames = []
        while len(self.stream) >= 4:
            if self.stream[0] & 0xC0 == 0x40:  # ChannelData, padded to 4 over TCP (RFC 8656 §12.5)
                length = struct.unpack("!H", self.stream[2:4])[0]
                total = 4 + length + ((-length) % 4)
            else:
                total = 20 + struct.unpack("!H", self.stream[2:4])[0]
            if len(self.stream) < total:
                break
            frames.append(self.stream[:total])
            self.stream = self.stream[total:]
        return frames

    def dispatch(self, data: bytes, tid: bytes = None):
        """Hands data to on_data; returns the STUN message if it answers `tid`."""
        if data[0] & 0xC0 == 0x40:
            if len(data) >= 4:
                length = struct.unpack("!H", data[2:4])[0]
                self.on_data("channel", data[4:4 + length])
            return None
        message = stun.decode(data)
        if message is None:
            return None
        if message.cls == stun.INDICATION and message.method == stun.DATA:
            self.on_data("indication", message.get(stun.DATA_ATTR) or b"")
            return None
        if tid is not None and message.tid == tid:
            return message
        return None

    def poll(self, timeout=0.0):
        ready, _, _ = select.select([self.sock], [], [], timeout)
        if ready:
            for data in self.read_available():
                self.dispatch(data)

    # --- transactions ---------------------------------------------------------------------------

    def _exchange(self, method, attributes, authenticate):
        tid = stun.transaction_id()
        # A value may depend on the transaction ID (XOR-PEER-ADDRESS of IPv6, RFC 8489 §14.2).
        attrs = [(kind, value(tid) if callable(value) else value) for kind, value in attributes]
        key = None
        if authenticate and self.key is not None:
            attrs += [(stun.USERNAME, self.username.encode()), (stun.REALM, self.realm.encode()),
                      (stun.NONCE, self.nonce.encode())]
            key = self.key
        request = stun.encode(method, stun.REQUEST, tid, attrs, key=key)
        schedule = RETRANSMIT_SECONDS if not self.tcp else (sum(RETRANSMIT_SECONDS),)
        for wait in schedule:
            self.send_raw(request)
            deadline = time.monotonic() + wait
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                ready, _, _ = select.select([self.sock], [], [], left)
                if not ready:
                    continue
                answer = None
                for data in self.read_available():
                    # Every datagram read is dispatched, also those after the answer.
                    answer = self.dispatch(data, tid) or answer
                if answer is not None:
                    return answer
        raise TURNError(0, f"no answer to method 0x{method:03x} after {len(schedule)} tries")

    def transact(self, method, attributes=(), authenticate=True):
        """A request with long-term credentials: learns realm and nonce from 401/438 (RFC 8489
        §9.2.3) and retries, at most twice. Returns the success response; raises TURNError."""
        for _ in range(3):
            answer = self._exchange(method, attributes, authenticate)
            if answer.cls == stun.SUCCESS:
                return answer
            code = answer.error_code
            if code in (401, 438) and authenticate:
                realm, nonce = answer.get(stun.REALM), answer.get(stun.NONCE)
                if realm is None or nonce is None:
                    raise TURNError(code, f"{code} without REALM/NONCE")
                fresh = self.key is None or code == 438
                self.realm, self.nonce = realm.decode(), nonce.decode()
                self.key = stun.long_term_key(self.username, self.realm, self.password)
                if fresh:
                    continue
            raise TURNError(code, f"method 0x{method:03x}: error {code}")
        raise TURNError(0, "credentials refused")

    def allocate(self, lifetime=None):
        attrs = [(stun.REQUESTED_TRANSPORT, bytes([stun.UDP_TRANSPORT, 0, 0, 0]))]
        if lifetime is not None:
            attrs.append((stun.LIFETIME, struct.pack("!I", lifetime)))
        answer = self.transact(stun.ALLOCATE, attrs)
        value = answer.get(stun.XOR_RELAYED_ADDRESS)
        self.relayed = stun.parse_xor_address(value, answer.tid)
        return self.relayed

    def refresh(self, lifetime):
        answer = self.transact(stun.REFRESH, [(stun.LIFETIME, struct.pack("!I", lifetime))])
        value = answer.get(stun.LIFETIME)
        return struct.unpack("!I", value)[0] if value else None

    def permit(self, peer_ip, peer_port=0):
        self.transact(stun.CREATE_PERMISSION, [(stun.XOR_PEER_ADDRESS, peer_attribute(peer_ip, peer_port))])

    def bind(self, number, peer_ip, peer_port):
        self.transact(stun.CHANNEL_BIND, [(stun.CHANNEL_NUMBER, struct.pack("!HH", number, 0)),
                                          (stun.XOR_PEER_ADDRESS, peer_attribute(peer_ip, peer_port))])

    def send_indication(self, peer_ip, peer_port, payload: bytes):
        tid = stun.transaction_id()
        self.send_raw(stun.encode(stun.SEND, stun.INDICATION, tid,
                                  [(stun.XOR_PEER_ADDRESS, stun.xor_address(peer_ip, peer_port, tid)),
                                   (stun.DATA_ATTR, payload)]))

    def send_channel(self, number, payload: bytes):
        self.send_raw(stun.channel_data(number, payload, pad=self.tcp))
