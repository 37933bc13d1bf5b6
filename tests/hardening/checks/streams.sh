# Check 8: stream attacks and the reservation loop (sourced by tests/hardening/run).
#
# a. Thousands of half-open connections from one source, then thousands that trickle one byte a
#    second (TCP and TLS), while a legitimate client from another address allocates over TCP and
#    over TLS. The server must refuse or close them (per-source cap, handshake and first-message
#    deadlines) and the legitimate client must get its allocations.
# b. A TCP client with a channel that never reads while its peer floods it: the server's memory
#    must stay flat (a bounded outbound queue per connection; the excess relayed data is dropped).
# c. Allocate with EVEN-PORT R then Refresh(0), in a loop: reservations count against the user's
#    quota, so the loop gets 486 instead of draining the relay port range, and another user still
#    allocates.

streams_legit_probes() {  # prints "TCP <outcome>, TLS <outcome>"
  local tcp tls
  tcp=$(in_ns "$ns_legit" timeout 20 python3 "$here/turnload.py" probe --server "$listen4" --user "$user" \
    --password "$password" --peer "$peer4" --tcp --echo 3)
  tls=$(in_ns "$ns_legit" timeout 20 python3 "$here/turnload.py" probe --server "$listen4" --user "$user" \
    --password "$password" --peer "$peer4" --tls --echo 3)
  echo "TCP $(json_get '"%s %s ms, %s/3 echoed" % (d["outcome"], d["ms"], d.get("echoed", 0))' <<<"$tcp"); TLS $(json_get '"%s %s ms, %s/3 echoed" % (d["outcome"], d["ms"], d.get("echoed", 0))' <<<"$tls")"
}

streams_flood_one() {  # MODE
  local mode=$1 name="streams: $STREAMS_COUNT $1 TCP/TLS connections from one source, then TCP and TLS clients allocate"
  local config="$work/streams.yaml" log="$work/streams-$1.log"
  # A global cap below the attacker's count: without a per-source cap and deadlines, one source
  # would hold every slot and the legitimate client would be refused.
  write_config "$config" "streams:
  max-connections: $(( STREAMS_COUNT * 2 / 3 ))"
  start_server "$config" "$log" || { result "$name" 1 "server did not start"; return; }
  local rss_before fds_before; rss_before=$(rss_kib "$relay"); fds_before=$(fd_count "$relay")
  in_ns "$ns_attacker" python3 "$here/turnload.py" slowloris --server "$listen4" --bind 198.18.0.2 \
    --count "$STREAMS_COUNT" --seconds "$STREAMS_SECONDS" --mode "$mode" >"$work/slowloris.json" 2>"$work/slowloris.err" &
  local attacker=$!
  sleep 3
  local rss_during fds_during; rss_during=$(rss_kib "$relay"); fds_during=$(fd_count "$relay")
  local legit; legit=$(streams_legit_probes)
  wait "$attacker"
  local out; out=$(cat "$work/slowloris.json")
  local ok=0 notes=()
  [[ "$legit" == "TCP ok"*"3/3 echoed; TLS ok"*"3/3 echoed" ]] || { ok=1; notes+=("legitimate client failed"); }
  [ "$(json_get 'd["open_at_end"]' <<<"$out")" -le 64 ] || { ok=1; notes+=("connections left open"); }
  kill -0 "$relay" 2>/dev/null || { ok=1; notes+=("server died"); }
  local prefix=""; [ "${#notes[@]}" -gt 0 ] && prefix="${notes[*]}; "
  result "$name" "$ok" "${prefix}attacker: $(json_get '"%d opened, %d refused at connect, %d closed by the server (p50 %s ms, max %s ms), %d open at the end, %d never established (SYN retried past a full backlog)" % (d["opened"], d["refused_at_connect"], d["closed_by_server"], d["closed_ms_p50"], d["closed_ms_max"], d["open_at_end"], d["never_established"])' <<<"$out"); server fds $fds_before→$fds_during, RSS ${rss_before}→${rss_during} KiB; legit: $legit"
  stop_server
}

