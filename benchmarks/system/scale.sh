#!/usr/bin/env bash
# Scale: two nodes with N virtual routers each, vrrp4j vs keepalived 2.2.7 alternating in one run.
#
#   sudo JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/system/scale.sh "N:CENTIS ..." [SETTLE_S] [MEASURE_S] [OUT_DIR]
#   e.g. benchmarks/system/scale.sh "1:1 50:1 255:1 255:10" 8 20
#
# Namespaces v4jbench-br (bridge br0), v4jbench-a (Active, priority 200), v4jbench-b (Backup, 100);
# IPv6 routers (VRRPv3, VRIDs 1..N, VIP 2001:db8::<vrid>/64 each; IPv6 so that 255 VIPs fit the
# documentation prefixes). Both nodes run the same generated keepalived.conf (bin/vrrp4j reads it).
# After SETTLE_S seconds, for MEASURE_S seconds: false transitions on the Backup (Entering MASTER /
# BACKUP -> MASTER lines in its log), CPU % of each node from /proc/PID/stat utime+stime (keepalived:
# parent + VRRP child), RSS (VmRSS; keepalived: both processes).
set -euo pipefail
CASES=${1:-"1:1 50:1 255:1 255:10"}
SETTLE=${2:-8}
MEASURE=${3:-20}
OUT=${4:-$(mktemp -d /tmp/v4jbench-scale.XXXX)}
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
BR=v4jbench-br; A=v4jbench-a; B=v4jbench-b
HZ=$(getconf CLK_TCK)
# Both implementations' nodes run at the same raised priority so that other jobs on a shared machine
# disturb the measurement less; PRIO= (empty) runs them as they are.
PRIO=${PRIO-nice -n -20}
mkdir -p "$OUT"
. "$(dirname "$(readlink -f "$0")")/lan.sh"
lan_create ipv6

