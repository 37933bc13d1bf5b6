#!/usr/bin/env python3
"""Reads the channel maps of the XDP program attached to an interface, straight from the kernel
(bpftool), independent of Turnpike's own view. Prints JSON: entry counts and every address the
maps would forward to or from.

  xdpmaps.py PROG_ID"""
import ipaddress
import json
import subprocess
import sys


def bpftool(*args):
    return json.loads(subprocess.run(["bpftool", "-j", *args], check=True, capture_output=True, text=True).stdout)


def address(raw: bytes) -> str:
    ip = ipaddress.IPv6Address(raw)
    return str(ip.ipv4_mapped) if ip.ipv4_mapped else str(ip)


def as_bytes(values) -> bytes:
    return bytes(int(v, 16) for v in values)


def main():
    program = bpftool("prog", "show", "id", sys.argv[1])
    out = {"channels": 0, "peers": 0, "peer_addresses": [], "client_addresses": []}
    for map_id in program.get("map_ids", []):
        info = bpftool("map", "show", "id", str(map_id))
        name = info.get("name", "")
        if not name.startswith(("turnpike_channe", "turnpike_peers")):
            continue
        entries = bpftool("map", "dump", "id", str(map_id))
        if name.startswith("turnpike_channe"):
            out["channels"] = len(entries)
            for entry in entries:
                key, value = as_bytes(entry["key"]), as_bytes(entry["value"])
                out["client_addresses"].append(address(key[0:16]))   # client tuple: client_addr
                out["peer_addresses"].append(address(value[16:32]))  # channel route: peer.peer_addr
        else:
            out["peers"] = len(entries)
            for entry in entries:
                key, value = as_bytes(entry["key"]), as_bytes(entry["value"])
                out["peer_addresses"].append(address(key[16:32]))     # peer tuple: peer_addr
                out["client_addresses"].append(address(value[0:16]))  # peer route: client.client_addr
    out["peer_addresses"] = sorted(set(out["peer_addresses"]))
    out["client_addresses"] = sorted(set(out["client_addresses"]))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
