#!/usr/bin/env bash
# The build's AOT training run (mvn package, after the shaded jar): bin/vrrp4j with VRRP4J_AOT=record
# starts, hears an Active, takes over when the Active dies, and leaves on SIGTERM, so that the JDK
# writes examples/target/vrrp4j.aot (JEP 483/514/515: the classes that run loaded and linked, and
# their method profiles) with the stamp bin/vrrp4j checks before using it.
#
# Two network namespaces of its own (v4jaot-PID-a, -b) joined by a veth pair, test addresses only
# (192.0.2.0/24, 2001:db8::/64); the peer Active is bin/vrrp4j without the cache. Needs root for the
# namespaces: without root, or when anything fails, it says so in one line and leaves no cache
# (bin/vrrp4j then runs without one). Everything it starts is killed by PID and removed on exit.
# Skip it with -Dvrrp4j.aot.skip (Maven) or VRRP4J_AOT_SKIP=1.
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)"
target="$root/examples/target"
aot="$target/vrrp4j.aot"
work="$target/aot-training"
A=v4jaot-$$-a
B=v4jaot-$$-b
PIDS=()

rm -f "$aot" "$aot.stamp" "$aot.new" "$aot.new.stamp"
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null; done
  ip netns del "$A" 2>/dev/null; ip netns del "$B" 2>/dev/null
  rm -f "$aot.new" "$aot.new.stamp" "$aot.new.config"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
skip() { echo "vrrp4j: no AOT cache, bin/vrrp4j starts without it: $1"; exit 0; }

[ -n "${VRRP4J_AOT_SKIP:-}" ] && exit 0
[ "$(id -u)" = 0 ] || skip "the training run needs root for its network namespaces"
command -v ip >/dev/null || skip "the training run needs ip (iproute2)"
mkdir -p "$work"
ip netns add "$A" 2>/dev/null && ip netns add "$B" 2>/dev/null || skip "cannot create a network namespace here"
for n in $A $B; do # before the interfaces exist, so that their link-local addresses skip DAD too
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
ip -n "$A" link add eth0 type veth peer name eth0 netns "$B" || skip "cannot create a veth pair"
i=1
for n in $A $B; do
  ip -n "$n" addr add 192.0.2.$i/24 dev eth0
  ip -n "$n" addr add 2001:db8::$i/64 dev eth0 nodad
  ip -n "$n" link set lo up
  ip -n "$n" link set eth0 up
  i=$((i + 1))
done
for n in $A $B; do # the link-local address the IPv6 router sends from comes with the carrier
  for _ in $(seq 100); do [ -n "$(ip -n "$n" -6 addr show dev eth0 scope link -tentative 2>/dev/null)" ] && break; sleep 0.05; done
done

conf() { # file priority: one IPv4 and one IPv6 router, 50 ms adverts so the run is short
  cat > "$1" <<CONF
global_defs {
    router_id aot-$2
    vrrp_version 3
    vrrp_garp_master_delay 0
    enable_script_security
}
vrrp_instance V4 {
    state BACKUP
    interface eth0
    virtual_router_id 1
    priority $2
    advert_int 0.05
    virtual_ipaddress {
        192.0.2.100/24
    }
}
vrrp_instance V6 {
    state BACKUP
    interface eth0
    virtual_router_id 2
    priority $2
    advert_int 0.05
    virtual_ipaddress {
        2001:db8::100/64
    }
}
CONF
}
conf "$work/a.conf" 200
conf "$work/b.conf" 100
wait_for() { # file pattern count seconds
  local end=$((SECONDS + $4))
  while [ $SECONDS -lt $end ]; do
    [ "$(grep -cE "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
    sleep 0.05
  done
  return 1
}

VRRP4J_AOT=off ip netns exec "$A" "$root/bin/vrrp4j" --config "$work/a.conf" > "$work/a.log" 2>&1 &
pa=$!; PIDS+=($pa)
wait_for "$work/a.log" 'BACKUP -> MASTER' 2 30 || skip "the peer did not become Active (see $work/a.log)"
VRRP4J_AOT=record ip netns exec "$B" "$root/bin/vrrp4j" --config "$work/b.conf" > "$work/b.log" 2>&1 &
pb=$!; PIDS+=($pb)
wait_for "$work/b.log" 'INIT -> BACKUP' 2 30 || skip "the trainee did not start (see $work/b.log)"
sleep 1 # a Backup's receive path, about 20 adverts per router
{ kill -9 "$pa"; wait "$pa"; } 2>/dev/null
wait_for "$work/b.log" 'BACKUP -> MASTER' 2 10 || skip "the trainee did not take over (see $work/b.log)"
sleep 0.5 # the Active's send path
kill -TERM "$pb"
for _ in $(seq 1200); do kill -0 "$pb" 2>/dev/null || break; sleep 0.05; done
wait "$pb" 2>/dev/null
[ -s "$aot.new" ] && [ -s "$aot.new.stamp" ] || skip "the JVM wrote no cache (see $work/b.log)"
mv "$aot.new.stamp" "$aot.stamp"
mv "$aot.new" "$aot"
