#!/usr/bin/env bash
# Relayed packets/s of turnpike's userspace path, measured with coturn's turnutils_uclient on
# loopback: the relay (release build, two event loops) on 127.0.0.1, turnutils_peer echoing on
# 127.0.0.2, uclient clients sending Send indications (RFC 8656 §11) or ChannelData (§12).
# Bounded: MESSAGES per client, CLIENTS clients, a 120 s timeout.
#   benchmarks/userspace-uclient.sh [send|channel] [CLIENTS] [MESSAGES] [SIZE] [INTERVAL_MS] [PROCESSES]
# CLIENTS per uclient process; PROCESSES uclient processes run side by side.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-send}
clients=${2:-8}
messages=${3:-5000}
size=${4:-120}
interval=${5:-1}
processes=${6:-1}
turnpike="$(swift build -c release --show-bin-path)/turnpike"
[ -x "$turnpike" ] || swift build -c release --product turnpike >/dev/null

work=$(mktemp -d)
pids=()
# Stops what this script started, by PID: TERM, up to 5 s to exit, then KILL.
stop() {
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 50); do
    local alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for pid in "$@"; do kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
}

cleanup() {
  [ "${#pids[@]}" -gt 0 ] && stop "${pids[@]}"
  rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/turnpike.yaml" <<YAML
listen:
  udp: ["127.0.0.1:3478"]
  tcp: ["127.0.0.1:3478"]
  tls: []
relay:
  ipv4: 127.0.0.1
server:
  event-loops: 2
auth:
  realm: bench.test
  users:
    bench:
      password: "bench-password"
  nonce-key: "000102030405060708090a0b0c0d0e0f"
quotas:
  allocations-per-user: 0
peers:
  allow: ["127.0.0.0/8"]
drain:
  deadline: 2s
http:
  address: "off"
admin:
  socket: $work/admin.sock
log:
  level: warning
YAML
"$turnpike" serve --config "$work/turnpike.yaml" >"$work/turnpike.log" 2>&1 &
relay=$!
pids+=($relay)
turnutils_peer -L 127.0.0.2 -p 3480 >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do ss -lun | grep -q "127.0.0.1:3478" && ss -lun | grep -q "127.0.0.2:3480" && break; sleep 0.1; done

flags=(-c -m "$clients" -n "$messages" -l "$size" -z "$interval" -u bench -w bench-password -e 127.0.0.2 -r 3480)
[ "$mode" = send ] && flags=(-s "${flags[@]}")
ticks() { awk '{print $14 + $15}' "/proc/$relay/stat"; }
before=$(ticks)
start=$(date +%s.%N)
echo "$processes x turnutils_uclient ${flags[*]} 127.0.0.1"
clients_pids=()
for index in $(seq "$processes"); do
  timeout 120 turnutils_uclient "${flags[@]}" 127.0.0.1 >"$work/uclient-$index.log" 2>&1 &
  clients_pids+=($!)
done
for pid in "${clients_pids[@]}"; do wait "$pid" || true; done
end=$(date +%s.%N)
after=$(ticks)
sent=0
received=0
for index in $(seq "$processes"); do
  grep -E "Total lost|ERROR|error" "$work/uclient-$index.log" | tail -2 || true
  summary=$(grep -Eo "tot_send_msgs=[0-9]+, tot_recv_msgs=[0-9]+" "$work/uclient-$index.log" | tail -1 || true)
  [ -n "$summary" ] || summary="tot_send_msgs=0, tot_recv_msgs=0"
  one=${summary#tot_send_msgs=}; sent=$((sent + ${one%%,*}))
  received=$((received + ${summary##*tot_recv_msgs=}))
done
hz=$(getconf CLK_TCK)
awk -v s="$sent" -v r="$received" -v t0="$start" -v t1="$end" -v c0="$before" -v c1="$after" -v hz="$hz" 'BEGIN {
  seconds = t1 - t0
  relayed = s + r  # each message crosses the relay twice: client->peer and back
  printf "sent %d, echoed %d, %.2f s wall: %.0f relayed packets/s; relay CPU %.0f%% of one core\n",
    s, r, seconds, relayed / seconds, 100 * (c1 - c0) / hz / seconds
}'
