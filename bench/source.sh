#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/source.sh: throughput of our load generator `postal` against Postfix's `smtp-source` (the
# anchor) and the original postal 0.76, all sending to one Postfix `smtp-sink`.
#
# One smtp-sink runs for the whole benchmark on a loopback port chosen here. Generators, 20
# connections and 4 KiB bodies each:
#   smtp-source  smtp-source -s 20 -l 4096 -m 20000 [-d] 127.0.0.1:PORT
#   postal       postal -t 20 -m 4 -M 4 -c 1|-1 --count 20000 --json -p PORT 127.0.0.1 users
#   postal-0.76  postal -p PORT -t 20 -m 4 -M 4 [-c 0] 127.0.0.1 users, SIGINT after T s, SIGKILL 5 s later
# in two modes: "conn" (one message per connection) and "reuse" (smtp-source -d, postal -c -1, and
# 0.76's -c 0, which in the 0.76 binary means unlimited on one connection). 0.76 has no count option:
# it runs T seconds, then gets SIGINT (which stops new messages) and 5 s later SIGKILL (doc/TRAPS.md:
# it never exits on its own), as under `timeout -s INT -k 5 T`. Per mode: one discarded warm-up of
# each generator (postal's JIT compiles during it), then RUNS rounds alternating smtp-source,
# postal, postal-0.76.
#
# Per run: messages/s over the generator's whole wall time (monotonic clock, JVM start-up included
# for postal; for 0.76 the T seconds until its SIGINT), postal's own rate (from its JSON total,
# start-up excluded), the generator's CPU time per message (utime+stime of its process tree, from
# getrusage(RUSAGE_CHILDREN), the same ticks /proc/PID/stat counts; for 0.76, /proc/PID/stat itself
# just before its SIGKILL), and smtp-sink's CPU per message
# (/proc/PID/stat). Every run is checked: smtp-sink's mesg= counter must grow by exactly what the
# generator says it delivered (smtp-source: MESSAGES; postal: its JSON total, which must be
# MESSAGES with no errors; 0.76: its postal.log lines, except that the SIGKILL loses the lines of
# up to one message per connection, so a 0.76 run smtp-sink counts up to SESSIONS more of is
# credited with smtp-sink's count and the lost lines are reported, not failed).
#
# Usage:  bench/source.sh                      (RUNS=3, 300,000 messages a run; about 10 minutes)
#         RUNS=5 MESSAGES=20000 bench/source.sh  (short runs, about 5 minutes)
# Runs of 300,000 messages (30-45 s) measure the sustained rate a load generator is for; in a run of
# 20,000 (1-3 s) postal's JVM start-up (0.3 s) and warm-up weigh as much as its sending, and postal
# compiles with C1 alone (the launcher's short_run), as it does for any run that short.
# Environment: RUNS (3), SESSIONS (20), MESSAGES (300000), SIZE_KIB (4), T076 (seconds per 0.76 run, 10),
#              POSTAL, POSTAL076 (default /opt/postal-0.76/usr/sbin/postal; skipped if missing),
#              POSTAL_ARGS (extra options for postal), JAVA_OPTS, RUN_TIMEOUT (300), KEEP=1.
# Needs: postfix (smtp-source, smtp-sink), python3, ss, a built postal. Run as root (smtp-sink -u nobody).
# Nothing is written to bench/RESULTS.md: a ready-to-paste markdown block is printed instead.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS=${RUNS:-3}
SESSIONS=${SESSIONS:-20}
MESSAGES=${MESSAGES:-300000}
SIZE_KIB=${SIZE_KIB:-4}
T076=${T076:-10}
POSTAL=${POSTAL:-$repo/daemon/target/dist/bin/postal}
POSTAL076=${POSTAL076:-/opt/postal-0.76/usr/sbin/postal}
POSTAL_ARGS=${POSTAL_ARGS:-}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
KEEP=${KEEP:-0}
SMTP_SOURCE=${SMTP_SOURCE:-/usr/sbin/smtp-source}
SMTP_SINK=${SMTP_SINK:-/usr/sbin/smtp-sink}

positive_integers RUNS SESSIONS MESSAGES SIZE_KIB T076 RUN_TIMEOUT
need_postfix
need_launcher postal "$POSTAL"
need python3 "ss (iproute2)"
need_root "smtp-sink is started with -u nobody"

