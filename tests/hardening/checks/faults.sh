# Check 4: faults injected into a running server (sourced by tests/hardening/run). Each fault gets
# a fresh server; where the issue says "under load" a steady client (turnload.py steady: one
# allocation, a channel to the echo peer, a fixed packet rate) relays from the legitimate link
# while the fault happens, and its loss and gaps are reported. Every wait is a bounded poll.

# The notes of a failed fault, each followed by "; " (nothing when there are none).
notes_text() { local note; for note in "$@"; do printf '%s; ' "$note"; done; }
log_has() { grep -q -- "$2" "$1"; }
now_epoch() { date +%s.%N; }

faults_server() {  # NAME [EXTRA_YAML]  → sets fault_config, fault_log
  fault_config="$work/faults-$1.yaml"; fault_log="$work/faults-$1.log"
  write_config "$fault_config" "${2:-}"
  start_server "$fault_config" "$fault_log"
}

# A steady client in the background: its JSON goes to $work/steady-NAME.json. Returns once it has
# its allocation and channel (at most 10 s).
steady_start() {  # NAME RATE SECONDS [turnload options...]
  local name=$1 rate=$2 seconds=$3; shift 3
  : > "$work/steady-$name.err"
  in_ns "$ns_legit" python3 "$here/turnload.py" steady --server "$listen4" --user "$user" --password "$password" \
    --peer "$peer4" --rate "$rate" --seconds "$seconds" "$@" >"$work/steady-$name.json" 2>"$work/steady-$name.err" &
  steady_pid=$!
  wait_for 10 log_has "$work/steady-$name.err" ready
}
# Waits for the steady client (not in a subshell: it is this shell's child) and sets $steady to
# its JSON ("{}" when it failed).
steady_wait() {  # NAME
  wait "$steady_pid"
  steady_pid=""
  steady='{}'
  [ -s "$work/steady-$1.json" ] && steady=$(cat "$work/steady-$1.json")
  return 0
}
steady_line() { json_get '"%s/%s echoed, lost %s in %s gaps" % (d.get("received"), d.get("sent"), d.get("lost"), d.get("gaps"))'; }
# Loss at most $2 percent (of at least one packet sent).
steady_ok() { json_get "int(d.get('sent', 0) > 0 and d['lost'] <= $1 / 100 * d['sent'])"; }

probe() {  # [turnload probe options...] → JSON
  in_ns "$ns_legit" python3 "$here/turnload.py" probe --server "$listen4" --peer "$peer4" "$@"
}
probe_line() { json_get '"%s in %s ms%s" % (d["outcome"], d["ms"], (", %d/5 echoed" % d["echoed"]) if "echoed" in d else "")'; }
probe_echoes() { json_get 'int(d["outcome"] == "ok" and d.get("echoed") == 5)'; }

served_subject() {  # the subject of the certificate a new TLS connection is shown
  in_ns "$ns_legit" timeout 5 openssl s_client -connect "$listen4:5349" </dev/null 2>/dev/null \
    | openssl x509 -noout -subject 2>/dev/null | sed 's/.*CN *= *//'
}

