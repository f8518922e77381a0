#!/usr/bin/env bash
# vrrp4j Nginx failover demo, on one Linux machine, as root:  sudo ./demo/nginx-failover.sh
#
# Builds the active-passive Nginx pair of the keepalived guide out of network namespaces, with
# vrrp4j's NginxFailover in place of keepalived:
#
#   v4jdemo-srv1   192.0.2.11/24  priority 150  nginx "served by srv1"  \
#   v4jdemo-srv2   192.0.2.12/24  priority 100  nginx "served by srv2"   }- bridge br0 in v4jdemo-br
#   v4jdemo-client 192.0.2.50/24  curl http://192.0.2.100/ every 100 ms /
#
# VRID 51, VIP 192.0.2.100/24, advertisement interval 1 s (keepalived's default, as in the guide),
# start-stop mode (Nginx runs on the Active server only) with an HTTP check of weight -60.
# It waits for srv1 to serve the VIP, kills srv1 (kill -9 of its node, its Nginx stopped, its
# eth0 down), measures how long the VIP goes unanswered until srv2 serves it, brings srv1 back and
# shows it preempt. Everything it creates (namespaces v4jdemo-*, processes, a mktemp -d work dir)
# is removed on exit, Ctrl-C included; leftovers of a run that was killed are removed at start.
# Only 192.0.2.0/24 (TEST-NET-1) inside its own namespaces; the host's interfaces are not touched.
#
# V4JDEMO_KEEP_LOGS=1 keeps the logs (they are kept anyway when the demo fails, not when interrupted).
# Last lines: "RESULT before=srv1 after=srv2 outage_ms=N bound_ms=N preempted=srv1 preempt_ms=N"
# and "DEMO PASSED" (exit 0) or "DEMO FAILED: reason" (exit 1; 130 when interrupted).
set -uo pipefail

root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
jar="$root/examples/target/vrrp4j.jar"
PREFIX=v4jdemo-
NS_BR=${PREFIX}br
NS_CLIENT=${PREFIX}client
SERVERS=(srv1 srv2)
declare -A IP=([srv1]=192.0.2.11 [srv2]=192.0.2.12 [client]=192.0.2.50)
declare -A PRIORITY=([srv1]=150 [srv2]=100)
VIP=192.0.2.100
VRID=51
ADVERT_CENTIS=100        # 1 s, keepalived's default advert_int
CHECK_WEIGHT=-60         # 150 - 60 = 90 < 100: a failing srv1 hands over
CLIENT_PERIOD_S=0.1      # the client asks every 100 ms ...
CLIENT_TIMEOUT_S=0.3     # ... and gives up on an answer after 300 ms
LOCK=/run/v4jdemo.lock

t0=${EPOCHREALTIME/./}
now_ms() { local us=${EPOCHREALTIME/./}; echo $((us / 1000)); }
say() {
  local us=${EPOCHREALTIME/./}
  printf '[%5.1fs] %s\n' "$(((us - t0) / 100000))e-1" "$*"
}

work=""
client_pid=""
declare -A NODE_PID=()
finished=0
keep_logs=0
kept_logs=""
fail_reason=""
before="" after="" outage_ms="" bound_ms="" preempted="" preempt_ms=""

# ------------------------------------------------------------------ cleanup and verdict

# running PID: alive and not a zombie (an exited daemon stays a zombie until init reaps it, which
# some inits do only every second or so; a zombie serves nothing).
running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat:0:1}" != Z ]
}

stop_nginx() { # server: stops its Nginx by the pid file's PID (TERM, then KILL)
  local pidfile=$work/$1/nginx.pid pid deadline
  [ -s "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  running "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = nginx ] || return 0
  kill -TERM "$pid" 2>/dev/null
  deadline=$(($(now_ms) + 3000))
  while running "$pid" && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.02; done
  kill -KILL "$pid" 2>/dev/null
  return 0
}

# Stops what this run started, by PID, then deletes the namespaces and the work dir. Idempotent.
cleanup() {
  if [ -n "$client_pid" ]; then
    kill "$client_pid" 2>/dev/null
    wait "$client_pid" 2>/dev/null
    client_pid=""
  fi
  local s pid deadline
  # SIGTERM: a node leaves gracefully (priority 0, VIP removed) and stops its Nginx.
  for s in "${!NODE_PID[@]}"; do kill -TERM "${NODE_PID[$s]}" 2>/dev/null; done
  deadline=$(($(now_ms) + 10000))
  for s in "${!NODE_PID[@]}"; do
    pid=${NODE_PID[$s]}
    while kill -0 "$pid" 2>/dev/null && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    unset "NODE_PID[$s]"
  done
  if [ -n "$work" ]; then
    for s in "${SERVERS[@]}"; do stop_nginx "$s"; done
  fi
  remove_namespaces
  if [ -n "$work" ] && [ -d "$work" ]; then
    if [ "$keep_logs" = 1 ] && kept_logs=$(mktemp -d /tmp/v4jdemo-logs.XXXXXX); then
      (cd "$work" && cp --parents ./*.log ./*/*.log "$kept_logs" 2>/dev/null)
    fi
    rm -rf -- "$work"
  fi
  work=""
}

