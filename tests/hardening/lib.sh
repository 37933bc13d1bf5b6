# Shared by tests/hardening/run and its checks (sourced, not run).
#
# Topology, created and removed by the harness (pid-suffixed names, RFC 2544/3849 addresses):
#
#   attacker ns hxa-PID              relay ns hxr-PID                    peer ns hxp-PID
#   198.18.0.2/24 (+ .64-.127) -- veth -- 198.18.0.1/24 (listen)
#   2001:db8:1::2/64                      2001:db8:1::1/64
#   (spoofed: 198.19.0.0/16,              198.18.1.1/24 (relay) -- veth -- 198.18.1.2/24 turnutils_peer
#    2001:db8:f000::/36, routed back)     2001:db8:2::1/64                   2001:db8:2::2/64
#                                         198.18.2.1/24 -- veth -- legit ns hxl-PID 198.18.2.2/24
#                                         2001:db8:3::1/64                   2001:db8:3::2/64
#
# The attacker and the legitimate client have separate links, so the attacker link's counters
# measure the flood and nothing else.

suffix=$$
ns_attacker="hxa-$suffix"
ns_relay="hxr-$suffix"
ns_peer="hxp-$suffix"
ns_legit="hxl-$suffix"
if_attacker="a$suffix"; if_relay_attacker="ra$suffix"
if_peer="p$suffix"; if_relay_peer="rp$suffix"
if_legit="l$suffix"; if_relay_legit="rl$suffix"
listen4=198.18.0.1; listen6=2001:db8:1::1
relay4=198.18.1.1; relay6=2001:db8:2::1
peer4=198.18.1.2; peer6=2001:db8:2::2
spoofed4=198.19.0.0/16; spoofed6=2001:db8:f000::/36
user=alice
password=hardening-password-7
secret=hardening-shared-secret-0123456789
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
pids=()
relay=""
passed=0
failed=0

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# One result line per check: "PASS name: figures" or "FAIL name: why".
result() {  # NAME STATUS DETAIL
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "PASS $1: $3"; else failed=$((failed + 1)); echo "FAIL $1: $3"; fi
}

source tests/lib/stop.sh  # the scripts run from the repository root

