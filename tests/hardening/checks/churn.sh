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

churn_round() {
  in_ns "$ns_legit" python3 "$here/turnload.py" churn --server "$listen4" --secret "$secret" \
    --total "$CHURN_TOTAL" --batch 200 --tcp-every 10 --peer "$peer4" --seconds 900 \
    --probe "python3 $here/xdpmaps.py $(xdp_prog_id "$if_relay_peer")"
}

check_churn() {
  peer_start
  local name="churn (2 x $CHURN_TOTAL allocations with a channel each, 1 in 10 over TCP)"
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
  # Two rounds: the first fills what is bounded by design (the retransmission cache holds up to
  # 16,384 responses for 40 s, allocator pools); the second must then leave memory where the first
  # left it. A leak grows with every round.
  local before; before=$(churn_state)
  local out; out=$(churn_round)
  sleep 2  # connection closes and relay socket closes settle
  local middle; middle=$(churn_state)
  local out2; out2=$(churn_round)
  sleep 2
  local after; after=$(churn_state)
  local verdict
  verdict=$(python3 - "$before" "$middle" "$after" "$out" "$out2" "$CHURN_ROUND_SLACK_KIB" <<'PY'
import json, sys
def state(text):
    fds, rss, tables, maps = text.split("|")
    return int(fds), int(rss), json.loads(tables), json.loads(maps)
(fds0, rss0, tables0, maps0), (fds1, rss1, tables1, maps1), (fds2, rss2, tables2, maps2) = map(state, sys.argv[1:4])
rounds = [json.loads(sys.argv[4]), json.loads(sys.argv[5])]
slack = int(sys.argv[6])
# Entries that expire by time, not with the allocation: cached responses (40 s) and timer
# entries (dropped lazily, compacted).
timed = {"cached_responses", "timers"}
problems = []
for index, (tables, fds, maps) in enumerate([(tables1, fds1, maps1), (tables2, fds2, maps2)], 1):
    leaked = {k: tables[k] - tables0.get(k, 0) for k in tables if k not in timed and tables[k] != tables0.get(k, 0)}
    if leaked:
        problems.append(f"round {index}: tables {leaked}")
    if fds != fds0:
        problems.append(f"round {index}: fds {fds0}->{fds}")
    if (maps["channels"], maps["peers"]) != (maps0["channels"], maps0["peers"]) or maps["channels"] < 0:
        problems.append(f"round {index}: XDP maps {maps0['channels']}/{maps0['peers']} -> {maps['channels']}/{maps['peers']}")
for index, out in enumerate(rounds, 1):
    if out["failures"]:
        problems.append(f"round {index}: failures {out['failures']}")
    probe = json.loads(out["probe"]) if out.get("probe") else {"channels": -1, "peers": -1}
    # While its first batch (200, each with a channel) was alive, the kernel held the routes of
    # its 180 UDP clients (XDP relays UDP only; the 20 TCP clients' channels stay in userspace).
    if probe["channels"] != 180 or probe["peers"] != 180:
        problems.append(f"round {index}: XDP maps held {probe['channels']}/{probe['peers']} routes with 180 UDP channels bound")
if rss2 - rss1 > slack:
    problems.append(f"RSS grew {rss2 - rss1} KiB in the second round")
created = sum(o["created"] for o in rounds)
print(("FAIL " + "; ".join(problems) + "; " if problems else "") +
      f"{created} created in 2 rounds ({rounds[0]['per_second']}/s, {rounds[1]['per_second']}/s; "
      f"{sum(o['tcp_closed'] for o in rounds)} ended by closing TCP); fds {fds0}->{fds1}->{fds2}; "
      f"XDP map entries {maps0['channels']}+{maps0['peers']} -> 180+180 with a batch bound -> {maps2['channels']}+{maps2['peers']}; "
      f"RSS {rss0}->{rss1}->{rss2} KiB (second round {rss2 - rss1:+d}); cached responses {tables1.get('cached_responses')} "
      f"(bounded at 16384, 40 s); other tables as before")
PY
)
  local ok=0
  [[ "$verdict" == FAIL* ]] && ok=1
  result "$name" "$ok" "${verdict#FAIL }"
  stop_server
}
