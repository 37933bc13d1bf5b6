#!/usr/bin/env bash
# Real third-party TURN clients against `turnpike serve`, in network namespaces this script
# creates and removes:
#
#   client ns                      relay ns                        peer ns
#   tpc-PID                        tpr-PID                         tpp-PID
#   198.18.0.2/24  ---- veth ----  198.18.0.1/24   (listen)
#   2001:db8:1::2/64               2001:db8:1::1/64
#                                  198.18.1.1/24   (relay) ---- veth ----  198.18.1.2/24
#                                  2001:db8:2::1/64                        2001:db8:2::2/64
#                                                                          turnutils_peer (echo)
#
# Clients: coturn's turnutils_uclient (Send indications and channels; UDP, TCP, TLS; IPv4, IPv6; static and
# shared-secret credentials; EVEN-PORT + RESERVATION-TOKEN) and aioice's TURN client (channels;
# UDP, TCP). Every check is an assertion; the last line is "N passed, M failed".
# Needs root (network namespaces); without it, it says so and counts nothing.
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP tests/interop: network namespaces need root"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
for tool in ip turnutils_uclient turnutils_peer openssl python3; do
  command -v "$tool" >/dev/null || { echo "tests/interop: $tool missing (scripts/install-deps installs it)"; echo "0 passed, 1 failed"; exit 1; }
done
python3 -c "import aioice" 2>/dev/null || python3 -m pip install --quiet aioice >/dev/null 2>&1 \
  || python3 -m pip install --quiet --break-system-packages aioice >/dev/null 2>&1 \
  || { echo "tests/interop: cannot install aioice with pip"; echo "0 passed, 1 failed"; exit 1; }

swift build --product turnpike >/dev/null || { echo "tests/interop: build failed"; echo "0 passed, 1 failed"; exit 1; }
turnpike="$(swift build --show-bin-path)/turnpike"

suffix=$$
ns_client="tpc-$suffix"
ns_relay="tpr-$suffix"
ns_peer="tpp-$suffix"
work=$(mktemp -d)
pids=()
passed=0
failed=0

source tests/lib/stop.sh  # the scripts run from the repository root

