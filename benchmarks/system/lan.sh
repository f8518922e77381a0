# Sourced by the system benchmarks: a two-host LAN of network namespaces and its cleanup.
#   BR, A, B     namespace names (bridge, host 192.0.2.1, host 192.0.2.2), set by the caller
#   OUT          the run's directory (keepalived VRRP child pid files: $OUT/*.vrrp.pid)
#   PIDS         processes to kill -9 at exit, by PID
PIDS=()

lan_cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
  for f in "$OUT"/*.vrrp.pid; do [ -s "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  for n in $A $B $BR; do ip netns del "$n" 2>/dev/null || true; done
}

# lan_create [ipv6]: bridge br0 in $BR, eth0 in $A (192.0.2.1, 2001:db8::1) and $B (.2, ::2).
# Without "ipv6" the hosts have IPv6 disabled; with it, DAD off so addresses are usable at once.
lan_create() {
  trap lan_cleanup EXIT INT TERM
  for n in $A $B $BR; do ip netns del "$n" 2>/dev/null || true; ip netns add "$n"; done
  ip -n "$BR" link add br0 type bridge mcast_snooping 0
  ip -n "$BR" link set br0 up
  ip netns exec "$BR" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  local i=1 n
  for n in $A $B; do
    if [ "${1:-}" = ipv6 ]; then
      ip netns exec "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
    else
      ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    fi
    ip -n "$n" link add eth0 type veth peer name p$i netns "$BR"
    ip -n "$BR" link set p$i master br0 up
    ip -n "$n" addr add 192.0.2.$i/24 dev eth0
    [ "${1:-}" = ipv6 ] && ip -n "$n" addr add 2001:db8::$i/64 dev eth0 nodad
    ip -n "$n" link set lo up; ip -n "$n" link set eth0 up
    i=$((i+1))
  done
  sleep 1
}
