# Check 2: allocation churn (sourced by tests/hardening/run). Tens of thousands of allocations
# are created, given a channel (so the XDP maps get entries) and deleted; one in ten is over TCP
# and ends by closing its connection. Afterwards the server must hold what it held before: file
# descriptors, table entries, XDP map entries, and memory within the slack.

churn_state() {  # prints "fds rss tables_json maps_json"
  local tables maps
  tables=$(admin stats | json_get 'json.dumps(d["tables"], sort_keys=True)')
  maps=$(xdp_maps || echo '{"channels": -1, "peers": -1}')
  echo "$(fd_count "$relay")|$(rss_kib "$relay")|$tables|$maps"
}

check_churn() {
  peer_start
  local name="churn ($CHURN_TOTAL allocations with a channel each, 1 in 10 over TCP)"
  local config="$work/churn.yaml" log="$work/churn.log"
  # Every churn client comes from one address, as from behind a NAT: the per-source 401 budget
  # (quotas.auth-reply-*) would pace them to 10 new allocations a second, which is not under test here.
  write_config "$config" "quotas:
  allocations-total: 0
  auth-reply-rate: 100000
  auth-reply-burst: 100000"
  start_server "$config" "$log" || { result "$name" 1 "server did not start"; return; }
  # Warm up so that first-use allocations (pools, caches) are in the baseline.
  in_ns "$ns_legit" python3 "$here/turnload.py" churn --server "$listen4" --secret "$secret" --total 400 \
    --batch 200 --peer "$peer4" >/dev/null
  sleep 1
  local before; before=$(churn_state)
  local out; out=$(in_ns "$ns_legit" python3 "$here/turnload.py" churn --server "$listen4" --secret "$secret" \
    --total "$CHURN_TOTAL" --batch 200 --tcp-every 10 --peer "$peer4" --seconds 900 \
    --probe "python3 $here/xdpmaps.py $(xdp_prog_id "$if_relay_peer")")
  sleep 2  # connection closes and relay socket closes settle
  local after; after=$(churn_state)
  local verdict
  verdict=$(python3 - "$before" "$after" "$out" "$RSS_SLACK_KIB" <<'PY'
import json, sys
before, after, out, slack = sys.argv[1].split("|"), sys.argv[2].split("|"), json.loads(sys.argv[3]), int(sys.argv[4])
fds0, rss0, tables0, maps0 = int(before[0]), int(before[1]), json.loads(before[2]), json.loads(before[3])
fds1, rss1, tables1, maps1 = int(after[0]), int(after[1]), json.loads(after[2]), json.loads(after[3])
# Entries that expire by time, not with the allocation: cached responses (40 s), timer entries
# (dropped lazily, compacted), the address cache (bounded, refilled on use).
timed = {"cached_responses", "timers", "address_cache"}
leaked = {k: tables1[k] - tables0.get(k, 0) for k in tables1 if k not in timed and tables1[k] != tables0.get(k, 0)}
problems = []
if out["failures"]:
    problems.append(f"failures {out['failures']}")
if out["created"] < int(0.99 * (out["created"] + sum(out["failures"].values()))):
    problems.append("fewer than 99 % created")
if fds1 != fds0:
    problems.append(f"fds {fds0}->{fds1}")
if leaked:
    problems.append(f"tables {leaked}")
if (maps1["channels"], maps1["peers"]) != (maps0["channels"], maps0["peers"]) or maps1["channels"] < 0:
    problems.append(f"XDP maps {maps0['channels']}/{maps0['peers']} -> {maps1['channels']}/{maps1['peers']}")
probe = json.loads(out["probe"]) if out.get("probe") else {"channels": -1, "peers": -1}
# While the first batch (200, each with a channel) was alive, the kernel held the routes of its
# 180 UDP clients (XDP relays UDP only; the 20 TCP clients' channels stay in userspace).
if probe["channels"] != 180 or probe["peers"] != 180:
    problems.append(f"XDP maps held {probe['channels']}/{probe['peers']} routes with 180 UDP channels bound")
if rss1 - rss0 > slack:
    problems.append(f"RSS +{rss1 - rss0} KiB")
timers = f"timers {tables0.get('timers')}->{tables1.get('timers')}, address cache {tables0.get('address_cache')}->{tables1.get('address_cache')}"
print(("FAIL " + "; ".join(problems) + "; " if problems else "") +
      f"{out['created']} created ({out['deleted']} deleted, {out['tcp_closed']} TCP closed) in {out['seconds']} s "
      f"({out['per_second']}/s); fds {fds0}->{fds1}; XDP map entries {maps0['channels']}+{maps0['peers']} -> "
      f"{probe['channels']}+{probe['peers']} (180 UDP channels bound) -> "
      f"{maps1['channels']}+{maps1['peers']}; RSS {rss0}->{rss1} KiB; {timers}")
PY
)
  local ok=0
  [[ "$verdict" == FAIL* ]] && ok=1
  result "$name" "$ok" "${verdict#FAIL }"
  stop_server
}