# Kills anything still running in our namespaces (by PID, e.g. Nginx workers), then deletes them.
remove_namespaces() {
  local ns pid
  for ns in $(ip netns list 2>/dev/null | awk -v p="$PREFIX" 'index($1, p) == 1 {print $1}'); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
}

# Prints the summary block and the verdict, and exits; runs once (EXIT, INT, TERM, or at the end).
finish() {
  local code=$1
  [ "$finished" = 1 ] && return
  finished=1
  trap - EXIT INT TERM
  if [ "$code" = 130 ] && [ -z "$fail_reason" ]; then fail_reason="interrupted"; fi
  if [ "$code" != 0 ] && [ -z "$fail_reason" ]; then fail_reason="exited with status $code"; fi
  if { [ -n "$fail_reason" ] && [ "$code" != 130 ]; } || [ "${V4JDEMO_KEEP_LOGS:-}" = 1 ]; then keep_logs=1; fi
  cleanup
  [ -n "$kept_logs" ] && say "logs kept in $kept_logs (node.log and error.log per server, client.log)"
  local left
  left=$(ip netns list 2>/dev/null | awk -v p="$PREFIX" 'index($1, p) == 1 {print $1}' | tr '\n' ' ')
  say "cleaned up: processes stopped, namespaces deleted, work dir removed${left:+ (LEFT: $left)}"
  if [ -n "$left" ] && [ -z "$fail_reason" ]; then fail_reason="namespaces left after cleanup: $left"; fi
  echo
  echo "RESULT before=${before:-none} after=${after:-none} outage_ms=${outage_ms:--1} bound_ms=${bound_ms:--1}" \
       "preempted=${preempted:-none} preempt_ms=${preempt_ms:--1}"
  if [ -z "$fail_reason" ]; then
    echo "DEMO PASSED"
    exit 0
  fi
  echo "DEMO FAILED: $fail_reason"
  [ "$code" = 130 ] && exit 130
  exit 1
}

# Records the reason, shows the logs that explain it, and ends the run.
die() {
  fail_reason="$1"
  echo "error: $1" >&2
  local f
  if [ -n "$work" ]; then
    for f in "$work"/*/node.log "$work"/*/error.log; do
      [ -s "$f" ] && { echo "--- last lines of ${f#"$work"/}:" >&2; tail -n 15 "$f" >&2; }
    done
  fi
  finish 1
}

trap 'finish $?' EXIT
trap 'finish 130' INT TERM

# ------------------------------------------------------------------ prerequisites

if [ "$(id -u)" != 0 ]; then
  echo "This demo creates network namespaces: run it as root:  sudo $0" >&2
  finished=1; exit 1
fi
missing=""
for tool in nginx curl; do command -v "$tool" >/dev/null || missing+=" $tool"; done
if [ -n "$missing" ]; then
  echo "missing:$missing; install with:  apt-get install nginx curl" >&2
  finished=1; exit 1
fi
for tool in ip flock awk; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install iproute2 util-linux gawk)" >&2; finished=1; exit 1; }
done
nginx_bin=$(command -v nginx)

java_home=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] \
     && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
    java_home=$candidate
    break
  fi
done
if [ -z "$java_home" ]; then
  echo "needs JDK 25 or later; set JAVA_HOME to one (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
  finished=1; exit 1
fi

exec 9>"$LOCK"
if ! flock -n 9; then
  echo "another run of this demo holds $LOCK; wait for it to finish" >&2
  finished=1; exit 1
fi

if [ ! -f "$jar" ]; then
  build=(mvn -q -B -Dstyle.color=never -pl examples -am package -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip)
  echo "building vrrp4j (examples/target/vrrp4j.jar is missing):"
  echo "  cd $root && JAVA_HOME=$java_home ${build[*]}"
  command -v mvn >/dev/null || { echo "needs Maven to build: apt-get install maven" >&2; finished=1; exit 1; }
  (cd "$root" && JAVA_HOME=$java_home "${build[@]}") 9>&- || { echo "build failed" >&2; finished=1; exit 1; }
fi

echo "== vrrp4j Nginx failover demo: VRID $VRID, VIP $VIP, advertisement interval 1 s (keepalived's default) =="

# ------------------------------------------------------------------ the LAN