cleanup() {
  [ "${#pids[@]}" -gt 0 ] && stop "${pids[@]}"
  ip netns del "$ns_client" 2>/dev/null
  ip netns del "$ns_relay" 2>/dev/null
  ip netns del "$ns_peer" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Runs a command in a namespace. Background processes are started with `ip netns exec`
# directly (it execs in place), so $! is their own PID and they can be stopped by it.
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# --- topology ---------------------------------------------------------------------------------
ip netns add "$ns_client" && ip netns add "$ns_relay" && ip netns add "$ns_peer" || { echo "0 passed, 1 failed"; exit 1; }
ip link add "c$suffix" netns "$ns_client" type veth peer name "rc$suffix" netns "$ns_relay"
ip link add "p$suffix" netns "$ns_peer" type veth peer name "rp$suffix" netns "$ns_relay"
in_ns "$ns_client" ip addr add 198.18.0.2/24 dev "c$suffix"
in_ns "$ns_client" ip addr add 2001:db8:1::2/64 dev "c$suffix" nodad
in_ns "$ns_relay" ip addr add 198.18.0.1/24 dev "rc$suffix"
in_ns "$ns_relay" ip addr add 2001:db8:1::1/64 dev "rc$suffix" nodad
in_ns "$ns_relay" ip addr add 198.18.1.1/24 dev "rp$suffix"
in_ns "$ns_relay" ip addr add 2001:db8:2::1/64 dev "rp$suffix" nodad
in_ns "$ns_peer" ip addr add 198.18.1.2/24 dev "p$suffix"
in_ns "$ns_peer" ip addr add 2001:db8:2::2/64 dev "p$suffix" nodad
for ns in "$ns_client" "$ns_relay" "$ns_peer"; do in_ns "$ns" ip link set lo up; done
in_ns "$ns_client" ip link set "c$suffix" up
in_ns "$ns_relay" ip link set "rc$suffix" up
in_ns "$ns_relay" ip link set "rp$suffix" up
in_ns "$ns_peer" ip link set "p$suffix" up

# --- the relay ----------------------------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=turnpike-interop \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
user=alice
password=interop-password-7
secret=interop-shared-secret-0123456789
cat > "$work/turnpike.yaml" <<YAML
listen:
  udp: ["198.18.0.1:3478", "[2001:db8:1::1]:3478"]
  tcp: ["198.18.0.1:3478", "[2001:db8:1::1]:3478"]
  tls: ["198.18.0.1:5349"]
tls:
  certificate: $work/cert.pem
  private-key: $work/key.pem
relay:
  ipv4: 198.18.1.1
  ipv6: "2001:db8:2::1"
server:
  event-loops: 2
auth:
  realm: interop.test
  users:
    $user:
      password: "$password"
  shared-secrets: ["$secret"]
  nonce-key: "000102030405060708090a0b0c0d0e0f"
peers:
  allow: ["198.18.1.0/24", "2001:db8:2::/64"]
drain:
  deadline: 2s
http:
  address: "off"
admin:
  socket: $work/admin.sock
YAML
ip netns exec "$ns_relay" "$turnpike" serve --config "$work/turnpike.yaml" >"$work/turnpike.log" 2>&1 &
relay=$!
pids+=($relay)
ip netns exec "$ns_peer" turnutils_peer -L 198.18.1.2 -L 2001:db8:2::2 -p 3480 >"$work/peer.log" 2>&1 &
pids+=($!)

# Readiness: bounded polling for the listening line (at most 10 s).
for _ in $(seq 100); do
  grep -q "turnpike listening" "$work/turnpike.log" && break
  sleep 0.1
done
if ! grep -q "turnpike listening" "$work/turnpike.log"; then
  echo "FAIL turnpike did not start:"; sed 's/^/  /' "$work/turnpike.log"
  echo "0 passed, 1 failed"; exit 1
fi

# --- checks ---------------------------------------------------------------------------------------
record() {  # record NAME STATUS DETAIL
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1: $3"; fi
}

# uclient: every message sent must come back (turnutils_peer echoes), none lost.
messages=20
uclient_check() {  # NAME EXPECTED_TOTAL ARGS...
  local name=$1 expected=$2; shift 2
  local out="$work/uclient-$passed-$failed.log"
  in_ns "$ns_client" timeout 60 turnutils_uclient -n "$messages" -z 5 "$@" >"$out" 2>&1
  local status=$?
  local summary; summary=$(grep -Eo "tot_send_msgs=[0-9]+, tot_recv_msgs=[0-9]+" "$out" | tail -1)
  local sent=${summary#tot_send_msgs=}; sent=${sent%%,*}
  local received=${summary##*tot_recv_msgs=}
  if [ "$status" -eq 0 ] && [ -n "$summary" ] && [ "$sent" = "$expected" ] && [ "$received" = "$expected" ] \
     && grep -q "Total lost packets 0 " "$out"; then
    record "$name" 0 ""
  else
    record "$name" 1 "exit $status, ${summary:-no summary} (expected $expected both ways); $(grep -iE "error|cannot" "$out" | head -2 | tr '\n' ' ')"
  fi
}

expiry=$(( $(date +%s) + 3600 ))
rest_user="$expiry:carol"
rest_password=$(printf '%s' "$rest_user" | openssl dgst -sha1 -hmac "$secret" -binary | base64)

# -s: Send indications (RFC 8656 §11); -c: no RTCP allocation; -m 2: two clients.
uclient_check "uclient UDP IPv4 Send indications, static user" 40 \
  -s -c -m 2 -u "$user" -w "$password" -e 198.18.1.2 -r 3480 198.18.0.1
uclient_check "uclient TCP IPv4 Send indications, static user" 40 \
  -t -s -c -m 2 -u "$user" -w "$password" -e 198.18.1.2 -r 3480 198.18.0.1
uclient_check "uclient TLS IPv4 Send indications, static user" 40 \
  -t -S -s -c -m 2 -p 5349 -u "$user" -w "$password" -e 198.18.1.2 -r 3480 198.18.0.1
uclient_check "uclient UDP IPv6 Send indications, IPv6 relay" 40 \
  -x -s -c -m 2 -u "$user" -w "$password" -e 2001:db8:2::2 -r 3480 2001:db8:1::1
uclient_check "uclient TCP IPv6 Send indications, IPv6 relay" 40 \
  -t -x -s -c -m 2 -u "$user" -w "$password" -e 2001:db8:2::2 -r 3480 2001:db8:1::1
uclient_check "uclient UDP IPv4 Send indications, shared-secret credentials" 40 \
  -s -c -m 2 -u "$rest_user" -w "$rest_password" -e 198.18.1.2 -r 3480 198.18.0.1
# Without -s: ChannelBind and ChannelData (uclient picks numbers up to 0x7FFF, RFC 5766 §11).
uclient_check "uclient UDP IPv4 channels, static user" 40 \
  -c -m 2 -u "$user" -w "$password" -e 198.18.1.2 -r 3480 198.18.0.1
uclient_check "uclient TCP IPv4 channels, static user" 40 \
  -t -c -m 2 -u "$user" -w "$password" -e 198.18.1.2 -r 3480 198.18.0.1
uclient_check "uclient TLS IPv4 channels, static user" 40 \
  -t -S -c -m 2 -p 5349 -u "$user" -w "$password" -e 198.18.1.2 -r 3480 198.18.0.1
uclient_check "uclient UDP IPv6 channels, IPv6 relay" 40 \
  -x -c -m 2 -u "$user" -w "$password" -e 2001:db8:2::2 -r 3480 2001:db8:1::1
uclient_check "uclient UDP IPv4 channels, shared-secret credentials" 40 \
  -c -m 2 -u "$rest_user" -w "$rest_password" -e 198.18.1.2 -r 3480 198.18.0.1
# Without -c: RTP and RTCP allocations (EVEN-PORT with R, then RESERVATION-TOKEN, RFC 8656 §7.2).
uclient_check "uclient UDP IPv4 RTP+RTCP pair (EVEN-PORT, RESERVATION-TOKEN)" 40 \
  -s -m 1 -u "$user" -w "$password" -e 198.18.1.2 -r 3480 198.18.0.1

aioice_check() {  # NAME SERVER TRANSPORT USERNAME PASSWORD PEER
  local out="$work/aioice-$passed-$failed.log"
  in_ns "$ns_client" timeout 60 python3 tests/interop/aioice_check.py "$2" 3478 "$3" "$4" "$5" "$6" 3480 "$messages" >"$out" 2>&1
  local status=$?
  record "$1" "$status" "$(tail -2 "$out" | tr '\n' ' ')"
}

# aioice binds a channel per peer (RFC 8656 §12) and sends ChannelData.
aioice_check "aioice UDP IPv4 channels, static user" 198.18.0.1 udp "$user" "$password" 198.18.1.2
aioice_check "aioice TCP IPv4 channels, static user" 198.18.0.1 tcp "$user" "$password" 198.18.1.2
aioice_check "aioice UDP IPv4 channels, shared-secret credentials" 198.18.0.1 udp "$rest_user" "$rest_password" 198.18.1.2
aioice_check "aioice UDP IPv6 transport, channels" 2001:db8:1::1 udp "$user" "$password" 198.18.1.2

# The server logged one line per allocation and nothing alarming.
created=$(grep -c "allocation created" "$work/turnpike.log")
if [ "$created" -ge 10 ] && ! grep -qiE "error|critical" "$work/turnpike.log"; then
  record "turnpike logged every allocation and no error" 0 ""
else
  record "turnpike logged every allocation and no error" 1 "$created allocations logged; $(grep -iE "error|critical" "$work/turnpike.log" | head -2 | tr '\n' ' ')"
fi

# SIGTERM: drain (allocations left by the clients get until drain.deadline, 2 s), then exit 0.
kill -TERM "$relay"
exited=1
for _ in $(seq 100); do kill -0 "$relay" 2>/dev/null || { exited=0; break; }; sleep 0.1; done
if [ "$exited" -eq 0 ]; then
  wait "$relay"; status=$?
  if [ "$status" -eq 0 ] && grep -qE "drained|drain deadline passed" "$work/turnpike.log"; then
    record "SIGTERM drains and exits 0" 0 ""
  else
    record "SIGTERM drains and exits 0" 1 "exit status $status"
  fi
else
  record "SIGTERM drains and exits 0" 1 "still running 10 s after SIGTERM"
fi

if [ "$failed" -gt 0 ]; then
  echo "--- turnpike log (last 20 lines) ---"; tail -20 "$work/turnpike.log"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