conf() { # file priority n centis
  local advert; advert=$(awk -v c=$4 'BEGIN{printf "%g", c/100}')
  { printf 'global_defs {\n    router_id %s\n    vrrp_version 3\n    vrrp_garp_master_delay 0\n    enable_script_security\n}\n' "$(basename "$1" .conf)"
    for v in $(seq 1 "$3"); do
      printf 'vrrp_instance VI_%d {\n    state BACKUP\n    interface eth0\n    virtual_router_id %d\n    priority %d\n    advert_int %s\n    virtual_ipaddress {\n        2001:db8::%x/64\n    }\n}\n' \
        "$v" "$v" "$2" "$advert" $((0x100 + v))
    done; } > "$1"
}
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# Packets the kernel dropped because a raw socket's receive buffer was full (last column).
rx_drops() { ip netns exec "$1" awk 'FNR>1{s+=$NF} END{print s+0}' /proc/net/raw /proc/net/raw6; }
# Milliseconds from launching the Backup until its log shows all N routers in BACKUP (polled every 10 ms).
watch_startup() { # log n t0_ns out
  for _ in $(seq 3000); do
    if [ "$(grep -cE 'Entering BACKUP STATE \(init\)|INIT -> BACKUP' "$1" 2>/dev/null || true)" -ge "$2" ]; then
      echo $(( ($(date +%s%N) - $3) / 1000000 )) > "$4"; return
    fi
    sleep 0.01
  done
  echo timeout > "$4"
}
# Java heap in use (MB) after a full collection's worth of reporting: GC.heap_info's "used" total.
heap_mb() { "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info 2>/dev/null \
  | awk '/used/{for(i=1;i<=NF;i++) if($i=="used"){v=$(i+1); sub(/K,?$/,"",v); print int(v/1024); exit}}' || true; }
masters() { grep -cE 'Entering MASTER STATE|BACKUP -> MASTER' "$1" 2>/dev/null || true; }

printf '%-10s %4s %6s | %12s | %8s %8s | %9s %9s | %10s | %10s %8s\n' impl N int_ms "false_trans" "cpu%_A" "cpu%_B" "rss_A_MB" "rss_B_MB" "rxdrops_B" "startB_ms" "heapB_MB" | tee "$OUT/result.txt"
for c in $CASES; do
  n=${c%%:*}; centis=${c##*:}
  conf "$OUT/a-$n-$centis.conf" 200 "$n" "$centis"; conf "$OUT/b-$n-$centis.conf" 100 "$n" "$centis"
  for impl in vrrp4j keepalived; do
    declare -A pid=() procs=()
    for node in a b; do
      log="$OUT/$impl-$node-$n-$centis.log"; cf="$OUT/$node-$n-$centis.conf"
      if [ $node = b ]; then
        launch_ns=$(date +%s%N); rm -f "$OUT/startup"
      fi
      if [ $impl = vrrp4j ]; then
        ip netns exec v4jbench-$node $PRIO "$ROOT/bin/vrrp4j" --config "$cf" > "$log" 2>&1 &
        pid[$node]=$!; PIDS+=($!); procs[$node]=$!
      else
        rm -f "$OUT/$node.vrrp.pid"
        ip netns exec v4jbench-$node $PRIO keepalived --dont-fork --log-console --no-syslog --dont-respawn --vrrp \
          -f "$cf" -p "$OUT/$node.pid" -r "$OUT/$node.vrrp.pid" -c "$OUT/$node.chk.pid" > "$log" 2>&1 &
        pid[$node]=$!; PIDS+=($!)
      fi
      [ $node = a ] && sleep 1
      [ $node = b ] && { watch_startup "$log" "$n" "$launch_ns" "$OUT/startup" & }
    done
    if [ $impl = keepalived ]; then
      for node in a b; do
        for _ in $(seq 100); do [ -s "$OUT/$node.vrrp.pid" ] && break; sleep 0.05; done
        procs[$node]="${pid[$node]} $(cat "$OUT/$node.vrrp.pid")"
      done
    fi
    sleep "$SETTLE"
    m0=$(masters "$OUT/$impl-b-$n-$centis.log"); d0=$(rx_drops v4jbench-b)
    declare -A t0=()
    for node in a b; do s=0; for p in ${procs[$node]}; do s=$((s + $(ticks $p))); done; t0[$node]=$s; done
    sleep "$MEASURE"
    res="$impl $n $((centis*10)) $(( $(masters "$OUT/$impl-b-$n-$centis.log") - m0 ))"
    for node in a b; do s=0; for p in ${procs[$node]}; do s=$((s + $(ticks $p))); done
      res="$res $(awk -v d=$((s - ${t0[$node]})) -v hz=$HZ -v m=$MEASURE 'BEGIN{printf "%.1f", 100*d/hz/m}')"; done
    for node in a b; do r=0; for p in ${procs[$node]}; do r=$((r + $(rss_kb $p))); done
      res="$res $(awk -v r=$r 'BEGIN{printf "%.1f", r/1024}')"; done
    res="$res $(( $(rx_drops v4jbench-b) - d0 )) $(cat "$OUT/startup" 2>/dev/null || echo -)"
    if [ $impl = vrrp4j ]; then res="$res $(heap_mb "${pid[b]}")"; else res="$res -"; fi
    echo "$res" | awk '{printf "%-10s %4s %6s | %12s | %8s %8s | %9s %9s | %10s | %10s %8s\n", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11}' | tee -a "$OUT/result.txt"
    for node in a b; do for p in ${procs[$node]}; do kill -9 $p 2>/dev/null || true; done; done
    for node in a b; do wait ${pid[$node]} 2>/dev/null || true; done
    rm -f "$OUT"/*.vrrp.pid
    for node in a b; do
      for v in $(seq 1 "$n"); do echo "addr del 2001:db8::$(printf %x $((0x100 + v)))/64 dev eth0"; done \
        | ip -n v4jbench-$node -batch - 2>/dev/null || true
    done
    sleep 1
  done
done