# 1. SIGHUP with an invalid file: the running configuration stays; a valid edit is then applied.
fault_invalid_reload() {
  local name="faults: SIGHUP with an invalid configuration"
  faults_server reload || { result "$name" 1 "server did not start"; return; }
  local valid="$work/faults-reload.valid"; cp "$fault_config" "$valid"
  steady_start reload 200 6 || { result "$name" 1 "steady client did not start"; stop_server; return; }
  local ok=0 notes=() steady='{}'
  printf 'relay:\n  ipv4: [unterminated\n' >> "$fault_config"
  kill -HUP "$relay"
  wait_for 15 log_has "$fault_log" "reload rejected" || { ok=1; notes+=("no 'reload rejected' in the log"); }
  local rejected; rejected=$(metric_sum turnpike_config_reloads_total 'result="rejected"')
  [ "$rejected" = 1 ] || { ok=1; notes+=("turnpike_config_reloads_total{result=rejected} $rejected"); }
  local during; during=$(probe --user "$user" --password "$password" --echo 5)
  [ "$(probe_echoes <<<"$during")" = 1 ] || ok=1
  steady_wait reload
  [ "$(steady_ok 1 <<<"$steady")" = 1 ] || ok=1
  # A valid edit: alice's password changes; the next SIGHUP applies it.
  local fresh=hardening-password-8
  sed "s/password: \"$password\"/password: \"$fresh\"/" "$valid" > "$fault_config"
  kill -HUP "$relay"
  wait_for 15 log_has "$fault_log" "configuration reloaded" || { ok=1; notes+=("valid edit not reloaded"); }
  local new old
  new=$(probe --user "$user" --password "$fresh" --echo 5)
  old=$(probe --user "$user" --password "$password")
  [ "$(probe_echoes <<<"$new")" = 1 ] || ok=1
  [ "$(json_get 'd["outcome"]' <<<"$old")" = "error 401" ] || ok=1
  local applied; applied=$(metric_sum turnpike_config_reloads_total 'result="applied"')
  kill -0 "$relay" 2>/dev/null || { ok=1; notes+=("server died"); }
  result "$name" "$ok" "$(notes_text "${notes[@]}")rejected (log + reloads_total{rejected} $rejected); under load $(steady_line <<<"$steady"); allocation while rejected: $(probe_line <<<"$during"); after a valid edit: new password $(probe_line <<<"$new"), old password $(json_get 'd["outcome"]' <<<"$old"), reloads_total{applied} $applied"
  stop_server
}

# 2. The TLS certificate and key replaced, then SIGHUP: new connections see the new certificate,
#    a TLS allocation made before keeps relaying.
fault_tls_swap() {
  local name="faults: TLS certificate swap"
  openssl_cert "$work" faults-old
  cp "$work/faults-old.pem" "$work/faults-tls.pem"; cp "$work/faults-old.key" "$work/faults-tls.key"
  fault_config="$work/faults-tls.yaml"; fault_log="$work/faults-tls.log"
  write_config "$fault_config"
  sed -i "s#$work/tls.pem#$work/faults-tls.pem#; s#$work/tls.key#$work/faults-tls.key#" "$fault_config"
  start_server "$fault_config" "$fault_log" || { result "$name" 1 "server did not start"; return; }
  local ok=0 notes=() steady='{}'
  local before; before=$(served_subject)
  steady_start tls 100 6 --tls --port 5349 || { result "$name" 1 "TLS steady client did not start"; stop_server; return; }
  openssl_cert "$work" faults-new
  cp "$work/faults-new.pem" "$work/faults-tls.pem"; cp "$work/faults-new.key" "$work/faults-tls.key"
  kill -HUP "$relay"
  wait_for 15 log_has "$fault_log" "configuration reloaded" || { ok=1; notes+=("no reload in the log"); }
  local after; after=$(served_subject)
  steady_wait tls
  [ "$before" = faults-old ] && [ "$after" = faults-new ] || ok=1
  [ "$(steady_ok 1 <<<"$steady")" = 1 ] || ok=1
  [ "$(json_get 'd.get("deleted")' <<<"$steady")" = True ] || { ok=1; notes+=("TLS allocation gone: $(json_get 'd.get("deleted")' <<<"$steady")"); }
  kill -0 "$relay" 2>/dev/null || { ok=1; notes+=("server died"); }
  result "$name" "$ok" "$(notes_text "${notes[@]}")new connection: CN=$before before, CN=$after after; TLS allocation across the swap: $(steady_line <<<"$steady")"
  stop_server
}

