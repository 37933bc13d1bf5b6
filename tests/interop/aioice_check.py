"""Relays datagrams through turnpike with aioice's TURN client (channels, RFC 8656 §12) to an
echoing peer and checks every echo. Usage:
  aioice_check.py SERVER PORT udp|tcp USERNAME PASSWORD PEER PEER_PORT COUNT
Exits 0 when every datagram came back unchanged, 1 otherwise (with the reason on stderr)."""
import asyncio
import sys

from aioice import turn

TIMEOUT_SECONDS = 5


class Receiver(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.queue: asyncio.Queue = asyncio.Queue()

    def datagram_received(self, data, addr) -> None:
        self.queue.put_nowait((data, addr))


async def main(server, port, transport, username, password, peer, peer_port, count) -> int:
    relay, receiver = await asyncio.wait_for(
        turn.create_turn_endpoint(
            Receiver, server_addr=(server, port), username=username, password=password, transport=transport
        ),
        TIMEOUT_SECONDS,
    )
    relayed = relay.get_extra_info("sockname")
    try:
        for index in range(count):
            message = f"aioice datagram {index} via {transport}".encode()
            relay.sendto(message, (peer, peer_port))
            data, _ = await asyncio.wait_for(receiver.queue.get(), TIMEOUT_SECONDS)
            if data != message:
                print(f"datagram {index}: sent {message!r}, echoed {data!r}", file=sys.stderr)
                return 1
    finally:
        relay.close()
    print(f"{count} datagrams echoed through relayed address {relayed[0]}:{relayed[1]}")
    return 0


if __name__ == "__main__":
    server, port, transport, username, password, peer, peer_port, count = sys.argv[1:9]
    try:
        sys.exit(asyncio.run(main(server, int(port), transport, username, password, peer, int(peer_port), int(count))))
    except Exception as error:  # any failure is a failed check, reported in one line
        print(f"aioice: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
