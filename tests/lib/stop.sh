# Sourced by tests/interop/run.sh and tests/hardening/lib.sh.
# Stops processes the caller started, by PID: TERM, up to 5 s to exit, then KILL.
stop() {
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 50); do
    local alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for pid in "$@"; do kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
}
