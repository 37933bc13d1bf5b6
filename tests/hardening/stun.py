"""A small STUN/TURN client codec (RFC 8489, RFC 8656) for the hardening load tools.

Written independently of Turnpike's Swift codec so the checks do not share its bugs. Long-term
credentials use the RFC 8489 §9.2.2 MD5 key with MESSAGE-INTEGRITY (HMAC-SHA1), which every TURN
server accepts."""
import hashlib
import hmac
import ipaddress
import os
import socket
import struct
import zlib

COOKIE = 0x2112A442
COOKIE_BYTES = struct.pack("!I", COOKIE)

# Methods (RFC 8489 §18.2, RFC 8656 §17).
BINDING, ALLOCATE, REFRESH, SEND, DATA, CREATE_PERMISSION, CHANNEL_BIND = 0x001, 0x003, 0x004, 0x006, 0x007, 0x008, 0x009
# Classes.
REQUEST, INDICATION, SUCCESS, ERROR = 0, 1, 2, 3

# Attributes (RFC 8489 §18.3, RFC 8656 §18).
USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, UNKNOWN_ATTRIBUTES = 0x0006, 0x0008, 0x0009, 0x000A
CHANNEL_NUMBER, LIFETIME, XOR_PEER_ADDRESS, DATA_ATTR = 0x000C, 0x000D, 0x0012, 0x0013
REALM, NONCE, XOR_RELAYED_ADDRESS, REQUESTED_TRANSPORT = 0x0014, 0x0015, 0x0016, 0x0019
XOR_MAPPED_ADDRESS, FINGERPRINT = 0x0020, 0x8028
UDP_TRANSPORT = 17


def message_type(method: int, cls: int) -> int:
    """RFC 8489 §5: the class bits interleaved with the method bits."""
    return ((method & 0xF80) << 2) | ((method & 0x070) << 1) | (method & 0x00F) | ((cls & 2) << 7) | ((cls & 1) << 4)


def split_type(value: int):
    method = ((value & 0x3E00) >> 2) | ((value & 0x00E0) >> 1) | (value & 0x000F)
    cls = ((value & 0x0100) >> 7) | ((value & 0x0010) >> 4)
    return method, cls


def transaction_id() -> bytes:
    return os.urandom(12)


def attribute(kind: int, value: bytes) -> bytes:
    padding = (-len(value)) % 4
    return struct.pack("!HH", kind, len(value)) + value + b"\0" * padding


def xor_address(address: str, port: int, tid: bytes) -> bytes:
    ip = ipaddress.ip_address(address)
    xport = port ^ (COOKIE >> 16)
    if ip.version == 4:
        raw = bytes(a ^ b for a, b in zip(ip.packed, COOKIE_BYTES))
        return struct.pack("!BBH", 0, 1, xport) + raw
    raw = bytes(a ^ b for a, b in zip(ip.packed, COOKIE_BYTES + tid))
    return struct.pack("!BBH", 0, 2, xport) + raw


def parse_xor_address(value: bytes, tid: bytes):
    family, xport = value[1], struct.unpack("!H", value[2:4])[0]
    port = xport ^ (COOKIE >> 16)
    if family == 1:
        raw = bytes(a ^ b for a, b in zip(value[4:8], COOKIE_BYTES))
    else:
        raw = bytes(a ^ b for a, b in zip(value[4:20], COOKIE_BYTES + tid))
    return str(ipaddress.ip_address(raw)), port


def long_term_key(username: str, realm: str, password: str) -> bytes:
    """RFC 8489 §9.2.2, MD5 algorithm (the credentials here are ASCII, unchanged by SASLprep)."""
    return hashlib.md5(f"{username}:{realm}:{password}".encode()).digest()


def encode(method: int, cls: int, tid: bytes, attributes: list, key: bytes = None, fingerprint: bool = False) -> bytes:
    body = b"".join(attribute(kind, value) for kind, value in attributes)
    kind = message_type(method, cls)
    if key is not None:
        # RFC 8489 §14.5: the length covers MESSAGE-INTEGRITY when the HMAC is computed.
        header = struct.pack("!HHI", kind, len(body) + 24, COOKIE) + tid
        mac = hmac.new(key, header + body, hashlib.sha1).digest()
        body += attribute(MESSAGE_INTEGRITY, mac)
    if fingerprint:
        header = struct.pack("!HHI", kind, len(body) + 8, COOKIE) + tid
        crc = (zlib.crc32(header + body) ^ 0x5354554E) & 0xFFFFFFFF
        body += attribute(FINGERPRINT, struct.pack("!I", crc))
    return struct.pack("!HHI", kind, len(body), COOKIE) + tid + body


class Message:
    def __init__(self, method, cls, tid, attributes):
        self.method, self.cls, self.tid, self.attributes = method, cls, tid, attributes

    def get(self, kind):
        for k, v in self.attributes:
            if k == kind:
                return v
        return None

    @property
    def error_code(self):
        value = self.get(ERROR_CODE)
        return None if value is None else (value[2] & 0x7) * 100 + value[3]


def decode(data: bytes):
    """A STUN message, or None for anything that is not one."""
    if len(data) < 20 or data[0] & 0xC0 or data[4:8] != COOKIE_BYTES:
        return None
    kind, length = struct.unpack("!HH", data[:4])
    if 20 + length > len(data):
        return None
    method, cls = split_type(kind)
    tid = data[8:20]
    attributes, offset = [], 20
    while offset + 4 <= 20 + length:
        a_kind, a_len = struct.unpack("!HH", data[offset:offset + 4])
        attributes.append((a_kind, data[offset + 4:offset + 4 + a_len]))
        offset += 4 + a_len + ((-a_len) % 4)
    return Message(method, cls, tid, attributes)


def channel_data(number: int, payload: bytes, pad: bool = False) -> bytes:
    frame = struct.pack("!HH", number, len(payload)) + payload
    return frame + b"\0" * ((-len(frame)) % 4) if pad else frame


def rest_credentials(secret: str, name: str, lifetime_seconds: int, now: int):
    """The shared-secret username "expiry:name" and its password (base64 HMAC-SHA1)."""
    import base64
    username = f"{now + lifetime_seconds}:{name}"
    password = base64.b64encode(hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()).decode()
    return username, password


def family_of(address: str) -> int:
    return socket.AF_INET6 if ":" in address else socket.AF_INET