# 3. The relay address removed while traffic flows, then added back.
fault_relay_address() {  # XDP_MODE
  local mode=$1
  local name="faults: relay address removed under load (xdp $mode)"
  XDP_MODE=$mode faults_server "address-$mode" || { result "$name" 1 "server did not start"; return; }
  [ "$mode" = auto ] && xdp_kernel_path on
  local ok=0 notes=() steady='{}'
  local seconds=10
  steady_start "address-$mode" 200 "$seconds" --settle 2 || { result "$name" 1 "steady client did not start"; stop_server; xdp_kernel_path off; return; }
  sleep 1.5
  local lines_before; lines_before=$(wc -l <"$fault_log")
  local removed_at; removed_at=$(now_epoch)
  in_ns "$ns_relay" ip addr del "$relay4/24" dev "$if_relay_peer"
  sleep 1
  local stats_ok=0
  timeout 5 "$turnpike" stats --socket "$work/admin.sock" --json >/dev/null 2>&1 || { stats_ok=1; ok=1; notes+=("admin stats did not answer"); }
  local during; during=$(probe --user "$user" --password "$password")
  [ "$(json_get 'd["outcome"]' <<<"$during")" != "no answer" ] || ok=1
  sleep 1
  local readded_at; readded_at=$(now_epoch)
  in_ns "$ns_relay" ip addr add "$relay4/24" dev "$if_relay_peer"
  local lines_fault=$(( $(wc -l <"$fault_log") - lines_before ))
  steady_wait "address-$mode"
  local after; after=$(probe --user "$user" --password "$password" --echo 5)
  [ "$(probe_echoes <<<"$after")" = 1 ] || ok=1
  # The old allocation: nothing lost that was sent 2 s after the address came back (the server
  # tries to bind its socket again every second).
  local resumed; resumed=$(json_get "int(d.get('sent', 0) > 0 and (d['last_gap_end'] is None or d['last_gap_end'] + d['start_epoch'] < $readded_at + 2))" <<<"$steady")
  [ "$resumed" = 1 ] || { ok=1; notes+=("old allocation did not resume"); }
  local gap; gap=$(json_get "'gaps from %s s to %s s after removal' % (round(min(g[0] for g in d['largest_gaps']) + d['start_epoch'] - $removed_at, 2), round(d['last_gap_end'] + d['start_epoch'] - $removed_at, 2)) if d.get('largest_gaps') else 'no gap'" <<<"$steady")
  [ "$lines_fault" -le 20 ] || { ok=1; notes+=("log grew by $lines_fault lines"); }
  local kernel; kernel=$(metric_sum turnpike_relayed_packets_total 'datapath="xdp"')
  [ "$mode" = auto ] && xdp_kernel_path off
  local failures lost; failures=$(metric_sum turnpike_relay_send_failures_total); lost=$(metric_sum turnpike_relay_sockets_lost_total)
  kill -0 "$relay" 2>/dev/null || { ok=1; notes+=("server died"); }
  result "$name" "$ok" "$(notes_text "${notes[@]}")steady $(steady_line <<<"$steady"), $gap (re-added after $(python3 -c "print(round($readded_at - $removed_at, 2))") s); relay sockets lost $lost, datagrams dropped while closed $failures, log +$lines_fault lines, $kernel packets relayed in the kernel; during: admin stats $([ $stats_ok -eq 0 ] && echo answered || echo failed), Allocate $(probe_line <<<"$during"); after re-adding: Allocate $(probe_line <<<"$after")"
  stop_server
}