make_work
gens=(smtp-source postal)
[[ -x $POSTAL076 ]] && gens+=(postal-0.76) || echo "source.sh: no $POSTAL076; postal-0.76 left out" >&2
ngen=${#gens[@]}
sink_timeout=$(( 2 * ngen * (RUNS + 1) * RUN_TIMEOUT + 120 ))
size=$(( SIZE_KIB * 1024 ))

postfix_version=$(postfix_release)
note_start

for i in 1 2 3 4 5 6 7 8 9 10; do echo "user$i@example.com"; done >"$work/users"
sink_port=$(pick_port)
sink_cmd=("$SMTP_SINK" -u nobody -c -m 1000 "127.0.0.1:$sink_port" 1000)
read -r -a postal_extra <<<"$POSTAL_ARGS"

echo "== bench/source.sh: postal ($commit) vs smtp-source (Postfix $postfix_version)${gens[2]:+ vs postal 0.76}, into one smtp-sink"
machine_lines
echo "   smtp-sink:   ${sink_cmd[*]}"

serve "$work/smtp-sink" "$sink_port" "$sink_timeout" "${sink_cmd[@]}"
sink_w=$served_w sink_pid=$served_pid

# gen_cmd GEN MODE: the generator's command line into the array cmd.
gen_cmd() {
  case $1 in
    smtp-source)
      cmd=("$SMTP_SOURCE" -s "$SESSIONS" -l "$size" -m "$MESSAGES")
      [[ $2 == reuse ]] && cmd=("$SMTP_SOURCE" -d -s "$SESSIONS" -l "$size" -m "$MESSAGES")
      cmd+=("127.0.0.1:$sink_port") ;;
    postal)
      cmd=("$POSTAL" -t "$SESSIONS" -m "$SIZE_KIB" -M "$SIZE_KIB" -c "$( [[ $2 == reuse ]] && echo -1 || echo 1)"
           --count "$MESSAGES" --json --interval 1h ${postal_extra[@]+"${postal_extra[@]}"}
           -p "$sink_port" 127.0.0.1 "$work/users") ;;
    postal-0.76)
      # 0.76's -c 0 is "unlimited on one connection" (the man page says -1; doc/POSTAL-0.76.md 3.1).
      # run() bounds it itself, as `timeout -s INT -k 5 T076` would (see there).
      cmd=("$POSTAL076" -p "$sink_port" -t "$SESSIONS" -m "$SIZE_KIB" -M "$SIZE_KIB")
      [[ $2 == reuse ]] && cmd+=(-c 0)
      cmd+=(127.0.0.1 "$work/users") ;;
  esac
}
for mode in conn reuse; do
  for g in "${gens[@]}"; do gen_cmd "$g" "$mode"; echo "   $mode $(printf '%-11s' "$g") ${cmd[*]}"; done
done

fails=0
lost076=0
# run GEN MODE KIND -> appends "mode gen seconds msg_per_s sent gen_cpu sink_cpu own_rate" to $work/KIND.
run() {
  local gen=$1 mode=$2 kind=$3 out secs cpu rc m0 m1 c0 c1 sent own=- rdir
  rdir=$work/run.$gen.$mode.$kind.$(date +%s%N)
  mkdir -p "$rdir"
  gen_cmd "$gen" "$mode"
  m0=$(sink_mesg); m0=${m0:-0}
  c0=$(cpu_of "$sink_pid")
  if [[ $gen == postal-0.76 ]]; then
    # What `timeout -s INT -k 5 T076` does, by hand: that timeout kills its own process group
    # with the SIGKILL before reaping 0.76, so getrusage would never see 0.76's CPU. Here the
    # first SIGINT comes at T076 (0.76 then starts no message and finishes those in flight),
    # 0.76's CPU is read from /proc/PID/stat 5 s later, just before the SIGKILL it needs
    # (doc/TRAPS.md: it ignores the first SIGINT and hangs on the second).
    (cd "$rdir" && exec "${cmd[@]}") </dev/null >"$rdir/out.gen" 2>"$rdir/err" &
    local pid=$!
    started+=("$pid")
    sleep "$T076"
    kill -INT "$pid" 2>/dev/null || true
    sleep 5
    cpu=$(cpu_of "$pid" 2>/dev/null || echo 0)
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    secs=$T076 rc=0
  else
    python3 "$here/timer.py" "$rdir" "$rdir/timed" timeout -k 5 "$RUN_TIMEOUT" "${cmd[@]}" \
      </dev/null >"$rdir/out.gen" 2>"$rdir/err"
    read -r secs cpu rc <"$rdir/timed"
  fi
  case $gen in
    smtp-source)
      [[ $rc == 0 && ! -s $rdir/err ]] || die "smtp-source ($mode) failed (exit $rc): $(head -c 300 "$rdir/err")"
      sent=$MESSAGES ;;
    postal)
      [[ $rc == 0 ]] || die "postal ($mode) failed (exit $rc): $(tail -n 2 "$rdir/err")"
      read -r sent own errs <<<"$(jtotal "$rdir/out.gen" messages rate errors)"
      if [[ $sent != "$MESSAGES" || $errs != 0 ]]; then
        echo "!! postal ($mode) delivered $sent of $MESSAGES with $errs errors" >&2; fails=$((fails + 1))
      fi ;;
    postal-0.76)
      sent=$(grep -cE '^[0-9a-f]{32} <[^>]*> <[^>]*>$' "$rdir/postal.log" 2>/dev/null || echo 0)
      secs=$T076 ;;
  esac
  sleep 0.2                                      # let smtp-sink close the last sessions
  c1=$(cpu_of "$sink_pid")
  for _ in $(seq 1 50); do
    m1=$(sink_mesg); m1=${m1:-0}
    (( m1 - m0 >= sent )) && break
    sleep 0.1
  done
  if [[ $gen == postal-0.76 ]] && (( m1 - m0 > sent && m1 - m0 - sent <= SESSIONS )); then
    # 0.76 is SIGKILLed, and the log lines of messages it had sent but not yet written are lost
    # (at most one per connection): smtp-sink's count is the one used for it.
    lost076=$((lost076 + m1 - m0 - sent))
    sent=$((m1 - m0))
  elif (( m1 - m0 != sent )); then
    echo "!! smtp-sink counted $((m1 - m0)) messages in a $gen run that delivered $sent" >&2; fails=$((fails + 1))
  fi
  awk -v m="$mode" -v g="$gen" -v t="$secs" -v n="$sent" -v c="$cpu" -v s="$(awk -v a="$c0" -v b="$c1" 'BEGIN{print b-a}')" -v o="$own" \
    'BEGIN { printf "%s %s %.3f %.0f %d %.2f %.2f %s\n", m, g, t, n / t, n, c, s, o }' >>"$work/$kind"
  tail -n 1 "$work/$kind" | awk -v k="${kind%s}" \
    '{ printf "   %-5s %-11s %-7s %7.3f s %6d msgs %8s msg/s%s  gen CPU %6.2f s  sink CPU %5.2f s\n", $1, $2, k, $3, $5, $4, ($8 == "-" ? "" : sprintf(" (own %.0f/s)", $8)), $6, $7 }'
}

