#!/usr/bin/env bash
# Embedded footprint (issue 15): what vrrp4j adds to an application's JVM: RSS, threads, heap,
# and its start-up, with 0 (the plain application), 1 and 255 routers, alternating, in one run.
#
#   sudo JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/system/embedded.sh [RUNS] [OUT_DIR]
#
# The application is benchmarks/system/EmbeddedFootprint (one worker thread of its own; with
# routers, a VrrpNode whose routers all reach Backup, alone on the LAN of lan.sh's host A), run
# with the JDK's defaults plus JAVA_OPTS (default none: an application's own flags are its own).
# After 10 s (WAIT_S): RSS and tasks from /proc, heap after a full GC, non-heap committed, Java
# threads. The table is the median of RUNS runs (default 3); $OUT/runs.txt has every run.
set -euo pipefail
RUNS=${1:-3}
OUT=${2:-$(mktemp -d /tmp/v4jbench-embedded.XXXX)}
WAIT_S=${WAIT_S:-10}
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR="$ROOT/benchmarks/target/benchmarks.jar"
BR=v4jemb-br; A=v4jemb-a; B=v4jemb-b
[ -f "$JAR" ] || { echo "build first: mvn -pl benchmarks -am package -DskipTests" >&2; exit 1; }
mkdir -p "$OUT"
. "$(dirname "$(readlink -f "$0")")/lan.sh"
lan_create

tree_rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
tasks() { ls "/proc/$1/task" | wc -l; }

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/runs.txt"
printf '%-8s %3s | %8s %8s | %7s %7s | %9s %9s %9s\n' routers run start_ms main_ms rss_MB tasks heap_kb nonheap_kb jthreads | tee -a "$OUT/runs.txt"
for run in $(seq 1 "$RUNS"); do
  for n in 0 1 255; do
    log="$OUT/emb-$n-$run.log"
    # shellcheck disable=SC2086 # JAVA_OPTS is a word list
    ip netns exec "$A" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${JAVA_OPTS:-} -cp "$JAR" \
      dev.vrrp4j.benchmarks.system.EmbeddedFootprint eth0 "$n" 100 "$WAIT_S" > "$log" 2>&1 &
    pid=$!; PIDS+=("$pid")
    for _ in $(seq 1 $((WAIT_S * 10 + 300))); do grep -q MEASURED "$log" 2>/dev/null && break; sleep 0.1; done
    grep -q MEASURED "$log" || { echo "no measurement from $n routers, run $run:"; cat "$log"; exit 1; }
    rss=$(tree_rss_kb "$pid"); thr=$(tasks "$pid")
    wait "$pid" || { echo "EmbeddedFootprint failed:"; cat "$log"; exit 1; }
    val() { sed -n "s/^$1=//p" "$log"; }
    printf '%-8s %3s | %8s %8s | %7.1f %7s | %9s %9s %9s\n' "$n" "$run" "$(val start_ms)" "$(val main_ms)" \
      "$(awk -v k="$rss" 'BEGIN{print k/1024}')" "$thr" "$(val heap_live_kb)" "$(val nonheap_kb)" "$(val threads)" \
      | tee -a "$OUT/runs.txt"
  done
done
echo "# end $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/runs.txt"

echo
printf '%-28s | %9s | %10s | %13s\n' "median of $RUNS runs" "plain app" "+ 1 router" "+ 255 routers"
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
col() { # routers field-number
  grep -E "^$1 +[0-9]+ \|" "$OUT/runs.txt" | tr -d '|' | awk -v f="$2" '{print $f}' | median
}
row() { printf '%-28s | %9s | %10s | %13s\n' "$1" "$(col 0 "$2")" "$(col 1 "$2")" "$(col 255 "$2")"; }
row "start-up ms (build..Backup)" 3
row "RSS MB after ${WAIT_S} s" 5
row "threads (tasks)" 6
row "heap live kB" 7
row "non-heap kB" 8
row "Java threads" 9
echo "(runs: $OUT/runs.txt)"
