# Check 5: relaying to forbidden addresses (sourced by tests/hardening/run). An authenticated
# client asks for loopback, link-local, the cloud metadata address, private and other
# special-purpose ranges, the server's own addresses, each IPv4 target also in every IPv4-in-IPv6
# form, through CreatePermission, ChannelBind and Send. All must be refused (403; Send dropped),
# nothing may arrive at canaries listening on those addresses in the relay's namespace, and the
# XDP maps, read from the kernel, must hold no peer outside the allowed ranges.

check_abuse() {
  peer_start
  local name="abuse (forbidden peers via CreatePermission, ChannelBind, Send; IPv4-in-IPv6 forms; XDP maps)"
  local config="$work/abuse.yaml" log="$work/abuse.log"
  write_config "$config"
  start_server "$config" "$log" || { result "$name" 1 "server did not start"; return; }
  local canaries="127.0.0.1,::1,169.254.169.254,10.0.0.1,192.168.0.1,172.16.0.1,100.64.0.1"
  ip netns exec "$ns_relay" python3 "$here/turnload.py" canary --addresses "$canaries" --ports 3478 9 \
    --seconds 120 >"$work/canary.json" 2>"$work/canary.err" &
  local canary=$!
  pids+=($canary)
  for _ in $(seq 50); do grep -q listening "$work/canary.json" 2>/dev/null && break; sleep 0.1; done
  # A legitimate channel, so the maps are not trivially empty.
  in_ns "$ns_legit" python3 "$here/turnload.py" legit --server "$listen4" --user "$user" --password "$password" \
    --peer "$peer4" --seconds 0.1 --packets 5 --keep >/dev/null
  local refused_before; refused_before=$(admin stats | json_get 'sum(v for k, v in d["dropped"].items() if k.split("/")[0] in ("peer_refused", "no_permission", "peer_family_mismatch"))')
  local out; out=$(in_ns "$ns_attacker" python3 "$here/turnload.py" abuse --server "$listen4" --user "$user" \
    --password "$password" --server6 --ports 3478 9 --own "$relay4" \
    --v4-targets 127.0.0.1,169.254.169.254,10.0.0.1,192.168.0.1,172.16.0.1,100.64.0.1,0.0.0.0,255.255.255.255,224.0.0.1,198.18.0.1,198.18.1.1)
  sleep 1
  kill -TERM "$canary"; wait "$canary" 2>/dev/null
  local stats; stats=$(admin stats)
  local refused; refused=$(( $(json_get 'sum(v for k, v in d["dropped"].items() if k.split("/")[0] in ("peer_refused", "no_permission", "peer_family_mismatch"))' <<<"$stats") - refused_before ))
  local maps; maps=$(xdp_maps || echo '{"channels": -1, "peers": -1, "peer_addresses": [], "client_addresses": []}')
  local verdict
  verdict=$(python3 - "$out" "$(tail -1 "$work/canary.json")" "$maps" "$refused" <<'PY'
import ipaddress, json, sys
out, canary, maps, refused = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4])
allowed = [ipaddress.ip_network("198.18.1.0/24"), ipaddress.ip_network("2001:db8:2::/64")]
outside = [a for a in maps["peer_addresses"] if not any(ipaddress.ip_address(a) in n for n in allowed)]
problems = []
if out["accepted"]:
    problems.append(f"accepted: {out['accepted'][:3]}")
if out["not_403"]:
    problems.append(f"not 403: {out['not_403'][:3]}")
if canary.get("received"):
    problems.append(f"canaries received {canary['received']}")
if maps["channels"] < 1:
    problems.append(f"XDP maps unreadable or empty ({maps['channels']} channels) with a legitimate channel bound")
if outside:
    problems.append(f"XDP maps hold forbidden peers {outside}")
sends = 3 * out["targets"]
if refused < sends:
    problems.append(f"drops {refused} < {sends} Send indications")
forms = sorted({r["form"] for r in out["refused"]})
print(("FAIL " + "; ".join(problems) + "; " if problems else "") +
      f"{out['targets']} target/port pairs x (CreatePermission, ChannelBind, 3 Sends): all refused with 403 (a permission for the own relay address {sorted(set(r['base'] for r in out['refused'] if r['permission'] == 'accepted'))} only, no channel to a non-relay port there), "
      f"{refused} Sends dropped (peer_refused, or no_permission since none was granted); forms: {', '.join(forms)}; canaries received nothing: "
      f"{not canary.get('received')}; XDP maps: {maps['channels']} channel(s), peers {maps['peer_addresses']}")
PY
)
  local ok=0
  [[ "$verdict" == FAIL* ]] && ok=1
  result "$name" "$ok" "${verdict#FAIL }"
  stop_server
}