streams_noread() {
  local name="streams: a TCP client that never reads while its peer floods it (${STREAMS_FLOOD_SECONDS} s)"
  local config="$work/noread.yaml" log="$work/noread.log"
  write_config "$config"
  start_server "$config" "$log" || { result "$name" 1 "server did not start"; return; }
  rm -f "$work/noread.ready"
  in_ns "$ns_legit" python3 "$here/turnload.py" noread --server "$listen4" --user "$user" --password "$password" \
    --peer "$peer4" --peer-port 3490 --seconds $(( STREAMS_FLOOD_SECONDS + 5 )) --ready-file "$work/noread.ready" \
    >"$work/noread.json" 2>"$work/noread.err" &
  local client=$!
  wait_for 10 test -s "$work/noread.ready" || { result "$name" 1 "the client did not allocate: $(tail -2 "$work/noread.err")"; stop_server; return; }
  local relayed_ip relayed_port
  relayed_ip=$(json_get 'd["relayed"][0]' <"$work/noread.ready"); relayed_port=$(json_get 'd["relayed"][1]' <"$work/noread.ready")
  local rss_before; rss_before=$(rss_kib "$relay")
  in_ns "$ns_peer" python3 "$here/turnload.py" peerflood --source "$peer4" --source-port 3490 --target "$relayed_ip" \
    --target-port "$relayed_port" --rate 20000 --seconds "$STREAMS_FLOOD_SECONDS" --size 1000 >"$work/peerflood.json" &
  local flood=$!
  local series=() peak=$rss_before _
  for _ in $(seq $(( STREAMS_FLOOD_SECONDS * 2 ))); do
    sleep 0.5
    local now; now=$(rss_kib "$relay" 2>/dev/null || echo 0)
    series+=("$now"); [ "$now" -gt "$peak" ] && peak=$now
  done
  wait "$flood"; wait "$client"
  local sent; sent=$(json_get '"%d datagrams, %d MB" % (d["sent"], d["bytes"] // 1000000)' <"$work/peerflood.json")
  # The server's close of a stalled connection cannot reach a client that never reads (the FIN
  # waits behind the unread data), so the server's own count says whether it closed it.
  local closed; closed=$(metric_sum turnpike_stream_connections_closed_total 'reason="outbound_stalled"')
  local dropped; dropped=$(metric_sum turnpike_stream_dropped_packets_total)
  local growth=$(( peak - rss_before ))
  local ok=0 notes=()
  [ "$growth" -le 16384 ] || { ok=1; notes+=("RSS grew $growth KiB"); }
  kill -0 "$relay" 2>/dev/null || { ok=1; notes+=("server died"); }
  local prefix=""; [ "${#notes[@]}" -gt 0 ] && prefix="${notes[*]}; "
  result "$name" "$ok" "${prefix}peer sent $sent; server RSS $rss_before KiB before, peak $peak KiB (+$growth), series ${series[*]:0:6} … ${series[*]: -3}; stream drops counted $dropped; stalled connections closed by the server: $closed (after 30 s without progress)"
  stop_server
}

streams_reservations() {
  local name="streams: reservation loop (Allocate EVEN-PORT R + Refresh 0) against a 200-port range"
  local config="$work/reservations.yaml" log="$work/reservations.log"
  write_config "$config" "quotas:
  allocations-per-user: 10"
  sed -i 's/^relay:$/relay:\n  port-min: 50000\n  port-max: 50199/' "$config"
  start_server "$config" "$log" || { result "$name" 1 "server did not start"; return; }
  local out; out=$(in_ns "$ns_attacker" python3 "$here/turnload.py" reservations --server "$listen4" --user "$user" \
    --password "$password" --loops "$RESERVATION_LOOPS")
  # Another user (a shared-secret one) must still get an allocation.
  local other_user other_password
  read -r other_user other_password < <(python3 -c "
import base64, hashlib, hmac, time
name = f'{int(time.time()) + 3600}:bob'
print(name, base64.b64encode(hmac.new(b'$secret', name.encode(), hashlib.sha1).digest()).decode())")
  local other; other=$(in_ns "$ns_legit" python3 "$here/turnload.py" probe --server "$listen4" --user "$other_user" \
    --password "$other_password" --peer "$peer4" --echo 3)
  local stats; stats=$(admin stats)
  local ok=0 notes=()
  [ "$(json_get 'd["answers"].get("486", 0) > 0 and d["answers"].get("508", 0) == 0' <<<"$out")" = True ] || { ok=1; notes+=("no 486, or 508s"); }
  [ "$(json_get 'd["outcome"]' <<<"$other")" = ok ] || { ok=1; notes+=("another user could not allocate"); }
  local prefix=""; [ "${#notes[@]}" -gt 0 ] && prefix="${notes[*]}; "
  result "$name" "$ok" "${prefix}$(json_get '"%d rounds: %s" % (d["loops"], ", ".join(f"{k} {v}" for k, v in sorted(d["answers"].items())))' <<<"$out"); tables $(json_get 'json.dumps({k: v for k, v in d["tables"].items() if k in ("reservations", "allocations", "relay_sockets")})' <<<"$stats"); another user: $(json_get '"%s, %s/3 echoed" % (d["outcome"], d.get("echoed", 0))' <<<"$other")"
  stop_server
}

check_streams() {
  peer_start
  streams_flood_one halfopen
  streams_flood_one trickle
  streams_noread
  streams_reservations
}