cleanup() {
  [ "${#pids[@]}" -gt 0 ] && stop "${pids[@]}"
  [ -n "$relay" ] && stop "$relay"
  for ns in "$ns_attacker" "$ns_relay" "$ns_peer" "$ns_legit"; do ip netns del "$ns" 2>/dev/null; done
  if [ "${HARDENING_KEEP:-}" ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}

topology() {
  ip netns add "$ns_attacker" && ip netns add "$ns_relay" && ip netns add "$ns_peer" && ip netns add "$ns_legit" || return 1
  ip link add "$if_attacker" netns "$ns_attacker" type veth peer name "$if_relay_attacker" netns "$ns_relay" || return 1
  ip link add "$if_peer" netns "$ns_peer" type veth peer name "$if_relay_peer" netns "$ns_relay" || return 1
  ip link add "$if_legit" netns "$ns_legit" type veth peer name "$if_relay_legit" netns "$ns_relay" || return 1
  in_ns "$ns_attacker" ip addr add 198.18.0.2/24 dev "$if_attacker"
  in_ns "$ns_attacker" ip addr add 2001:db8:1::2/64 dev "$if_attacker" nodad
  local i
  for i in $(seq 64 127); do
    in_ns "$ns_attacker" ip addr add "198.18.0.$i/24" dev "$if_attacker"
    in_ns "$ns_attacker" ip addr add "2001:db8:1::$(printf %x "$i")/64" dev "$if_attacker" nodad
  done
  in_ns "$ns_relay" ip addr add "$listen4/24" dev "$if_relay_attacker"
  in_ns "$ns_relay" ip addr add "$listen6/64" dev "$if_relay_attacker" nodad
  in_ns "$ns_relay" ip addr add "$relay4/24" dev "$if_relay_peer"
  in_ns "$ns_relay" ip addr add "$relay6/64" dev "$if_relay_peer" nodad
  in_ns "$ns_relay" ip addr add 198.18.2.1/24 dev "$if_relay_legit"
  in_ns "$ns_relay" ip addr add 2001:db8:3::1/64 dev "$if_relay_legit" nodad
  in_ns "$ns_peer" ip addr add "$peer4/24" dev "$if_peer"
  in_ns "$ns_peer" ip addr add "$peer6/64" dev "$if_peer" nodad
  in_ns "$ns_legit" ip addr add 198.18.2.2/24 dev "$if_legit"
  in_ns "$ns_legit" ip addr add 2001:db8:3::2/64 dev "$if_legit" nodad
  for ns in "$ns_attacker" "$ns_relay" "$ns_peer" "$ns_legit"; do in_ns "$ns" ip link set lo up; done
  in_ns "$ns_attacker" ip link set "$if_attacker" up
  in_ns "$ns_peer" ip link set "$if_peer" up
  in_ns "$ns_legit" ip link set "$if_legit" up
  for dev in "$if_relay_attacker" "$if_relay_peer" "$if_relay_legit"; do in_ns "$ns_relay" ip link set "$dev" up; done
  in_ns "$ns_legit" ip route add default via 198.18.2.1
  in_ns "$ns_legit" ip -6 route add default via 2001:db8:3::1
  in_ns "$ns_peer" ip route add default via "$relay4"
  in_ns "$ns_peer" ip -6 route add default via "$relay6"
  # Replies to spoofed sources go back to the attacker link, where nothing takes them.
  in_ns "$ns_relay" ip route add "$spoofed4" via 198.18.0.2
  in_ns "$ns_relay" ip -6 route add "$spoofed6" via 2001:db8:1::2
  # Forbidden-target canaries in the relay's namespace (the abuse check): anything arriving
  # at them was relayed to a forbidden address.
  in_ns "$ns_relay" ip addr add 169.254.169.254/32 dev lo
  in_ns "$ns_relay" ip addr add 10.0.0.1/32 dev lo
  in_ns "$ns_relay" ip addr add 192.168.0.1/32 dev lo
  in_ns "$ns_relay" ip addr add 172.16.0.1/32 dev lo
  in_ns "$ns_relay" ip addr add 100.64.0.1/32 dev lo
  # IPv6 ND settles before traffic starts.
  sleep 2
}

mac_of() { in_ns "$1" cat "/sys/class/net/$2/address"; }
counter() { in_ns "$1" cat "/sys/class/net/$2/statistics/$3"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
fd_count() { ls "/proc/$1/fd" | wc -l; }
# A field of a JSON document on stdin, by a Python expression over `d`.
json_get() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

openssl_cert() {  # DIR NAME
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "/CN=$2" \
    -keyout "$1/$2.key" -out "$1/$2.pem" 2>/dev/null
}

# The server's configuration. Extra YAML (top-level sections) is appended from $1.
write_config() {  # FILE [EXTRA_YAML]
  cat > "$1" <<YAML
listen:
  udp: ["$listen4:3478", "[$listen6]:3478"]
  tcp: ["$listen4:3478"]
  tls: ["$listen4:5349"]
tls:
  certificate: $work/tls.pem
  private-key: $work/tls.key
relay:
  ipv4: $relay4
  ipv6: "$relay6"
server:
  event-loops: 2
auth:
  realm: hardening.test
  users:
    $user:
      password: "$password"
  shared-secrets: ["$secret"]
peers:
  allow: ["198.18.1.0/24", "2001:db8:2::/64"]
drain:
  deadline: 1s
http:
  address: "127.0.0.1:9478"
admin:
  socket: $work/admin.sock
xdp:
  mode: ${XDP_MODE:-auto}
  interfaces: [$if_relay_attacker, $if_relay_peer, $if_relay_legit]
YAML
  [ -n "${2:-}" ] && printf '%s\n' "$2" >> "$1"
  return 0
}

# Starts `turnpike serve` in the relay namespace and waits (at most 15 s) until it listens.
start_server() {  # CONFIG LOG
  : > "$2"
  ip netns exec "$ns_relay" "$turnpike" serve --config "$1" >>"$2" 2>&1 &
  relay=$!
  for _ in $(seq 150); do
    grep -q "turnpike listening" "$2" && return 0
    kill -0 "$relay" 2>/dev/null || break
    sleep 0.1
  done
  echo "turnpike did not start:"; tail -20 "$2"
  return 1
}

stop_server() {
  [ -n "$relay" ] && stop "$relay"
  relay=""
}

admin() { "$turnpike" "$@" --socket "$work/admin.sock" --json; }
metrics() { in_ns "$ns_relay" curl -s --max-time 5 http://127.0.0.1:9478/metrics; }
# Sum of a Prometheus metric's samples whose labels contain $2 (all samples without $2).
metric_sum() {  # NAME [LABEL_FILTER]
  metrics | awk -v name="$1" -v filter="${2:-}" '
    $1 ~ "^"name"([{]|$)" && index($1, filter) > 0 { sum += $2 } END { printf "%d\n", sum }'
}

peer_start() {
  [ -n "${peer_pid:-}" ] && kill -0 "$peer_pid" 2>/dev/null && return 0
  ip netns exec "$ns_peer" turnutils_peer -L "$peer4" -L "$peer6" -p 3480 >"$work/peer.log" 2>&1 &
  peer_pid=$!
  pids+=($!)
}

turnload() { python3 "$here/turnload.py" "$@"; }

# Runs COMMAND until it succeeds, at most SECONDS; fails after that.
wait_for() {  # SECONDS COMMAND...
  local deadline=$(( $(date +%s%N) + ${1%.*} * 1000000000 )); shift
  until "$@"; do
    [ "$(date +%s%N)" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}

# The id of the XDP program on a relay-namespace interface ("" when none is attached).
xdp_prog_id() {  # INTERFACE
  in_ns "$ns_relay" ip -j link show dev "$1" | python3 -c '
import json, sys
link = json.load(sys.stdin)[0]
xdp = link.get("xdp", {})
prog = xdp.get("prog") or next((a.get("prog") for a in xdp.get("attached", []) if a.get("prog")), None)
print(prog["id"] if prog else "")'
}
xdp_maps() { local id; id=$(xdp_prog_id "$if_relay_peer"); [ -n "$id" ] && python3 "$here/xdpmaps.py" "$id"; }

# The XDP program relays in the kernel only with full UDP checksums, as from a NIC (with veth's
# checksum offload it passes every datagram: checksum_partial, docs/xdp.md), and when the veth it
# redirects into can take XDP frames (NAPI, which GRO turns on; otherwise they are dropped).
# Forwarding stays off in the relay namespace: the program's egress comes from the routing and
# neighbour tables through netlink, not from bpf_fib_lookup. The harness's topology has neither
# of the two, so its relayed traffic goes through userspace unless this turns them on.
xdp_kernel_path() {  # on | off
  if [ "$1" = on ]; then
    in_ns "$ns_legit" ethtool -K "$if_legit" tx off gro on >/dev/null 2>&1
    in_ns "$ns_peer" ethtool -K "$if_peer" tx off gro on >/dev/null 2>&1
    # Off explicitly, as on a cloud image: a new namespace may inherit the host's setting.
    in_ns "$ns_relay" sysctl -qw net.ipv4.conf.all.forwarding=0 net.ipv6.conf.all.forwarding=0
  else
    in_ns "$ns_legit" ethtool -K "$if_legit" tx on gro off >/dev/null 2>&1
    in_ns "$ns_peer" ethtool -K "$if_peer" tx on gro off >/dev/null 2>&1
  fi
}
