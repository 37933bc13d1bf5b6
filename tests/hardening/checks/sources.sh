# Check 6: unanswerable sources against every event loop (sourced by tests/hardening/run).
#
# Spoofed requests whose replies cannot be sent: source port 0 (dropped before the core), and
# sources whose replies the kernel refuses (EACCES from a prohibit route, EHOSTUNREACH from an
# unreachable route, EINVAL from a blackhole route and from an IPv6 link-local address without a
# scope, ENETUNREACH where no route exists). Sources spread over every event loop. Afterwards
# every loop's listener must answer a Binding from a real source (64 per family), the legitimate
# client must allocate and relay, no listener may have been restarted, /readyz must say ready,
# and the refused replies must be counted by reason.

check_sources() {
  local name="unanswerable sources (port 0; prohibit, unreachable, blackhole, no route, link-local) against every loop"
  local config="$work/sources.yaml" log="$work/sources.log"
  peer_start
  write_config "$config"
  start_server "$config" "$log" || { result "$name" 1 "server did not start"; return; }
  in_ns "$ns_relay" ip route add prohibit 198.19.200.0/24
  in_ns "$ns_relay" ip route add unreachable 198.19.201.0/24
  in_ns "$ns_relay" ip route add blackhole 198.19.202.0/24
  in_ns "$ns_relay" ip -6 route add prohibit 2001:db8:fa00::/40
  local count=$SOURCES_COUNT rate=5000 seconds=4
  local src_mac dst_mac
  src_mac=$(mac_of "$ns_attacker" "$if_attacker"); dst_mac=$(mac_of "$ns_relay" "$if_relay_attacker")
  local floods=(
    "$listen4 $spoofed4 binding 0" "$listen4 $spoofed4 allocate 0" "[$listen6] $spoofed6 binding 0"
    "$listen4 198.19.200.0/24 binding -" "$listen4 198.19.201.0/24 binding -" "$listen4 198.19.202.0/24 binding -"
    "$listen4 203.0.113.0/24 binding -" "[$listen6] 2001:db8:fa00::/40 binding -" "[$listen6] 2001:db8:e000::/36 binding -"
    "[$listen6] fe80::/64 allocate -"
  )
  local sent=0 entry server sources kind port out
  for entry in "${floods[@]}"; do
    read -r server sources kind port <<<"$entry"
    server=${server#[}; server=${server%]}
    local port_flag=()
    [ "$port" = - ] || port_flag=(--source-port "$port")
    out=$(in_ns "$ns_attacker" python3 "$here/turnload.py" flood --interface "$if_attacker" --src-mac "$src_mac" \
      --dst-mac "$dst_mac" --server "$server" --sources "$sources" --kind "$kind" --count "$count" --distinct 200 \
      --rate "$rate" --seconds "$seconds" "${port_flag[@]}")
    sent=$(( sent + $(json_get 'd["sent"]' <<<"$out") ))
  done
  sleep 1
  local real4 real6
  real4=$(for i in $(seq 64 127); do printf '198.18.0.%d,' "$i"; done); real4=${real4%,}
  real6=$(for i in $(seq 64 127); do printf '2001:db8:1::%x,' "$i"; done); real6=${real6%,}
  local answered4 answered6
  answered4=$(in_ns "$ns_attacker" python3 "$here/turnload.py" listeners --server "$listen4" --addresses "$real4")
  answered6=$(in_ns "$ns_attacker" python3 "$here/turnload.py" listeners --server "$listen6" --addresses "$real6")
  in_ns "$ns_legit" python3 "$here/turnload.py" legit --server "$listen4" --user "$user" --password "$password" \
    --peer "$peer4" --seconds 1 >"$work/legit.json" 2>"$work/legit.err"
  local sockets; sockets=$(in_ns "$ns_relay" ss -Hlun "sport = :3478" | wc -l)
  local ready; ready=$(in_ns "$ns_relay" curl -s -o /dev/null -w '%{http_code}' --max-time 5 http://127.0.0.1:9478/readyz)
  local port_zero restarts invalid permitted unreachable
  port_zero=$(metric_sum turnpike_dropped_packets_total 'reason="source_port_zero"')
  restarts=$(metric_sum turnpike_listener_restarts_total)
  invalid=$(metric_sum turnpike_send_failures_total 'reason="invalid_destination"')
  permitted=$(metric_sum turnpike_send_failures_total 'reason="not_permitted"')
  unreachable=$(metric_sum turnpike_send_failures_total 'reason="unreachable"')
  local legit_ok; legit_ok=$(json_get 'int(d["allocated"] > 0 and d["allocated"] >= 0.9 * d["attempts"] and d["received"] >= 0.95 * d["sent"])' <"$work/legit.json")
  local legit_line; legit_line=$(json_get '"%d/%d allocated, %d/%d relayed" % (d["allocated"], d["attempts"], d["received"], d["sent"])' <"$work/legit.json")
  local ok=0 notes=()
  [ "$(json_get 'd["answered"] == d["asked"]' <<<"$answered4")" = True ] || { ok=1; notes+=("IPv4 silent: $(json_get 'd["silent"][:4]' <<<"$answered4")"); }
  [ "$(json_get 'd["answered"] == d["asked"]' <<<"$answered6")" = True ] || { ok=1; notes+=("IPv6 silent: $(json_get 'd["silent"][:4]' <<<"$answered6")"); }
  [ "$legit_ok" = 1 ] || { ok=1; notes+=("legitimate client failed"); }
  [ "$sockets" -eq 4 ] || { ok=1; notes+=("$sockets UDP sockets on 3478, expected 4 (2 addresses x 2 loops)"); }
  [ "$ready" = 200 ] || { ok=1; notes+=("/readyz $ready"); }
  [ "$restarts" -eq 0 ] || { ok=1; notes+=("$restarts listener restarts"); }
  [ "$port_zero" -gt 0 ] && [ "$invalid" -gt 0 ] && [ "$permitted" -gt 0 ] && [ "$unreachable" -gt 0 ] || { ok=1; notes+=("a class was not counted"); }
  kill -0 "$relay" 2>/dev/null || { ok=1; notes+=("server died"); }
  local prefix=""; [ "${#notes[@]}" -gt 0 ] && prefix="${notes[*]}; "
  result "$name" "$ok" "${prefix}sent $sent; Binding answered $(json_get '"%d/%d" % (d["answered"], d["asked"])' <<<"$answered4") IPv4, $(json_get '"%d/%d" % (d["answered"], d["asked"])' <<<"$answered6") IPv6 sources; $sockets listener sockets, /readyz $ready, restarts $restarts; dropped source_port_zero $port_zero; send failures invalid_destination $invalid, not_permitted $permitted, unreachable $unreachable; legit: $legit_line"
  in_ns "$ns_relay" ip route del prohibit 198.19.200.0/24
  in_ns "$ns_relay" ip route del unreachable 198.19.201.0/24
  in_ns "$ns_relay" ip route del blackhole 198.19.202.0/24
  in_ns "$ns_relay" ip -6 route del prohibit 2001:db8:fa00::/40
  stop_server
}
