#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/sink.sh: throughput of our SMTP sink `bhm` against Postfix's `smtp-sink` (the anchor).
#
# Both sinks run side by side for the whole benchmark on loopback ports chosen here, and the same
# Postfix `smtp-source` command feeds each in turn: SESSIONS parallel sessions, SIZE-byte bodies,
# MESSAGES messages per run, once with one message per connection ("conn") and once with every
# message of a session on one connection ("-d"). Per sink and mode: one discarded warm-up run (the
# JVM's JIT needs it), then RUNS runs alternating smtp-sink, bhm, smtp-sink, bhm, ... Each run is timed
# with a monotonic clock; the script prints messages/s per run, the medians, the ratio bhm/smtp-sink,
# and the CPU time each sink process (and smtp-source) used per message. Every run must deliver every
# message: smtp-sink's `mesg=` counter must grow by MESSAGES per run, and bhm's final JSON total
# (printed on SIGTERM) must count every message and connection of all runs, warm-ups included.
#
# Usage:  bench/sink.sh             (RUNS=5 by default)
#         RUNS=9 bench/sink.sh      (more runs per sink and mode)
# Environment: RUNS, SESSIONS (20), MESSAGES (20000), SIZE (4096), BHM (launcher path),
#              JAVA_OPTS (passed to bhm's launcher), BHM_ARGS (extra bhm options, e.g. "--io-threads 1"),
#              BHM_B_ARGS (when set, a second bhm "bhm-b" with these extra options joins the rotation:
#              smtp-sink, bhm, bhm-b, ...; e.g. BHM_B_ARGS="--io-threads 1" compares two settings in one go),
#              RUN_TIMEOUT (seconds per smtp-source run, 300),
#              KEEP=1 keeps the work directory with the sinks' output.
# Needs: postfix (smtp-source, smtp-sink), python3, ss (iproute2), a built bhm
#        (mvn -q -B -o -DskipTests package). Run as root: smtp-sink then drops to user nobody.
# Nothing is written to bench/RESULTS.md: a ready-to-paste markdown block is printed instead.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
RUNS=${RUNS:-5}
SESSIONS=${SESSIONS:-20}
MESSAGES=${MESSAGES:-20000}
SIZE=${SIZE:-4096}
BHM=${BHM:-$repo/daemon/target/dist/bin/bhm}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
KEEP=${KEEP:-0}
BHM_ARGS=${BHM_ARGS:-}
BHM_B_ARGS=${BHM_B_ARGS:-}
SMTP_SOURCE=${SMTP_SOURCE:-/usr/sbin/smtp-source}
SMTP_SINK=${SMTP_SINK:-/usr/sbin/smtp-sink}

die() { echo "sink.sh: $*" >&2; exit 1; }
for v in RUNS SESSIONS MESSAGES SIZE RUN_TIMEOUT; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, not '${!v}'"
done
[[ -x $SMTP_SOURCE && -x $SMTP_SINK ]] || die "needs Postfix's smtp-source and smtp-sink: apt-get install -y --no-install-recommends postfix (preseed 'postfix postfix/main_mailer_type select No configuration')"
[[ -x $BHM ]] || die "no bhm launcher at $BHM: build first (mvn -q -B -o -DskipTests package)"
command -v python3 >/dev/null || die "needs python3"
command -v ss >/dev/null || die "needs ss (iproute2)"
[[ $(id -u) == 0 ]] || die "run as root (smtp-sink is started with -u nobody)"

