# Check 1: floods from spoofed and from many real sources (sourced by tests/hardening/run).
#
# Each flood runs against a fresh server while a legitimate client allocates and relays from
# its own link. Figures: RSS before/after, the server's state tables (nothing per source before
# authentication), 401/438/Binding replies against the per-source budget, and the reply-to-request
# byte ratio measured on the attacker's link (UDP payload bytes, headers excluded).

flood_one() {  # KIND FAMILY COUNT DISTINCT RATE
  local kind=$1 family=$2 count=$3 distinct=$4 rate=$5
  local name="flood $kind ($family, $count requests from $distinct spoofed sources)"
  local config="$work/flood.yaml" log="$work/flood-$kind-$family.log"
  write_config "$config"
  start_server "$config" "$log" || { result "$name" 1 "server did not start"; return; }
  local server=$listen4 sources=$spoofed4 header=42
  if [ "$family" = ipv6 ]; then server=$listen6; sources=$spoofed6; header=62; fi
  # Warm up (first allocations, page faults of the first packets), then take the baseline.
  in_ns "$ns_legit" python3 "$here/turnload.py" legit --server "$listen4" --user "$user" --password "$password" \
    --peer "$peer4" --seconds 1 >/dev/null
  local rss_before; rss_before=$(rss_kib "$relay")
  local tables_before; tables_before=$(admin stats | json_get 'json.dumps(d["tables"])')
  local rx_packets_before rx_bytes_before
  rx_packets_before=$(counter "$ns_attacker" "$if_attacker" rx_packets)
  rx_bytes_before=$(counter "$ns_attacker" "$if_attacker" rx_bytes)
  local answered_before; answered_before=$(metric_sum turnpike_requests_total)

  # The legitimate client runs for the whole flood, from its own link.
  in_ns "$ns_legit" python3 "$here/turnload.py" legit --server "$listen4" --user "$user" --password "$password" \
    --peer "$peer4" --seconds "$FLOOD_SECONDS" >"$work/legit.json" 2>"$work/legit.err" &
  local legit=$!
  local flood_json
  flood_json=$(in_ns "$ns_attacker" python3 "$here/turnload.py" flood --interface "$if_attacker" \
    --src-mac "$(mac_of "$ns_attacker" "$if_attacker")" --dst-mac "$(mac_of "$ns_relay" "$if_relay_attacker")" \
    --server "$server" --sources "$sources" --kind "$kind" --count "$count" --distinct "$distinct" \
    --rate "$rate" --seconds "$FLOOD_SECONDS")
  wait "$legit"
  sleep 1  # replies in flight
  local rx_packets rx_bytes
  rx_packets=$(( $(counter "$ns_attacker" "$if_attacker" rx_packets) - rx_packets_before ))
  rx_bytes=$(( $(counter "$ns_attacker" "$if_attacker" rx_bytes) - rx_bytes_before ))
  local rss_after; rss_after=$(rss_kib "$relay")
  local stats; stats=$(admin stats)
  # Tables that grew. The legitimate client's allocations are gone again, but each left its
  # (authenticated) entry in the address cache and its responses in the retransmission cache
  # (40 s); the timer heap drops dead entries lazily.
  local legit_allocations; legit_allocations=$(json_get 'd["allocated"]' <"$work/legit.json")
  local grown; grown=$(python3 -c "
import json, sys
before, after = json.loads(sys.argv[1]), json.loads(sys.argv[2])
allowed = {'address_cache': $legit_allocations, 'cached_responses': 3 * $legit_allocations, 'timers': 10 ** 9}
grew = {k: after[k] - before.get(k, 0) for k in after if after[k] - before.get(k, 0) > allowed.get(k, 0)}
print(', '.join(f'{k} +{v}' for k, v in grew.items()) or 'none')" "$tables_before" "$(json_get 'json.dumps(d["tables"])' <<<"$stats")")
  local sent request_bytes
  sent=$(json_get 'd["sent"]' <<<"$flood_json")
  request_bytes=$(json_get 'd["request_bytes"]' <<<"$flood_json")
  # Replies carry UDP payload = frame - Ethernet/IP/UDP headers; the few ARP/ND frames on the
  # link make this an overestimate, never an underestimate.
  local reply_bytes=$(( rx_bytes - rx_packets * header ))
  [ "$reply_bytes" -lt 0 ] && reply_bytes=0
  local ratio; ratio=$(python3 -c "print(f'{$reply_bytes / max($request_bytes, 1):.3f}')")
  local rss_growth=$(( rss_after - rss_before ))
  local legit_line; legit_line=$(json_get '"%d/%d allocated, %d/%d relayed, allocate p50 %s ms max %s ms" % (d["allocated"], d["attempts"], d["received"], d["sent"], d["allocate_ms_p50"], d["allocate_ms_max"])' <"$work/legit.json")
  local legit_ok; legit_ok=$(json_get 'int(d["allocated"] >= 0.9 * d["attempts"] and d["allocated"] > 0 and d["received"] >= 0.95 * d["sent"])' <"$work/legit.json")
  local limited; limited=$(json_get 'sum(v for k, v in d["dropped"].items() if k.split("/")[0] in ("reply_rate_limited", "amplification_limited"))' <<<"$stats")
  local detail="sent $sent ($request_bytes B), replies $rx_packets ($reply_bytes B), ratio $ratio, budget drops $limited; RSS ${rss_before}→${rss_after} KiB; state grown: $grown; legit: $legit_line"
  local ok=0
  python3 -c "import sys; sys.exit(0 if $reply_bytes <= $request_bytes else 1)" || ok=1
  [ "$rss_growth" -le "$RSS_SLACK_KIB" ] || ok=1
  [ "$grown" = none ] || ok=1
  [ "$legit_ok" = 1 ] || ok=1
  kill -0 "$relay" 2>/dev/null || { ok=1; detail="server died; $detail"; }
  result "$name" "$ok" "$detail"
  stop_server
}

# Wrong passwords from 64 real addresses per family: every address first learns a nonce, then floods.
flood_wrong_password() {
  local family=$1 addresses
  if [ "$family" = ipv6 ]; then
    addresses=$(for i in $(seq 64 127); do printf '2001:db8:1::%x,' "$i"; done)
  else
    addresses=$(for i in $(seq 64 127); do printf '198.18.0.%d,' "$i"; done)
  fi
  addresses=${addresses%,}
  local server=$listen4; [ "$family" = ipv6 ] && server=$listen6
  local name="flood wrong-password ($family, 64 real sources)"
  local config="$work/flood.yaml" log="$work/flood-wrongpw-$family.log"
  write_config "$config"
  start_server "$config" "$log" || { result "$name" 1 "server did not start"; return; }
  local rss_before; rss_before=$(rss_kib "$relay")
  local out; out=$(in_ns "$ns_attacker" python3 "$here/turnload.py" wrongpw --server "$server" \
    --addresses "$addresses" --count "$WRONGPW_COUNT" --rate 20000 --seconds "$FLOOD_SECONDS")
  local rss_after; rss_after=$(rss_kib "$relay")
  local sent replies request_bytes reply_bytes seconds
  sent=$(json_get 'd["sent"]' <<<"$out"); replies=$(json_get 'd["replies"]' <<<"$out")
  request_bytes=$(json_get 'd["request_bytes"]' <<<"$out"); reply_bytes=$(json_get 'd["reply_bytes"]' <<<"$out")
  seconds=$(json_get 'd["seconds"]' <<<"$out")
  # Per-source budget (quotas.auth-reply-rate 10/s, burst 20): at most 64 × (20 + 10 × t) replies
  # plus the 64 nonce-learning 401s.
  local bound; bound=$(python3 -c "import math; print(64 * (20 + math.ceil(10 * ($seconds + 1.5))))")
  local ratio; ratio=$(python3 -c "print(f'{$reply_bytes / max($request_bytes, 1):.3f}')")
  local ok=0
  [ "$replies" -le "$bound" ] || ok=1
  [ "$reply_bytes" -le "$request_bytes" ] || ok=1
  [ $(( rss_after - rss_before )) -le "$RSS_SLACK_KIB" ] || ok=1
  result "$name" "$ok" "sent $sent in ${seconds}s, replies $replies (budget bound $bound), codes $(json_get 'd["codes"]' <<<"$out"), byte ratio $ratio; RSS ${rss_before}→${rss_after} KiB"
  stop_server
}

check_flood() {
  peer_start
  flood_one allocate ipv4 "$FLOOD_COUNT" "$FLOOD_COUNT" "$FLOOD_RATE"
  flood_one allocate ipv6 "$FLOOD_COUNT" "$FLOOD_COUNT" "$FLOOD_RATE"
  flood_one allocate ipv4 "$FLOOD_COUNT" 16 "$FLOOD_RATE"
  flood_one stale-nonce ipv4 "$FLOOD_COUNT" 4096 "$FLOOD_RATE"
  flood_one binding ipv4 "$FLOOD_COUNT" "$FLOOD_COUNT" "$FLOOD_RATE"
  flood_one binding ipv6 "$FLOOD_COUNT" 256 "$FLOOD_RATE"
  flood_one garbage ipv4 "$FLOOD_COUNT" 4096 "$FLOOD_RATE"
  flood_wrong_password ipv4
  flood_wrong_password ipv6
}
