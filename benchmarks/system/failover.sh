#!/usr/bin/env bash
# Failover precision, vrrp4j vs keepalived 2.2.7, same topology and config, alternating in one run.
#
#   sudo JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/system/failover.sh [RUNS] [INTERVAL_CENTIS] [OUT_DIR]
#   e.g. benchmarks/system/failover.sh 20 10      (20 kills per implementation at 100 ms)
#        benchmarks/system/failover.sh 6 100      (6 kills per implementation at 1 s)
#
# Topology: namespaces v4jbench-br (bridge br0), v4jbench-a (192.0.2.1, priority 200, the Active),
# v4jbench-b (192.0.2.2, priority 100, the Backup), VIP 192.0.2.100/24, VRID 51, VRRPv3, multicast.
# Each run starts both nodes fresh (the Backup's takeover is its first, as in production), waits until
# the Active has advertised for SETTLE seconds, kill -9s the Active's advertising process, and keeps
# tcpdump -tt on the bridge. From the capture, per run:
#   late  = (first advert of the new Active) - (last advert of the dead one) - Active_Down_Interval,
#           RFC 9568 §6.1: Active_Down_Interval = 3*I + (256-100)*I/256 for the Backup (priority 100)
#   garp  = (first ARP for the VIP after the kill) - (kill time)
# Needs root, tcpdump, keepalived, and the built project (examples/target/vrrp4j.jar).
set -euo pipefail
RUNS=${1:-20}
CENTIS=${2:-10}
OUT=${3:-$(mktemp -d /tmp/v4jbench-failover.XXXX)}
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
BR=v4jbench-br; A=v4jbench-a; B=v4jbench-b
mkdir -p "$OUT"
. "$(dirname "$(readlink -f "$0")")/lan.sh"
lan_create

# Extra global_defs lines for both implementations, e.g. GLOBAL_EXTRA="vrrp_rt_priority 10".
GLOBAL_EXTRA=${GLOBAL_EXTRA:-}
advert=$(awk -v c=$CENTIS 'BEGIN{printf "%g", c/100}')
conf() { # name priority
  cat > "$OUT/$1.conf" <<CONF
global_defs {
    router_id $1
    vrrp_version 3
    vrrp_garp_master_delay 0
    enable_script_security
$GLOBAL_EXTRA
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int $advert
    virtual_ipaddress {
        192.0.2.100/24
    }
}
CONF
}
conf a 200; conf b 100

# Both implementations' nodes run at the same raised priority so that other jobs on a shared machine
# disturb the measurement less; PRIO= (empty) runs them as they are.
PRIO=${PRIO-nice -n -20}
ip netns exec $BR tcpdump -l -n -tt -i br0 'ip proto 112 or arp' > "$OUT/wire.txt" 2>"$OUT/tcpdump.err" &
TCPDUMP=$!; PIDS+=($TCPDUMP)
sleep 1

# start IMPL NODE -> sets STARTED to the PID (no subshell: the processes stay children of this script)
start() {
  local impl=$1 node=$2 ns=v4jbench-$2
  if [ "$impl" = vrrp4j ]; then
    ip netns exec $ns $PRIO "$ROOT/bin/vrrp4j" --config "$OUT/$node.conf" > "$OUT/$impl-$node-$run.log" 2>&1 &
    STARTED=$!
  else
    rm -f "$OUT/$node.vrrp.pid"
    ip netns exec $ns $PRIO keepalived --dont-fork --log-console --no-syslog --dont-respawn --vrrp \
      -f "$OUT/$node.conf" -p "$OUT/$node.pid" -r "$OUT/$node.vrrp.pid" -c "$OUT/$node.chk.pid" \
      > "$OUT/$impl-$node-$run.log" 2>&1 &
    STARTED=$!
  fi
}
vrrp_child() { # keepalived's VRRP child does the advertising; the parent only supervises
  local f=$1; for _ in $(seq 100); do [ -s "$f" ] && { cat "$f"; return; }; sleep 0.05; done; echo none
}

SETTLE=$(awk -v c=$CENTIS 'BEGIN{s=c*0.04+2.5; print s}') # the Backup's JVM start + a few intervals
: > "$OUT/kills.txt"
for run in $(seq 1 "$RUNS"); do
  for impl in vrrp4j keepalived; do
    # The Active first; the Backup joins once it advertises, so the Backup's takeover below is its
    # first ever (cold code paths, as after weeks as Backup in production).
    seen=$(wc -l < "$OUT/wire.txt") # only this run's adverts count, not the last run's
    start $impl a; pa=$STARTED; PIDS+=($pa)
    victim=$pa
    [ $impl = keepalived ] && victim=$(vrrp_child "$OUT/a.vrrp.pid")
    for _ in $(seq 400); do
      tail -n +"$((seen + 1))" "$OUT/wire.txt" | grep -q '192.0.2.1 > 224.0.0.18' && break; sleep 0.05
    done
    start $impl b; pb=$STARTED; PIDS+=($pb)
    sleep "$SETTLE"
    t=$EPOCHREALTIME
    kill -9 "$victim"
    echo "$impl $run $t" >> "$OUT/kills.txt"
    sleep $(awk -v c=$CENTIS 'BEGIN{print c*0.04+1}')
    kill -9 "$pa" "$pb" 2>/dev/null || true
    [ $impl = keepalived ] && { kill -9 "$(cat "$OUT/b.vrrp.pid" 2>/dev/null)" 2>/dev/null || true; }
    wait "$pa" "$pb" 2>/dev/null || true
    sleep 0.3
    ip -n $A addr del 192.0.2.100/24 dev eth0 2>/dev/null || true
    ip -n $B addr del 192.0.2.100/24 dev eth0 2>/dev/null || true
    echo "run $run $impl done" >&2
  done
done
sleep 0.5
kill "$TCPDUMP"; wait "$TCPDUMP" 2>/dev/null || true

python3 "$ROOT/benchmarks/system/failover_report.py" "$OUT" "$CENTIS"