work=$(mktemp -d /tmp/bench-sink.XXXXXX)
started=()        # pids of the `timeout` wrappers this script started
clk_tck=$(getconf CLK_TCK)
sinks=(smtp-sink bhm)
[[ -n $BHM_B_ARGS ]] && sinks+=(bhm-b)
# Whole-benchmark bound for the sinks: 2 modes x sinks x (RUNS+1) runs of RUN_TIMEOUT, plus slack.
sink_timeout=$(( 2 * ${#sinks[@]} * (RUNS + 1) * RUN_TIMEOUT + 120 ))

cleanup() {
  local rc=$?
  for p in "${started[@]}"; do
    if kill -0 "$p" 2>/dev/null; then kill -TERM "$p" 2>/dev/null || true; fi
  done
  for p in "${started[@]}"; do wait "$p" 2>/dev/null || true; done
  if [[ $rc != 0 || $KEEP == 1 ]]; then echo "sink.sh: work directory kept: $work" >&2
  else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A loopback port below 32768 (under the ephemeral range) with no socket on it in any state.
pick_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 12000 ))
    [[ -z $(ss -Htan "( sport = :$p or dport = :$p )") ]] && { echo "$p"; return; }
  done
  die "found no free port below 32768"
}

# The single child of a `timeout` wrapper: the process that does the work.
child_of() {
  local w=$1 c
  for _ in $(seq 1 100); do
    c=$(cat "/proc/$w/task/$w/children" 2>/dev/null || true)
    c=${c%% *}
    [[ -n $c ]] && { echo "$c"; return; }
    sleep 0.05
  done
  die "no child process under pid $w"
}

wait_listen() {
  local port=$1 w=$2
  for _ in $(seq 1 600); do
    [[ -n $(ss -Hltn "sport = :$port") ]] && return
    kill -0 "$w" 2>/dev/null || die "listener for port $port exited; see $work"
    sleep 0.05
  done
  die "nothing listens on port $port after 30 s"
}

# user+system CPU time of a process (all its threads), in seconds.
cpu_of() {
  local s
  s=$(<"/proc/$1/stat")
  s=${s##*) }
  awk -v t="$clk_tck" '{ printf "%.2f\n", ($12 + $13) / t }' <<<"$s"
}

sink_mesg() {
  tr '\r' '\n' <"$work/smtp-sink.out" | grep -o 'mesg=[0-9]*' | tail -n 1 | cut -d= -f2 || true
}

# Runs a command with a monotonic clock; prints "seconds cpu_seconds_of_children exit_code".
cat >"$work/timer.py" <<'EOF'
import resource, subprocess, sys, time
t0 = time.monotonic()
rc = subprocess.call(sys.argv[1:])
t1 = time.monotonic()
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{t1 - t0:.6f} {ru.ru_utime + ru.ru_stime:.3f} {rc}")
EOF

load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
java_version=$(java -version 2>&1 | head -n 1)
postfix_version=$(postconf -d mail_version 2>/dev/null | sed 's/.*= //' || echo unknown)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$repo" status --porcelain 2>/dev/null | grep -v '^??' | head -n 1 || true)
[[ -n $dirty ]] && commit="$commit+dirty"
load_start=$(load_avg)
started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
t_start=$(date +%s)

sink_port=$(pick_port)
bhm_port=$(pick_port)
while [[ $bhm_port == "$sink_port" ]]; do bhm_port=$(pick_port); done
bhmb_port=$(pick_port)
while [[ $bhmb_port == "$sink_port" || $bhmb_port == "$bhm_port" ]]; do bhmb_port=$(pick_port); done

sink_cmd=("$SMTP_SINK" -u nobody -c -m 1000 "127.0.0.1:$sink_port" 1000)
read -r -a bhm_extra <<<"$BHM_ARGS"
bhm_cmd=("$BHM" -p "$bhm_port" -t 1000 --json --interval 1h ${bhm_extra[@]+"${bhm_extra[@]}"})
read -r -a bhmb_extra <<<"$BHM_B_ARGS"
bhmb_cmd=("$BHM" -p "$bhmb_port" -t 1000 --json --interval 1h ${bhmb_extra[@]+"${bhmb_extra[@]}"})

echo "== bench/sink.sh: smtp-sink (Postfix $postfix_version) vs bhm ($commit)"
echo "   $(nproc) cores, kernel $(uname -r), $java_version${JAVA_OPTS:+, JAVA_OPTS=$JAVA_OPTS}"
echo "   load average at start: $load_start"
echo "   smtp-sink: ${sink_cmd[*]}"
echo "   bhm:       ${bhm_cmd[*]}"
[[ -n $BHM_B_ARGS ]] && echo "   bhm-b:     ${bhmb_cmd[*]}"

timeout -k 5 "$sink_timeout" "${sink_cmd[@]}" >"$work/smtp-sink.out" 2>"$work/smtp-sink.err" &
started+=($!); sink_w=$!
timeout -k 5 "$sink_timeout" "${bhm_cmd[@]}" >"$work/bhm.out" 2>"$work/bhm.err" &
started+=($!); bhm_w=$!
wait_listen "$sink_port" "$sink_w"
wait_listen "$bhm_port" "$bhm_w"
sink_pid=$(child_of "$sink_w")
bhm_pid=$(child_of "$bhm_w")
if [[ -n $BHM_B_ARGS ]]; then
  timeout -k 5 "$sink_timeout" "${bhmb_cmd[@]}" >"$work/bhm-b.out" 2>"$work/bhm-b.err" &
  started+=($!); bhmb_w=$!
  wait_listen "$bhmb_port" "$bhmb_w"
  bhmb_pid=$(child_of "$bhmb_w")
fi

# run SINK MODE KIND -> appends "mode sink seconds msg_per_s sink_cpu source_cpu" to $work/KIND
# (KIND: runs or warmups).
run() {
  local sink=$1 mode=$2 kind=$3 port pid args out secs src_cpu rc c0 c1 m0 m1
  case $sink in
    smtp-sink) port=$sink_port pid=$sink_pid ;;
    bhm) port=$bhm_port pid=$bhm_pid ;;
    bhm-b) port=$bhmb_port pid=$bhmb_pid ;;
  esac
  args=(-s "$SESSIONS" -l "$SIZE" -m "$MESSAGES")
  [[ $mode == -d ]] && args=(-d "${args[@]}")
  m0=$(sink_mesg); m0=${m0:-0}
  c0=$(cpu_of "$pid")
  out=$(python3 "$work/timer.py" timeout -k 5 "$RUN_TIMEOUT" "$SMTP_SOURCE" "${args[@]}" "127.0.0.1:$port" \
        </dev/null 2>"$work/source.err")
  read -r secs src_cpu rc <<<"$out"
  [[ $rc == 0 && ! -s $work/source.err ]] || die "smtp-source against $sink ($mode) failed (exit $rc): $(head -c 500 "$work/source.err")"
  sleep 0.2                                      # let the sink close the last sessions
  c1=$(cpu_of "$pid")
  if [[ $sink == smtp-sink ]]; then
    for _ in $(seq 1 50); do
      m1=$(sink_mesg); m1=${m1:-0}
      (( m1 - m0 >= MESSAGES )) && break
      sleep 0.1
    done
    (( m1 - m0 == MESSAGES )) || die "smtp-sink counted $((m1 - m0)) messages in a run of $MESSAGES"
  fi
  awk -v m="$mode" -v s="$sink" -v t="$secs" -v n="$MESSAGES" -v c="$(awk -v a="$c0" -v b="$c1" 'BEGIN{print b-a}')" -v sc="$src_cpu" \
    'BEGIN { printf "%s %s %.3f %.0f %.2f %.2f\n", m, s, t, n / t, c, sc }' >>"$work/$kind"
  tail -n 1 "$work/$kind" | awk -v k="${kind%s}" \
    '{ printf "   %-4s %-9s %-7s %7.3f s %8s msg/s  sink CPU %5.2f s  smtp-source CPU %5.2f s\n", $1, $2, k, $3, $4, $5, $6 }'
}

