# Check 7: signals (sourced by tests/hardening/run). SIGQUIT stops the server at once in any
# state, here with an allocation alive and no drain running; SIGTERM with nothing to drain exits
# within a second; SIGTERM with an allocation drains until drain.deadline (1 s here).

# Sends SIGNAL to the running server and prints how many milliseconds it took to exit (or
# "timeout" after 10 s).
signal_exit_ms() {  # SIGNAL
  local begin; begin=$(date +%s%N)
  kill -"$1" "$relay"
  local _
  for _ in $(seq 1000); do
    kill -0 "$relay" 2>/dev/null || { echo $(( ($(date +%s%N) - begin) / 1000000 )); relay=""; return; }
    sleep 0.01
  done
  echo timeout
}

check_signals() {
  local name="signals (SIGQUIT with an allocation, SIGTERM idle, SIGTERM with an allocation)"
  local config="$work/signals.yaml" log="$work/signals.log" ok=0 notes=()
  peer_start
  write_config "$config"
  local quit term drain
  start_server "$config" "$log" || { result "$name" 1 "server did not start"; return; }
  in_ns "$ns_legit" python3 "$here/turnload.py" legit --server "$listen4" --user "$user" --password "$password" \
    --peer "$peer4" --seconds 0.1 --packets 1 --keep >/dev/null
  quit=$(signal_exit_ms QUIT)
  start_server "$config" "$log" || { result "$name" 1 "server did not start again"; return; }
  term=$(signal_exit_ms TERM)
  start_server "$config" "$log" || { result "$name" 1 "server did not start again"; return; }
  in_ns "$ns_legit" python3 "$here/turnload.py" legit --server "$listen4" --user "$user" --password "$password" \
    --peer "$peer4" --seconds 0.1 --packets 1 --keep >/dev/null
  drain=$(signal_exit_ms TERM)
  [ "$quit" != timeout ] && [ "$quit" -lt 1000 ] || { ok=1; notes+=("SIGQUIT did not stop at once"); }
  [ "$term" != timeout ] && [ "$term" -lt 1000 ] || { ok=1; notes+=("idle SIGTERM took over a second"); }
  [ "$drain" != timeout ] && [ "$drain" -ge 900 ] && [ "$drain" -lt 3000 ] || { ok=1; notes+=("SIGTERM did not drain to the 1 s deadline"); }
  local prefix=""; [ "${#notes[@]}" -gt 0 ] && prefix="${notes[*]}; "
  result "$name" "$ok" "${prefix}SIGQUIT with an allocation: exit in $quit ms; SIGTERM idle: $term ms; SIGTERM with an allocation (drain.deadline 1 s): $drain ms"
  stop_server
}