# 4. The admin socket file deleted: the relay goes on, `turnpike stats` says why it fails, and
#    SIGHUP binds the socket again.
fault_admin_socket() {
  local name="faults: admin socket deleted"
  faults_server admin || { result "$name" 1 "server did not start"; return; }
  local ok=0 notes=() steady='{}'
  steady_start admin 200 5 || { result "$name" 1 "steady client did not start"; stop_server; return; }
  rm "$work/admin.sock"
  local message status
  message=$(timeout 5 "$turnpike" stats --socket "$work/admin.sock" 2>&1 >/dev/null); status=$?
  [ "$status" -ne 0 ] && [ -n "$message" ] || { ok=1; notes+=("stats without a socket: status $status"); }
  kill -HUP "$relay"
  wait_for 15 test -S "$work/admin.sock" || { ok=1; notes+=("SIGHUP did not recreate the socket"); }
  local stats_after=1
  wait_for 15 eval 'timeout 5 "$turnpike" stats --socket "$work/admin.sock" --json >/dev/null 2>&1' && stats_after=0
  [ "$stats_after" -eq 0 ] || ok=1
  local mode; mode=$(stat -c %a "$work/admin.sock" 2>/dev/null)
  [ "$mode" = 600 ] || { ok=1; notes+=("socket mode $mode"); }
  steady_wait admin
  [ "$(steady_ok 1 <<<"$steady")" = 1 ] || ok=1
  kill -0 "$relay" 2>/dev/null || { ok=1; notes+=("server died"); }
  result "$name" "$ok" "$(notes_text "${notes[@]}")without the socket: stats exit $status, \"$(head -1 <<<"$message")\"; after SIGHUP: socket mode $mode, stats $([ $stats_after -eq 0 ] && echo answers || echo fails); under load $(steady_line <<<"$steady")"
  stop_server
}

# The server's XDP links in the relay namespace (ids), from bpftool.
xdp_link_ids() {  # PROG_ID
  in_ns "$ns_relay" bpftool -j link show | python3 -c '
import json, sys
print(" ".join(str(l["id"]) for l in json.load(sys.stdin) if l.get("type") == "xdp" and str(l.get("prog_id")) == sys.argv[1]))' "$1"
}

# 5. The XDP program's links detached from outside while traffic flows: userspace takes over.
fault_xdp_detach() {
  local name="faults: XDP detached externally under load"
  faults_server xdp || { result "$name" 1 "server did not start"; return; }
  local ok=0 notes=() steady='{}'
  local prog; prog=$(xdp_prog_id "$if_relay_legit")
  [ -n "$prog" ] || { result "$name" 1 "no XDP program attached (mode auto)"; stop_server; return; }
  local links; links=$(xdp_link_ids "$prog")
  xdp_kernel_path on
  steady_start xdp 500 8 --settle 2 || { result "$name" 1 "steady client did not start"; stop_server
    xdp_kernel_path off; return; }
  sleep 2
  local xdp_before user_before
  xdp_before=$(metric_sum turnpike_relayed_packets_total 'datapath="xdp"')
  user_before=$(metric_sum turnpike_relayed_packets_total 'datapath="userspace"')
  # What the program did with the packets so far, by verdict/reason (nonzero ones).
  local verdicts; verdicts=$(metrics | awk '/^turnpike_xdp_packets_total[{]/ && $2 > 0 {
    match($1, /verdict="[^"]*"/); v = substr($1, RSTART + 9, RLENGTH - 10)
    match($1, /reason="[^"]*"/); r = substr($1, RSTART + 8, RLENGTH - 9)
    printf "%s%s/%s %d", sep, v, r, $2; sep = ", " }')
  [ "$xdp_before" -gt 0 ] || { ok=1; notes+=("the kernel relayed nothing before the detach"); }
  local link; for link in $links; do in_ns "$ns_relay" bpftool link detach id "$link"; done
  local detached_at; detached_at=$(now_epoch)
  wait_for 15 log_has "$fault_log" "detached from outside" || { ok=1; notes+=("no detach in the log"); }
  local attached=1
  wait_for 15 eval '[ "$(metric_sum turnpike_xdp_attached)" = 0 ]' && attached=0
  [ "$attached" -eq 0 ] || { ok=1; notes+=("turnpike_xdp_attached $(metric_sum turnpike_xdp_attached)"); }
  local left="" dev
  for dev in "$if_relay_attacker" "$if_relay_peer" "$if_relay_legit"; do left+=$(xdp_prog_id "$dev"); done
  [ -z "$left" ] || { ok=1; notes+=("program still on an interface"); }
  steady_wait xdp
  local user_after; user_after=$(metric_sum turnpike_relayed_packets_total 'datapath="userspace"')
  local xdp_after; xdp_after=$(metric_sum turnpike_relayed_packets_total 'datapath="xdp"')
  [ $(( user_after - user_before )) -gt 0 ] || { ok=1; notes+=("userspace relayed nothing after the detach"); }
  [ "$(steady_ok 2 <<<"$steady")" = 1 ] || ok=1
  local gap; gap=$(json_get "'largest gap %s packets' % max([g[2] for g in d.get('largest_gaps', [])] or [0])" <<<"$steady")
  local after; after=$(probe --user "$user" --password "$password" --echo 5)
  [ "$(probe_echoes <<<"$after")" = 1 ] || ok=1
  kill -0 "$relay" 2>/dev/null || { ok=1; notes+=("server died"); }
  xdp_kernel_path off
  result "$name" "$ok" "$(notes_text "${notes[@]}")$(wc -w <<<"$links") links of program $prog detached after $xdp_before packets relayed in the kernel (XDP verdicts: ${verdicts:-none}; then +$(( xdp_after - xdp_before )) in the kernel, +$(( user_after - user_before )) in userspace); steady 500/s: $(steady_line <<<"$steady"), $gap; turnpike_xdp_attached $([ $attached -eq 0 ] && echo 0 || echo "not 0"); then Allocate $(probe_line <<<"$after")"
  stop_server
}