modes=(conn -d)
for mode in "${modes[@]}"; do
  echo "-- mode $mode: $( [[ $mode == -d ]] && echo 'all messages of a session on one connection (smtp-source -d)' || echo 'one message per connection')"
  echo "   warm-up (discarded; bhm's JIT compiles during it):"
  for s in "${sinks[@]}"; do run "$s" "$mode" warmups; done
  echo "   measured, alternating:"
  for _ in $(seq 1 "$RUNS"); do
    for s in "${sinks[@]}"; do run "$s" "$mode" runs; done
  done
done

# Stop each bhm and check its total; read smtp-sink's last counter.
want_msgs=$(( ${#modes[@]} * (RUNS + 1) * MESSAGES ))
want_conns=$(( (RUNS + 1) * MESSAGES + (RUNS + 1) * SESSIONS ))
ok=yes
# bhm_total NAME PID WRAPPER: stops that bhm, sets $result from its JSON total line, flags a mismatch.
bhm_total() {
  local name=$1 pid=$2 w=$3 total msgs conns errors
  kill -TERM "$pid"
  wait "$w" || true
  total=$(grep '"type":"total"' "$work/$name.out" | tail -n 1 || true)
  [[ -n $total ]] || die "$name printed no total line; see $work/$name.out and $work/$name.err"
  read -r msgs conns errors < <(python3 -c 'import json,sys; t=json.loads(sys.argv[1]); print(t["messages"], t["connections"], t["errors"])' "$total")
  if [[ $msgs != "$want_msgs" || $conns != "$want_conns" || $errors != 0 ]]; then
    ok=no; echo "!! $name total: $msgs messages, $conns connections, $errors errors; expected $want_msgs, $want_conns, 0" >&2
  fi
  result="$msgs messages / $conns connections"
}
bhm_total bhm "$bhm_pid" "$bhm_w"
bhm_result=$result
bhmb_result=
if [[ -n $BHM_B_ARGS ]]; then
  bhm_total bhm-b "$bhmb_pid" "$bhmb_w"
  bhmb_result=$result
fi
sink_total=$(sink_mesg)
kill -TERM "$sink_w" 2>/dev/null || true
wait "$sink_w" 2>/dev/null || true
if [[ $sink_total != "$want_msgs" ]]; then
  ok=no; echo "!! smtp-sink total: $sink_total messages; expected $want_msgs" >&2
fi
load_end=$(load_avg)
elapsed=$(( $(date +%s) - t_start ))

summary=$(python3 - "$work/runs" "$MESSAGES" "${sinks[@]}" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
n = int(sys.argv[2])
sinks = sys.argv[3:]
out = []
for mode in ("conn", "-d"):
    med = {}
    for sink in sinks:
        r = [x for x in rows if x[0] == mode and x[1] == sink]
        rates = [float(x[3]) for x in r]
        cpu = sum(float(x[4]) for x in r)
        src = sum(float(x[5]) for x in r)
        med[sink] = statistics.median(rates)
        out.append(f"| {mode} | {sink} | {len(r)} | {med[sink]:,.0f} | {min(rates):,.0f} – {max(rates):,.0f} "
                   f"| {cpu / (n * len(r)) * 1e6:.1f} | {src / (n * len(r)) * 1e6:.1f} |")
    ratios = [("bhm", "smtp-sink")] + ([("bhm-b", "smtp-sink"), ("bhm-b", "bhm")] if "bhm-b" in sinks else [])
    for a, b in ratios:
        r_a = [float(x[3]) for x in rows if x[0] == mode and x[1] == a]
        r_b = [float(x[3]) for x in rows if x[0] == mode and x[1] == b]
        pairs = [p / q for q, p in zip(r_b, r_a)]
        out.append(f"| {mode} | **{a}/{b}** | | **{med[a] / med[b]:.2f}×** "
                   f"| pairs {min(pairs):.2f}× – {max(pairs):.2f}× | | |")
print("\n".join(out))
EOF
)

header='| mode | sink | runs | median msg/s | range msg/s | sink CPU µs/msg | smtp-source CPU µs/msg |
|---|---|---|---|---|---|---|'
echo
echo "== results (mode conn: one message per connection; -d: smtp-source -d)"
echo "$header"
echo "$summary"
echo "   bhm total: $bhm_result${BHM_B_ARGS:+; bhm-b total: $bhmb_result} (expected $want_msgs messages / $want_conns connections each); smtp-sink mesg=$sink_total; all delivered: $ok"
echo "   load average at end: $load_end; took ${elapsed} s"
echo
echo "== ready to paste into bench/RESULTS.md:"
cat <<EOF
### $started_at — bench/sink.sh, bhm $commit

- Machine: $(nproc) cores, Linux $(uname -r), $java_version, Postfix $postfix_version; shared machine, load average $load_start at start, $load_end at end.
- Command: \`RUNS=$RUNS${BHM_ARGS:+ BHM_ARGS=\"$BHM_ARGS\"}${BHM_B_ARGS:+ BHM_B_ARGS=\"$BHM_B_ARGS\"} bench/sink.sh\`${JAVA_OPTS:+ with JAVA_OPTS=\`$JAVA_OPTS\`} (smtp-source -s $SESSIONS -l $SIZE -m $MESSAGES, with and without -d; one discarded warm-up per sink and mode; runs rotate ${sinks[*]}).
- Sinks: \`smtp-sink -u nobody -c -m 1000 127.0.0.1:PORT 1000\` and \`bhm -p PORT -t 1000 --json --interval 1h${BHM_ARGS:+ $BHM_ARGS}\`${BHM_B_ARGS:+ and bhm-b with \`$BHM_B_ARGS\`}, all up for the whole benchmark.
- All delivered: $ok (bhm total $bhm_result${BHM_B_ARGS:+; bhm-b total $bhmb_result}; smtp-sink mesg=$sink_total). Took ${elapsed} s.

$header
$summary
EOF
[[ $ok == yes ]] || exit 1
