# Check 3: soak (sourced by tests/hardening/run). Steady relayed load through channels to an
# echoing peer for SOAK_SECONDS, with allocations that refresh (every half lifetime) and others
# that go quiet, expire (confirmed by a 437 on Refresh) and are replaced. RSS and open file
# descriptors are sampled over time; every datagram sent must come back unless the kernel counted
# a drop (UDP receive-buffer and input errors in all namespaces, veth drops).

kernel_drops() {  # sum of UDP/UDP6 InErrors + RcvbufErrors and link rx/tx drops in the namespaces
  local total=0 ns value
  for ns in "$ns_legit" "$ns_relay" "$ns_peer"; do
    value=$(in_ns "$ns" cat /proc/net/snmp /proc/net/snmp6 | awk '
      /^Udp: [0-9]/ { split(prev, h); for (i = 2; i <= NF; i++) if (h[i] == "InErrors" || h[i] == "RcvbufErrors") s += $i }
      { prev = $0 }
      $1 == "Udp6InErrors" || $1 == "Udp6RcvbufErrors" { s += $2 }
      END { print s + 0 }')
    total=$((total + value))
    value=$(in_ns "$ns" ip -s -j link show | python3 -c '
import json, sys
print(sum(l.get("stats64", {}).get(d, {}).get("dropped", 0) for l in json.load(sys.stdin) for d in ("rx", "tx")))')
    total=$((total + value))
  done
  echo "$total"
}

check_soak() {
  peer_start
  local name="soak ($SOAK_SECONDS s, $SOAK_RATE packets/s through channels, refreshes and expiries, xdp ${XDP_MODE:-auto})"
  local config="$work/soak.yaml" log="$work/soak.log"
  write_config "$config" "lifetimes:
  allocation-default: 30s"
  start_server "$config" "$log" || { result "$name" 1 "server did not start"; return; }
  # With XDP on, let the kernel relay (see xdp_kernel_path), so both datapaths and the hand-over
  # of expiring channels between them are soaked; XDP_MODE=off soaks userspace alone.
  [ "${XDP_MODE:-auto}" != off ] && xdp_kernel_path on
  local fds_before; fds_before=$(fd_count "$relay")
  local drops_before; drops_before=$(kernel_drops)
  local every=30; [ "$SOAK_SECONDS" -lt 120 ] && every=10
  local out; out=$(in_ns "$ns_legit" python3 "$here/turnload.py" soak --server "$listen4" --secret "$secret" \
    --peer "$peer4" --clients 40 --rate "$SOAK_RATE" --lifetime 30 --rebind 60 --seconds "$SOAK_SECONDS" \
    --pid "$relay" --sample-every "$every")
  local drops=$(( $(kernel_drops) - drops_before ))
  [ "${XDP_MODE:-auto}" != off ] && xdp_kernel_path off
  sleep 1
  local fds_after; fds_after=$(fd_count "$relay")
  local stats; stats=$(admin stats)
  local verdict
  verdict=$(python3 - "$out" "$drops" "$fds_before" "$fds_after" "$RSS_SLACK_KIB" "$stats" <<'PY'
import json, sys
out, drops, fds0, fds1, slack, stats = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), json.loads(sys.argv[6])
samples = out["samples"]
warm = [s for s in samples if s["t"] >= min(60, out["seconds"] / 4)] or samples
rss = [s["rss_kib"] for s in warm]
fds = [s["fds"] for s in samples]
problems = []
if out["lost"] > drops:
    problems.append(f"lost {out['lost']} > kernel drops {drops} (missing {out['missing']}; server drops {stats['dropped']})")
if out["errors"]:
    problems.append(f"errors {out['errors']}")
if out["expiry_failures"] or out["expired_confirmed"] == 0:
    problems.append(f"expiries confirmed {out['expired_confirmed']}, failed {out['expiry_failures']}")
if max(rss) - rss[0] > slack:
    problems.append(f"RSS grew {max(rss) - rss[0]} KiB after warm-up")
if fds1 != fds0:
    problems.append(f"fds {fds0} before, {fds1} after")
if max(fds) > fds0 + 40 + 16:
    problems.append(f"fds peaked at {max(fds)}")
if stats["allocations"] != 0:
    problems.append(f"{stats['allocations']} allocations left")
paths = ", ".join(f"{k} {v.get('packetsToPeer', 0) + v.get('packetsToClient', 0)}" for k, v in sorted(stats["relayed"].items()))
series = " ".join(f"{s['t']}s:{s['rss_kib'] // 1024}MiB/{s['fds']}fd" for s in samples)
print(("FAIL " + "; ".join(problems) + "; " if problems else "") +
      f"sent {out['sent']}, received {out['received']}, lost {out['lost']} (kernel drops {drops}); "
      f"{out['allocations']} allocations, {out['refreshes']} refreshes, {out['expired_confirmed']} expiries confirmed by 437; "
      f"relayed packets by datapath: {paths}; fds {fds0} before/{fds1} after; RSS/fds over time: {series}")
PY
)
  local ok=0
  [[ "$verdict" == FAIL* ]] && ok=1
  result "$name" "$ok" "${verdict#FAIL }"
  stop_server
}
