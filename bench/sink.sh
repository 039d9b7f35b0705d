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

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
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

positive_integers RUNS SESSIONS MESSAGES SIZE RUN_TIMEOUT
need_postfix
need_launcher bhm "$BHM"
need python3 "ss (iproute2)"
need_root "smtp-sink is started with -u nobody"

make_work
sinks=(smtp-sink bhm)
[[ -n $BHM_B_ARGS ]] && sinks+=(bhm-b)
# Whole-benchmark bound for the sinks: 2 modes x sinks x (RUNS+1) runs of RUN_TIMEOUT, plus slack.
sink_timeout=$(( 2 * ${#sinks[@]} * (RUNS + 1) * RUN_TIMEOUT + 120 ))

postfix_version=$(postfix_release)
note_start

sink_port=$(pick_port)
bhm_port=$(pick_port "$sink_port")
bhmb_port=$(pick_port "$sink_port" "$bhm_port")

sink_cmd=("$SMTP_SINK" -u nobody -c -m 1000 "127.0.0.1:$sink_port" 1000)
read -r -a bhm_extra <<<"$BHM_ARGS"
bhm_cmd=("$BHM" -p "$bhm_port" -t 1000 --json --interval 1h ${bhm_extra[@]+"${bhm_extra[@]}"})
read -r -a bhmb_extra <<<"$BHM_B_ARGS"
bhmb_cmd=("$BHM" -p "$bhmb_port" -t 1000 --json --interval 1h ${bhmb_extra[@]+"${bhmb_extra[@]}"})

echo "== bench/sink.sh: smtp-sink (Postfix $postfix_version) vs bhm ($commit)"
machine_lines
echo "   smtp-sink: ${sink_cmd[*]}"
echo "   bhm:       ${bhm_cmd[*]}"
[[ -n $BHM_B_ARGS ]] && echo "   bhm-b:     ${bhmb_cmd[*]}"

serve "$work/smtp-sink" "$sink_port" "$sink_timeout" "${sink_cmd[@]}"
sink_w=$served_w sink_pid=$served_pid
serve "$work/bhm" "$bhm_port" "$sink_timeout" "${bhm_cmd[@]}"
bhm_w=$served_w bhm_pid=$served_pid
if [[ -n $BHM_B_ARGS ]]; then
  serve "$work/bhm-b" "$bhmb_port" "$sink_timeout" "${bhmb_cmd[@]}"
  bhmb_w=$served_w bhmb_pid=$served_pid
fi

# run SINK MODE KIND -> appends "mode sink seconds msg_per_s sink_cpu source_cpu" to $work/KIND
# (KIND: runs or warmups).
run() {
  local sink=$1 mode=$2 kind=$3 port pid args secs src_cpu rc c0 c1 m0 m1
  case $sink in
    smtp-sink) port=$sink_port pid=$sink_pid ;;
    bhm) port=$bhm_port pid=$bhm_pid ;;
    bhm-b) port=$bhmb_port pid=$bhmb_pid ;;
  esac
  args=(-s "$SESSIONS" -l "$SIZE" -m "$MESSAGES")
  [[ $mode == -d ]] && args=(-d "${args[@]}")
  m0=$(sink_mesg); m0=${m0:-0}
  c0=$(cpu_of "$pid")
  python3 "$here/timer.py" "$work" "$work/timed" timeout -k 5 "$RUN_TIMEOUT" "$SMTP_SOURCE" "${args[@]}" "127.0.0.1:$port" \
    </dev/null >"$work/source.out" 2>"$work/source.err"
  read -r secs src_cpu rc <"$work/timed"
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
  local name=$1 pid=$2 w=$3 msgs conns errors
  kill -TERM "$pid"
  wait "$w" || true
  read -r msgs conns errors <<<"$(jtotal "$work/$name.out" messages connections errors)"
  [[ -n $msgs ]] || die "$name printed no total line; see $work/$name.out and $work/$name.err"
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
note_end

summary=$(summarize "$work/runs" "$MESSAGES" "${sinks[@]}" <<'EOF'
import sys
rows = [l.split() for l in open(sys.argv[1])]
n = int(sys.argv[2])
sinks = sys.argv[3:]
out = []
for mode in ("conn", "-d"):
    rates = {}
    for sink in sinks:
        r = [x for x in rows if x[0] == mode and x[1] == sink]
        rates[sink] = [float(x[3]) for x in r]
        cpu = sum(float(x[4]) for x in r)
        src = sum(float(x[5]) for x in r)
        out.append(f"| {mode} | {sink} | {len(r)} | {rate_cells(rates[sink])} "
                   f"| {cpu / (n * len(r)) * 1e6:.1f} | {src / (n * len(r)) * 1e6:.1f} |")
    ratios = [("bhm", "smtp-sink")] + ([("bhm-b", "smtp-sink"), ("bhm-b", "bhm")] if "bhm-b" in sinks else [])
    for a, b in ratios:
        out.append(f"| {mode} | **{a}/{b}** | | {ratio_cells(rates[a], rates[b])} | | |")
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
paste_title
cat <<EOF
### $started_at — bench/sink.sh, bhm $commit

$(machine_item "Postfix $postfix_version")
- Command: \`RUNS=$RUNS${BHM_ARGS:+ BHM_ARGS=\"$BHM_ARGS\"}${BHM_B_ARGS:+ BHM_B_ARGS=\"$BHM_B_ARGS\"} bench/sink.sh\`${JAVA_OPTS:+ with JAVA_OPTS=\`$JAVA_OPTS\`} (smtp-source -s $SESSIONS -l $SIZE -m $MESSAGES, with and without -d; one discarded warm-up per sink and mode; runs rotate ${sinks[*]}).
- Sinks: \`smtp-sink -u nobody -c -m 1000 127.0.0.1:PORT 1000\` and \`bhm -p PORT -t 1000 --json --interval 1h${BHM_ARGS:+ $BHM_ARGS}\`${BHM_B_ARGS:+ and bhm-b with \`$BHM_B_ARGS\`}, all up for the whole benchmark.
- All delivered: $ok (bhm total $bhm_result${BHM_B_ARGS:+; bhm-b total $bhmb_result}; smtp-sink mesg=$sink_total). Took ${elapsed} s.

$header
$summary
EOF
[[ $ok == yes ]] || exit 1