# 6. SIGKILL: the kernel takes the XDP program away with the process; the restart starts cleanly
#    although the admin socket file is still there.
fault_sigkill() {
  local name="faults: SIGKILL then restart"
  faults_server kill || { result "$name" 1 "server did not start"; return; }
  local ok=0 notes=() steady='{}'
  local prog; prog=$(xdp_prog_id "$if_relay_legit")
  local before; before=$(probe --user "$user" --password "$password" --echo 5)
  kill -KILL "$relay"; wait "$relay" 2>/dev/null; relay=""
  local gone=1
  wait_for 15 eval '[ -z "$(xdp_prog_id "$if_relay_attacker")$(xdp_prog_id "$if_relay_peer")$(xdp_prog_id "$if_relay_legit")" ]' && gone=0
  [ "$gone" -eq 0 ] || { ok=1; notes+=("XDP program left on an interface"); }
  local links=""; [ -n "$prog" ] && links=$(xdp_link_ids "$prog")
  [ -z "$links" ] || { ok=1; notes+=("bpf links left: $links"); }
  local stale=no; [ -S "$work/admin.sock" ] && stale=yes
  local begin; begin=$(date +%s%N)
  start_server "$fault_config" "$fault_log" || { result "$name" 1 "restart failed: $(tail -3 "$fault_log")"; return; }
  local restart_ms=$(( ($(date +%s%N) - begin) / 1000000 ))
  local after; after=$(probe --user "$user" --password "$password" --echo 5)
  [ "$(probe_echoes <<<"$after")" = 1 ] || ok=1
  local stats=1; timeout 5 "$turnpike" stats --socket "$work/admin.sock" --json >/dev/null 2>&1 && stats=0
  [ "$stats" -eq 0 ] || { ok=1; notes+=("admin stats fail after the restart"); }
  local reattached; reattached=$(xdp_prog_id "$if_relay_legit")
  [ -n "$prog" ] && [ -z "$reattached" ] && { ok=1; notes+=("XDP not attached after the restart"); }
  result "$name" "$ok" "$(notes_text "${notes[@]}")before: Allocate $(probe_line <<<"$before"); after the kill: XDP program $prog gone from all interfaces and links $([ -z "$links" ] && echo none || echo "$links"), stale admin socket $stale; restart in $restart_ms ms (program ${reattached:-none}), admin stats $([ $stats -eq 0 ] && echo answers || echo fails), Allocate $(probe_line <<<"$after")"
  stop_server
}

check_faults() {
  peer_start
  steady_pid=""
  # FAULTS_ONLY="fault_relay_address auto" runs one fault (while working on it).
  [ -n "${FAULTS_ONLY:-}" ] && { $FAULTS_ONLY; return; }
  fault_invalid_reload
  fault_tls_swap
  fault_relay_address auto
  fault_relay_address off
  fault_admin_socket
  fault_xdp_detach
  fault_sigkill
}
