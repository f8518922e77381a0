#!/usr/bin/env bash
# Footprint (issue 15): start-up, RSS and threads of vrrp4j vs keepalived 2.2.7, alternating in one run.
#
#   sudo JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/system/footprint.sh [RUNS] [CASES] [OUT_DIR]
#   e.g. benchmarks/system/footprint.sh 3 "1:100 255:1"     (the default: 1 router at 1 s, 255 at 10 ms)
#
# CASES are N:CENTIS (N IPv6 VRRPv3 routers, VRIDs 1..N, advert_int CENTIS/100 s), as in scale.sh.
# Namespaces v4jfoot-br (bridge), v4jfoot-a (priority 200), v4jfoot-b (priority 100), from lan.sh.
# Per run and implementation, alternating keepalived and vrrp4j:
#   start_ms  exec of node A, alone on the LAN, until its log shows all N routers in BACKUP
#             (keepalived "Entering BACKUP STATE (init)", vrrp4j "INIT -> BACKUP"; polled every 5 ms)
#   then node B is started, and 10 s after A's exec (WAIT_S):
#   rss_MB    VmRSS summed over each node's process tree (keepalived: parent + VRRP child), the larger node
#   threads   tasks in each node's process tree, the larger node
#   false_tr  Entering MASTER / BACKUP -> MASTER lines in B's log from 2 s after its start to the end
# The table is the median of the RUNS runs; $OUT/runs.txt has every run, both nodes.
# VRRP4J_JAVA_OPTS reaches bin/vrrp4j as usual; PRIO= (empty) runs the nodes without nice -n -20.
set -euo pipefail
RUNS=${1:-3}
CASES=${2:-"1:100 255:1"}
OUT=${3:-$(mktemp -d /tmp/v4jbench-footprint.XXXX)}
WAIT_S=${WAIT_S:-10}
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
BR=v4jfoot-br; A=v4jfoot-a; B=v4jfoot-b
PRIO=${PRIO-nice -n -20}
[ -f "$ROOT/examples/target/vrrp4j.jar" ] || { echo "build first: mvn -pl examples -am package -DskipTests" >&2; exit 1; }
command -v keepalived >/dev/null || { echo "needs keepalived" >&2; exit 1; }
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
BACKUP_RE='Entering BACKUP STATE \(init\)|INIT -> BACKUP'
MASTER_RE='Entering MASTER STATE|BACKUP -> MASTER'
# The process and all its descendants (keepalived forks its VRRP child; bin/vrrp4j execs java).
tree() {
  local p=$1 c
  echo "$p"
  for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree "$c"; done
}
sum_status() { # field pid...: sum of a /proc/PID/status field (VmRSS kB, Threads) over the processes
  local f=$1 s=0 p v; shift
  for p in "$@"; do v=$(awk -v f="$f:" '$1==f{print $2}' /proc/"$p"/status 2>/dev/null || true); s=$((s + ${v:-0})); done
  echo $s
}
# start IMPL NODE CONF LOG -> STARTED (no subshell: the process stays a child of this script)
start() {
  if [ "$1" = vrrp4j ]; then
    ip netns exec v4jfoot-$2 $PRIO "$ROOT/bin/vrrp4j" --config "$3" > "$4" 2>&1 &
  else
    ip netns exec v4jfoot-$2 $PRIO keepalived --dont-fork --log-console --no-syslog --dont-respawn --vrrp \
      -f "$3" -p "$OUT/$2.pid" -r "$OUT/$2.vrrp.pid" -c "$OUT/$2.chk.pid" > "$4" 2>&1 &
  fi
  STARTED=$!; PIDS+=($STARTED)
}
# Milliseconds from t0_ns until LOG has N BACKUP lines, or "timeout" after 30 s.
startup_ms() { # log n t0_ns
  local now
  while :; do
    now=$(date +%s%N)
    if [ "$(grep -cE "$BACKUP_RE" "$1" 2>/dev/null || true)" -ge "$2" ]; then echo $(( (now - $3) / 1000000 )); return; fi
    [ $(( now - $3 )) -gt 30000000000 ] && { echo timeout; return; }
    sleep 0.005
  done
}
median() { sort -n | awk '{v[NR]=$1} END{if (NR==0) print "-"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg); busiest: $(ps -eo pcpu=,comm= --sort=-pcpu | head -3 | awk '{printf "%s %s%%  ", $2, $1}')"; }
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(load)" | tee "$OUT/runs.txt"
printf '%-10s %4s %6s %3s | %8s | %9s %9s | %9s %9s | %8s\n' impl N int_ms run start_ms rssA_MB rssB_MB thrA thrB false_tr | tee -a "$OUT/runs.txt"
for c in $CASES; do
  n=${c%%:*}; centis=${c##*:}
  conf "$OUT/a-$n.conf" 200 "$n" "$centis"; conf "$OUT/b-$n.conf" 100 "$n" "$centis"
  for run in $(seq 1 "$RUNS"); do
    for impl in keepalived vrrp4j; do
      la="$OUT/$impl-a-$n-$run.log"; lb="$OUT/$impl-b-$n-$run.log"
      rm -f "$OUT"/*.vrrp.pid
      t0=$(date +%s%N)
      start $impl a "$OUT/a-$n.conf" "$la"; pa=$STARTED
      s=$(startup_ms "$la" "$n" "$t0")
      start $impl b "$OUT/b-$n.conf" "$lb"; pb=$STARTED
      sleep 2; m0=$(grep -cE "$MASTER_RE" "$lb" 2>/dev/null || true)
      rest=$(( WAIT_S * 1000 - ($(date +%s%N) - t0) / 1000000 )); [ $rest -gt 0 ] && sleep "$(awk -v r=$rest 'BEGIN{print r/1000}')"
      ta=$(tree $pa); tb=$(tree $pb)
      # shellcheck disable=SC2086
      res="$impl $n $((centis * 10)) $run $s $(awk -v k=$(sum_status VmRSS $ta) 'BEGIN{printf "%.1f", k/1024}')"
      res="$res $(awk -v k=$(sum_status VmRSS $tb) 'BEGIN{printf "%.1f", k/1024}') $(sum_status Threads $ta) $(sum_status Threads $tb)"
      res="$res $(( $(grep -cE "$MASTER_RE" "$lb" 2>/dev/null || true) - m0 ))"
      if [ $impl = vrrp4j ] && [ "${FOOTPRINT_DETAIL:-}" ]; then
        for p in $ta; do cat /proc/$p/task/*/comm 2>/dev/null; done | sort | uniq -c > "$OUT/threads-$n-$run.txt"
      fi
      echo "$res" | awk '{printf "%-10s %4s %6s %3s | %8s | %9s %9s | %9s %9s | %8s\n", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10}' | tee -a "$OUT/runs.txt"
      for p in $tb $ta; do kill -9 "$p" 2>/dev/null || true; done
      wait "$pa" "$pb" 2>/dev/null || true
      for node in a b; do
        for v in $(seq 1 "$n"); do echo "addr del 2001:db8::$(printf %x $((0x100 + v)))/64 dev eth0"; done \
          | ip -n v4jfoot-$node -batch - 2>/dev/null || true
      done
      sleep 0.5
    done
  done
done
echo "# end $(date -u +%FT%TZ), $(load)" | tee -a "$OUT/runs.txt"

# The issue's table: medians over the runs; RSS and threads of the larger node.
col() { awk -v i="$1" -v n="$2" -v c="$3" '$1==i && $2==n && $3!="int_ms" {print $c}' "$OUT/runs.txt"; }
maxcol() { awk -v i="$1" -v n="$2" -v c="$3" -v d="$4" '$1==i && $2==n {print ($c > $d ? $c : $d)}' "$OUT/runs.txt"; }
echo
printf '%-34s | %10s | %10s | %6s\n' "median of $RUNS runs" keepalived vrrp4j ratio | tee "$OUT/result.txt"
for c in $CASES; do
  n=${c%%:*}; centis=${c##*:}
  row() { # label keepalived vrrp4j
    printf '%-34s | %10s | %10s | %6s\n' "$1" "$2" "$3" "$(awk -v k="$2" -v v="$3" 'BEGIN{if (k+0 > 0) printf "%.1fx", v/k; else print "-"}')"
  }
  sfx="$n router(s) x $((centis * 10)) ms"
  row "exec -> all BACKUP ms, $sfx" "$(col keepalived $n 6 | median)" "$(col vrrp4j $n 6 | median)"
  row "RSS MB after ${WAIT_S} s, $sfx" "$(maxcol keepalived $n 8 9 | median)" "$(maxcol vrrp4j $n 8 9 | median)"
  row "threads, $sfx" "$(maxcol keepalived $n 11 12 | median)" "$(maxcol vrrp4j $n 11 12 | median)"
  row "false transitions (B), $sfx" "$(col keepalived $n 14 | median)" "$(col vrrp4j $n 14 | median)"
done | tee -a "$OUT/result.txt"
echo "(runs: $OUT/runs.txt)"
