#!/usr/bin/env bash
# Heap allocations per relayed packet in the whole turnpike process (core, shell and SwiftNIO),
# by difference: two runs of the release server under a counting LD_PRELOAD shim, one relaying
# SHORT and one LONG round trips of aioice ChannelData (RFC 8656 §12) to an echoing
# turnutils_peer; (allocations(LONG) - allocations(SHORT)) / (2 * (LONG - SHORT)), since each
# round trip is two relayed packets. Start-up and allocation set-up cancel out.
#   benchmarks/allocations-per-packet.sh [SHORT] [LONG]
set -euo pipefail
cd "$(dirname "$0")/.."
short=${1:-200}
long=${2:-2200}

turnpike="$(swift build -c release --show-bin-path)/turnpike"
[ -x "$turnpike" ] || swift build -c release --product turnpike >/dev/null
python3 -c "import aioice" 2>/dev/null || python3 -m pip install --quiet aioice
work=$(mktemp -d)
peer=""
# turnutils_peer does not exit on SIGTERM; it holds no state worth a clean exit.
cleanup() { [ -n "$peer" ] && kill -KILL "$peer" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cc -O2 -shared -fPIC -o "$work/malloc-count.so" benchmarks/malloc-count.c

cat > "$work/turnpike.yaml" <<YAML
listen:
  udp: ["127.0.0.1:3478"]
  tcp: []
  tls: []
relay:
  ipv4: 127.0.0.1
server:
  event-loops: 1
auth:
  realm: bench.test
  users:
    bench:
      password: "bench-password"
  nonce-key: "000102030405060708090a0b0c0d0e0f"
peers:
  allow: ["127.0.0.0/8"]
drain:
  deadline: 1s
http:
  address: "off"
admin:
  socket: $work/admin.sock
log:
  level: warning
YAML
turnutils_peer -L 127.0.0.2 -p 3480 >/dev/null 2>&1 &
peer=$!

count() {  # round trips -> allocations of the whole server run
  LD_PRELOAD="$work/malloc-count.so" "$turnpike" serve --config "$work/turnpike.yaml" >"$work/server-$1.log" 2>&1 &
  local server=$!
  for _ in $(seq 100); do grep -q "turnpike listening" "$work/server-$1.log" && break; sleep 0.1; done
  python3 tests/interop/aioice_check.py 127.0.0.1 3478 udp bench bench-password 127.0.0.2 3480 "$1" >&2
  kill -TERM "$server"
  wait "$server"
  grep -Eo "heap allocations: [0-9]+" "$work/server-$1.log" | grep -Eo "[0-9]+"
}
a=$(count "$short")
b=$(count "$long")
awk -v a="$a" -v b="$b" -v s="$short" -v l="$long" 'BEGIN {
  printf "%d round trips: %d allocations; %d round trips: %d; %.2f heap allocations per relayed packet\n", s, a, l, b, (b - a) / (2 * (l - s))
}'