# Leftovers of an earlier run that was killed before it could clean up (the lock says none runs).
remove_namespaces
for d in /tmp/v4jdemo.??????; do [ -d "$d" ] && rm -rf -- "$d"; done
work=$(mktemp -d /tmp/v4jdemo.XXXXXX) || die "mktemp -d failed"
chmod 755 "$work"

ipx() { ip "$@" || die "ip $* failed"; }

await_up() { # namespace interface: wait until the kernel's link watch says UP (frames flow only then)
  local deadline=$(($(now_ms) + 5000))
  until ip -n "$1" -o link show dev "$2" 2>/dev/null | grep -q ' state UP '; do
    [ "$(now_ms)" -lt "$deadline" ] || die "$2 in $1 did not come up"
    sleep 0.02
  done
}

ipx netns add "$NS_BR"
ipx -n "$NS_BR" link add br0 type bridge mcast_snooping 0
ipx -n "$NS_BR" link set br0 up
for h in "${SERVERS[@]}" client; do
  ns=$PREFIX$h
  ipx netns add "$ns"
  ipx -n "$ns" link add eth0 type veth peer name "p-$h" netns "$NS_BR"
  ipx -n "$NS_BR" link set "p-$h" master br0 up
  ipx -n "$ns" addr add "${IP[$h]}/24" dev eth0
  ipx -n "$ns" link set lo up
  ipx -n "$ns" link set eth0 up
done
for h in "${SERVERS[@]}" client; do await_up "$PREFIX$h" eth0; await_up "$NS_BR" "p-$h"; done
say "LAN up: srv1 ${IP[srv1]} (priority ${PRIORITY[srv1]}), srv2 ${IP[srv2]} (priority ${PRIORITY[srv2]})," \
    "client ${IP[client]}; bridge br0 in $NS_BR"

# ------------------------------------------------------------------ Nginx and the nodes

for s in "${SERVERS[@]}"; do
  d=$work/$s
  mkdir -p "$d/tmp"
  cat >"$d/nginx.conf" <<EOF
# $s's own Nginx: its own pid file, logs and temp paths, so two run on one machine.
daemon on;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $d/tmp/body; proxy_temp_path $d/tmp/proxy; fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi; scgi_temp_path $d/tmp/scgi;
    server {
        listen 80;
        location / { default_type text/plain; return 200 "served by $s\n"; }
    }
}
EOF
done

start_node() { # server: runs NginxFailover in the server's namespace, in the background
  local s=$1
  ip netns exec "$PREFIX$s" "$java_home/bin/java" --enable-native-access=ALL-UNNAMED \
    --sun-misc-unsafe-memory-access=allow -cp "$jar" dev.vrrp4j.examples.NginxFailover \
    --interface eth0 --vrid "$VRID" --priority "${PRIORITY[$s]}" --advert-int-centis "$ADVERT_CENTIS" \
    --vip "$VIP/24" --nginx "$nginx_bin" --nginx-conf "$work/$s/nginx.conf" --mode start-stop \
    --check-url http://127.0.0.1/ --check-weight "$CHECK_WEIGHT" \
    </dev/null >>"$work/$s/node.log" 2>&1 9>&- &
  NODE_PID[$s]=$!
}

node_alive() { kill -0 "${NODE_PID[$1]}" 2>/dev/null || die "$1's node exited (see $1/node.log below)"; }

client_log=$work/client.log
# The client's loop, run inside the client's namespace (where the next run's clean-up finds it if
# this one is killed with -9): one line per request, "epoch_ms srv1|srv2|FAIL", stamped when the
# request started.
client_loop() { # vip timeout_s period_s
  local us out
  while :; do
    us=${EPOCHREALTIME/./}
    if out=$(curl -s -m "$2" "http://$1/") && [ -n "$out" ]; then
      echo "$((us / 1000)) ${out#served by }"
    else
      echo "$((us / 1000)) FAIL"
    fi
    sleep "$3"
  done
}

# first_after MS WHAT: the time of the first client line at or after MS answering WHAT (srv1, srv2, FAIL)
first_after() { awk -v t="$1" -v w="$2" '$1 >= t && $2 == w { print $1; exit }' "$client_log" 2>/dev/null; }
last_answer() { tail -n 1 "$client_log" 2>/dev/null | awk '{print $2}'; }

# await_answer SINCE_MS WHO TIMEOUT_MS: waits for a client line from WHO at or after SINCE and sets
# answer_at to its time; fails after TIMEOUT_MS, ends the run if a node died.
answer_at=""
await_answer() {
  local deadline=$(($(now_ms) + $3)) s
  while :; do
    answer_at=$(first_after "$1" "$2")
    [ -n "$answer_at" ] && return 0
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    for s in "${!NODE_PID[@]}"; do node_alive "$s"; done
    sleep 0.05
  done
}

