#!/usr/bin/env bash
# Jitter under load (issue 6): the Active's advertisement intervals at 10 ms, seen by tcpdump on the
# bridge, with the Active's JVM idle or making garbage, under G1 and ZGC; keepalived as the Active
# for reference. The Backup is keepalived 2.2.7 throughout (priority 100): a late advert that makes
# it take over is counted as a false takeover.
#
#   sudo JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/system/jitter.sh [SECONDS] [GARBAGE_MB_PER_S] [OUT_DIR]
#   e.g. benchmarks/system/jitter.sh 30 500
#
# Needs the built benchmarks jar (mvn -pl benchmarks -am package -DskipTests), keepalived and
# tcpdump. Namespaces v4jjit-{br,a,b}; everything is killed by PID and removed on exit.
set -euo pipefail
SECONDS_PER_CASE=${1:-30}
GARBAGE=${2:-500}
OUT=${3:-$(mktemp -d /tmp/v4jbench-jitter.XXXX)}
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR="$ROOT/benchmarks/target/benchmarks.jar"
[ -f "$JAR" ] || { echo "build first: mvn -pl benchmarks -am package -DskipTests" >&2; exit 1; }
BR=v4jjit-br; A=v4jjit-a; B=v4jjit-b
SETTLE=4
# Both implementations' nodes run at the same raised priority so that other jobs on a shared machine
# (builds, other sessions) disturb the measurement less; PRIO= (empty) runs them as they are.
PRIO=${PRIO-nice -n -20}
# name | Active implementation | JVM options | garbage MB/s | event-loop priority (LoadedNode's last argument)
CASES=(
  "keepalived|keepalived||0|"
  "vrrp4j-G1-idle|vrrp4j|-XX:+UseG1GC|0|inherit"
  "vrrp4j-G1-load|vrrp4j|-XX:+UseG1GC|$GARBAGE|inherit"
  "vrrp4j-G1-load-rt|vrrp4j|-XX:+UseG1GC|$GARBAGE|rt:10"
  "vrrp4j-ZGC-idle|vrrp4j|-XX:+UseZGC|0|inherit"
  "vrrp4j-ZGC-load|vrrp4j|-XX:+UseZGC|$GARBAGE|inherit"
  "vrrp4j-ZGC-load-rt|vrrp4j|-XX:+UseZGC|$GARBAGE|rt:10"
  "vrrp4j-ZGC-load-rt-512m|vrrp4j|-XX:+UseZGC -Xms512m -Xmx512m -XX:+AlwaysPreTouch|$GARBAGE|rt:10"
)
[ -n "${JITTER_CASES:-}" ] && IFS=';' read -r -a CASES <<< "$JITTER_CASES"
mkdir -p "$OUT"
. "$(dirname "$(readlink -f "$0")")/lan.sh"
lan_create

conf() { # file priority
  printf 'global_defs {\n    router_id %s\n    vrrp_version 3\n    vrrp_garp_master_delay 0\n    enable_script_security\n}\n' "$(basename "$1" .conf)" > "$1"
  printf 'vrrp_instance VI_51 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 51\n    priority %d\n    advert_int 0.01\n    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n' "$2" >> "$1"
}
conf "$OUT/active.conf" 200
conf "$OUT/backup.conf" 100
keepalived_in() { # ns conf tag
  ip netns exec "$1" $PRIO keepalived --dont-fork --log-console --no-syslog --dont-respawn --vrrp \
    -f "$2" -p "$OUT/$3.pid" -r "$OUT/$3.vrrp.pid" -c "$OUT/$3.chk.pid" > "$OUT/$3.log" 2>&1 &
  PIDS+=($!)
}

printf '%-22s | %8s %8s %8s %8s | %6s | %s\n' case p50_ms p99_ms p99.9_ms max_ms false load | tee "$OUT/result.txt"
for c in "${CASES[@]}"; do
  IFS='|' read -r name impl opts garbage loopprio <<< "$c"
  rm -f "$OUT"/*.vrrp.pid
  if [ "$impl" = keepalived ]; then
    keepalived_in $A "$OUT/active.conf" "active-$name"; active_pid=$!
  else
    # shellcheck disable=SC2086
    ip netns exec $A $PRIO "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
      $opts -cp "$JAR" dev.vrrp4j.benchmarks.system.LoadedNode eth0 51 200 1 192.0.2.100/24 "$garbage" 2 \
      $((SETTLE + SECONDS_PER_CASE + 2)) "${loopprio:-inherit}" > "$OUT/active-$name.log" 2>&1 &
    active_pid=$!; PIDS+=($active_pid)
  fi
  sleep 1.5 # the Active first, so the Backup never starts alone
  keepalived_in $B "$OUT/backup.conf" "backup-$name"
  backup_pid=$!
  sleep "$SETTLE"
  m0=$(grep -c 'Entering MASTER STATE' "$OUT/backup-$name.log" || true)
  ip netns exec $BR timeout "$SECONDS_PER_CASE" tcpdump -i br0 -tt -n -l 'ip proto 112 and src host 192.0.2.1' \
    > "$OUT/wire-$name.txt" 2>/dev/null || true
  masters=$(( $(grep -c 'Entering MASTER STATE' "$OUT/backup-$name.log" || true) - m0 ))
  if [ "$impl" != keepalived ]; then
    for _ in $(seq 100); do grep -q '^LOAD' "$OUT/active-$name.log" && break; sleep 0.1; done
  fi
  load=$(grep -o 'allocated_MB_per_s=.*' "$OUT/active-$name.log" || echo "-")
  for p in $active_pid $backup_pid; do kill -9 "$p" 2>/dev/null || true; done
  for f in "$OUT"/*.vrrp.pid; do [ -s "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true; done
  wait "$active_pid" "$backup_pid" 2>/dev/null || true
  ip -n $A addr del 192.0.2.100/24 dev eth0 2>/dev/null || true
  ip -n $B addr del 192.0.2.100/24 dev eth0 2>/dev/null || true
  python3 - "$OUT/wire-$name.txt" "$name" "$masters" "$load" <<'EOF' | tee -a "$OUT/result.txt"
import sys
path, name, masters, load = sys.argv[1:]
times = [float(l.split()[0]) for l in open(path) if 'VRRP' in l]
gaps = sorted((b - a) * 1000 for a, b in zip(times, times[1:]))
def pct(p):
    return gaps[min(len(gaps) - 1, int(round(p / 100 * (len(gaps) - 1))))] if gaps else float('nan')
print(f"{name:<22} | {pct(50):8.2f} {pct(99):8.2f} {pct(99.9):8.2f} {max(gaps) if gaps else float('nan'):8.2f} | {masters:>6} | n={len(gaps)} {load}")
EOF
done
echo "results in $OUT"