for mode in conn reuse; do
  echo "-- mode $mode: $( [[ $mode == reuse ]] && echo 'every message of a slot on one connection (smtp-source -d, postal -c -1, 0.76 -c 0)' || echo 'one message per connection')"
  echo "   warm-up (discarded; postal's JIT compiles during it):"
  for g in "${gens[@]}"; do run "$g" "$mode" warmups; done
  echo "   measured, alternating:"
  for _ in $(seq 1 "$RUNS"); do
    for g in "${gens[@]}"; do run "$g" "$mode" runs; done
  done
done

sink_total=$(sink_mesg)
want_total=$(awk '{ s += $5 } END { print s }' "$work/warmups" "$work/runs")
kill -TERM "$sink_w" 2>/dev/null || true
wait "$sink_w" 2>/dev/null || true
[[ $sink_total == "$want_total" ]] || { echo "!! smtp-sink total mesg=$sink_total, runs delivered $want_total" >&2; fails=$((fails + 1)); }
note_end

summary=$(summarize "$work/runs" "${gens[@]}" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
gens = sys.argv[2:]
out = []
for mode in ("conn", "reuse"):
    rates = {}
    for g in gens:
        r = [x for x in rows if x[0] == mode and x[1] == g]
        rates[g] = [float(x[3]) for x in r]
        sent = sum(int(x[4]) for x in r)
        cpu = sum(float(x[5]) for x in r)
        sink = sum(float(x[6]) for x in r)
        own = [float(x[7]) for x in r if x[7] != "-"]
        owns = f"{statistics.median(own):,.0f}" if own else ""
        out.append(f"| {mode} | {g} | {len(r)} | {rate_cells(rates[g])} | {owns} "
                   f"| {cpu / sent * 1e6:.1f} | {sink / sent * 1e6:.1f} |")
    for a, b in (("postal", "smtp-source"), ("postal", "postal-0.76")):
        if b in gens:
            out.append(f"| {mode} | **{a}/{b}** | | {ratio_cells(rates[a], rates[b])} | | | |")
print("\n".join(out))
EOF
)
header='| mode | generator | runs | median msg/s (wall) | range msg/s | postal own msg/s (median) | generator CPU µs/msg | smtp-sink CPU µs/msg |
|---|---|---|---|---|---|---|---|'
ok=$([[ $fails == 0 ]] && echo yes || echo "no ($fails mismatches)")
(( lost076 == 0 )) || ok="$ok (0.76 runs: smtp-sink's count, $lost076 more than the lines of 0.76's postal.log, which loses them when killed)"
echo
echo "== results (conn: one message per connection; reuse: smtp-source -d / postal -c -1 / 0.76 -c 0)"
echo "$header"
echo "$summary"
echo "   smtp-sink mesg=$sink_total (runs delivered $want_total); every run counted exactly: $ok"
paste_title
cat <<EOF
### $started_at — bench/source.sh, postal $commit

$(machine_item "Postfix $postfix_version")
- Command: \`RUNS=$RUNS${POSTAL_ARGS:+ POSTAL_ARGS=\"$POSTAL_ARGS\"} bench/source.sh\`${JAVA_OPTS:+ with JAVA_OPTS=\`$JAVA_OPTS\`}: $SESSIONS connections, $SIZE_KIB KiB bodies, $MESSAGES messages per smtp-source/postal run, postal 0.76 for ${T076} s per run; one discarded warm-up per generator and mode; runs rotate ${gens[*]}; one \`${sink_cmd[*]/$sink_port/PORT}\` for everything.
- Every run counted exactly by smtp-sink: $ok (mesg=$sink_total). Took ${elapsed} s.

$header
$summary
EOF
[[ $fails == 0 ]] || exit 1