ip netns exec "$NS_CLIENT" bash -c "$(declare -f client_loop); client_loop $VIP $CLIENT_TIMEOUT_S $CLIENT_PERIOD_S" \
  </dev/null >>"$client_log" 2>/dev/null 9>&- &
client_pid=$!
say "client: curl -s -m $CLIENT_TIMEOUT_S http://$VIP/ every ${CLIENT_PERIOD_S}s (log: epoch_ms answer|FAIL)"

start_node srv1
say "srv1: NginxFailover started (pid ${NODE_PID[srv1]}, start-stop mode, HTTP check weight $CHECK_WEIGHT)"
since=$(now_ms)
await_answer "$since" srv1 20000 || die "the VIP did not answer with srv1 within 20 s (last: $(last_answer))"
say "VIP answers: served by srv1 ($(( answer_at - since )) ms after its node started: JVM start + Active_Down_Interval)"

start_node srv2
deadline=$(($(now_ms) + 15000))
until grep -q "INIT -> BACKUP" "$work/srv2/node.log" 2>/dev/null; do
  node_alive srv2
  [ "$(now_ms)" -lt "$deadline" ] || die "srv2 did not become Backup within 15 s"
  sleep 0.05
done
sleep 1.5 # let srv2 hear srv1's advertisements for a while
say "srv2: NginxFailover started (pid ${NODE_PID[srv2]}), Backup; no Nginx runs there"
before=$(last_answer)
[ "$before" = srv1 ] || die "before the failure the VIP should be served by srv1, got '$before'"
say "before: the VIP is served by $before"

# ------------------------------------------------------------------ srv1 dies

# A dead machine takes its Nginx and its VIP with it; a killed process does not, so stop srv1's
# Nginx and cut its link too.
killed_at=$(now_ms)
kill -KILL "${NODE_PID[srv1]}"
wait "${NODE_PID[srv1]}" 2>/dev/null
unset "NODE_PID[srv1]"
stop_nginx srv1
ipx -n "$PREFIX"srv1 link set eth0 down
say "srv1 dies: kill -9 of its node, its Nginx stopped, its eth0 down"

await_answer "$killed_at" srv2 15000 || die "srv2 did not serve the VIP within 15 s (last: $(last_answer))"
after=srv2
first_fail=$(first_after "$killed_at" FAIL)
outage_ms=$(( answer_at - ${first_fail:-$answer_at} ))
# RFC 9568 §6.1: Active_Down_Interval = 3 * Active_Adver_Interval + Skew_Time,
#                Skew_Time = ((256 - Priority) * Active_Adver_Interval) / 256
advert_ms=$((ADVERT_CENTIS * 10))
down_ms=$(( 3 * advert_ms + (256 - PRIORITY[srv2]) * advert_ms / 256 ))
# Plus the client noticing: a request sent to the dead server times out (300 ms), the next one
# comes a period later (100 ms); and 200 ms for srv2 to start Nginx and the client's curl to start.
bound_ms=$(( down_ms + 300 + 100 + 200 ))
say "after: the VIP is served by $after, unanswered for $outage_ms ms (bound $bound_ms ms:" \
    "Active_Down_Interval $down_ms ms for priority ${PRIORITY[srv2]} + 600 ms for the client to notice and Nginx to start)"

# ------------------------------------------------------------------ srv1 comes back

# A rebooted machine comes back without the VIP; the killed node left it on eth0, so remove it.
ip -n "$PREFIX"srv1 addr del "$VIP/24" dev eth0 2>/dev/null
ipx -n "$PREFIX"srv1 link set eth0 up
await_up "$PREFIX"srv1 eth0
await_up "$NS_BR" p-srv1
restored_at=$(now_ms)
start_node srv1
say "srv1 returns: eth0 up, NginxFailover started again (pid ${NODE_PID[srv1]})"
await_answer "$restored_at" srv1 20000 || die "srv1 did not take the VIP back within 20 s (last: $(last_answer))"
preempted=srv1
preempt_ms=$(( answer_at - restored_at ))
gap=$(awk -v t="$restored_at" -v a="$answer_at" '$1 >= t && $1 < a && $2 == "FAIL"' "$client_log" | wc -l)
say "srv1 preempted: served by srv1 again $preempt_ms ms after its node started" \
    "(JVM start + Active_Down_Interval for 150, $(( 3 * advert_ms + (256 - PRIORITY[srv1]) * advert_ms / 256 )) ms);" \
    "$gap failed request(s) during the handover"

# ------------------------------------------------------------------ verdict

if [ "$outage_ms" -gt "$bound_ms" ]; then
  fail_reason="outage $outage_ms ms exceeds the bound $bound_ms ms"
fi
finish 0
