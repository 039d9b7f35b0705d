# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/lib.sh: the set-up the benchmarks here share, sourced by sink.sh, source.sh, rabid.sh and
# profile-bhm.sh after `set -euo pipefail`: checks that die with the script's name, the work directory
# and what stops at exit, free ports and the servers on them, CPU times, the machine's description,
# and the median and ratio cells of the results tables.
#
# Sourcing it sets here (bench/), repo (its parent) and clk_tck. Environment: BENCH_PORTS, the range
# pick_port picks from (default 20000-31999: below the ephemeral ports, doc/TRAPS.md).
# shellcheck shell=bash disable=SC2034  # the variables set here are the sourcing script's

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
bench_name=${BASH_SOURCE[1]##*/}
clk_tck=$(getconf CLK_TCK)
BENCH_PORTS=${BENCH_PORTS:-20000-31999}

die() { echo "$bench_name: $*" >&2; exit 1; }

# positive_integers NAME...: dies unless every variable named holds a positive integer.
positive_integers() {
  local v
  for v; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, not '${!v}'"
  done
}

# need TOOL...: dies unless every TOOL is a command; "ss (iproute2)" checks ss and names its package.
need() {
  local t
  for t; do command -v "${t%% *}" >/dev/null || die "needs $t"; done
}

# need_launcher NAME PATH: dies unless PATH is an executable, the launcher of our NAME.
need_launcher() {
  [[ -x $2 ]] || die "no $1 launcher at $2: build first (mvn -q -B -o -DskipTests package)"
}

# need_postfix: dies unless SMTP_SOURCE and SMTP_SINK are executables (Postfix's smtp-source and smtp-sink).
need_postfix() {
  [[ -x $SMTP_SOURCE && -x $SMTP_SINK ]] \
    || die "needs Postfix's smtp-source and smtp-sink: apt-get install -y --no-install-recommends postfix (preseed 'postfix postfix/main_mailer_type select No configuration')"
}

# need_root WHY: dies unless run as root.
need_root() { [[ $(id -u) == 0 ]] || die "run as root ($1)"; }

started=()        # pids of the `timeout` wrappers the script started (serve, or by hand)

# stop_started: SIGTERM to every started wrapper still running, then reaps them all.
stop_started() {
  local p
  for p in "${started[@]}"; do
    if kill -0 "$p" 2>/dev/null; then kill -TERM "$p" 2>/dev/null || true; fi
  done
  for p in "${started[@]}"; do wait "$p" 2>/dev/null || true; done
}

# exit_traps FUNCTION: runs FUNCTION at exit, also after SIGINT (exit 130) and SIGTERM (exit 143).
exit_traps() {
  # shellcheck disable=SC2064  # the function's name, now
  trap "$1" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# on_exit: whatever else the script stops at exit (rabid.sh: its Dovecot); redefine it to add some.
on_exit() { :; }

# make_work: creates $work, /tmp/bench-NAME.XXXXXX (mode 711: nobody's processes may reach files in
# it), and traps cleanup: at exit it stops the started wrappers, runs on_exit, and removes $work
# unless the script failed or KEEP=1.
make_work() {
  work=$(mktemp -d "/tmp/bench-${bench_name%.sh}.XXXXXX")
  chmod 711 "$work"
  exit_traps cleanup
}

cleanup() {
  local rc=$?
  stop_started
  on_exit
  if [[ $rc != 0 || ${KEEP:-0} == 1 ]]; then echo "$bench_name: work directory kept: $work" >&2
  else rm -rf -- "$work"; fi
  exit "$rc"
}

# pick_port [TAKEN...]: a loopback port in BENCH_PORTS, not one of TAKEN, with no socket on it in any state.
pick_port() {
  local p lo=${BENCH_PORTS%-*} hi=${BENCH_PORTS#*-}
  if ! [[ $BENCH_PORTS =~ ^[1-9][0-9]*-[1-9][0-9]*$ ]] || (( lo > hi || hi > 65535 )); then
    die "BENCH_PORTS must be FIRST-LAST, not '$BENCH_PORTS'"
  fi
  for _ in $(seq 1 200); do
    p=$(( lo + RANDOM % (hi - lo + 1) ))
    [[ " $* " == *" $p "* ]] && continue
    [[ -z $(ss -Htan "( sport = :$p or dport = :$p )") ]] && { echo "$p"; return; }
  done
  die "found no free port in $BENCH_PORTS"
}

# child_of PID: the single child of a `timeout` wrapper, the process that does the work.
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

# serve OUT PORT SECONDS COMMAND...: starts COMMAND in the background under `timeout -k 5 SECONDS`,
# its output in OUT.out and OUT.err, adds the wrapper to started and waits up to 30 s until something
# listens on PORT. Sets served_w to the wrapper's pid and served_pid to COMMAND's.
serve() {
  local out=$1 port=$2 secs=$3
  shift 3
  timeout -k 5 "$secs" "$@" >"$out.out" 2>"$out.err" &
  served_w=$!
  started+=("$served_w")
  for _ in $(seq 1 600); do
    if [[ -n $(ss -Hltn "sport = :$port") ]]; then
      served_pid=$(child_of "$served_w")
      return
    fi
    kill -0 "$served_w" 2>/dev/null || die "${out##*/} exited: $(head -c 300 "$out.err")"
    sleep 0.05
  done
  die "nothing listens on port $port after 30 s (${out##*/})"
}

# cpu_of PID: user+system CPU time of a process (all its threads) from /proc/PID/stat, in seconds.
cpu_of() {
  local s
  s=$(<"/proc/$1/stat")
  s=${s##*) }
  awk -v t="$clk_tck" '{ printf "%.2f\n", ($12 + $13) / t }' <<<"$s"
}

# sink_mesg: smtp-sink's last mesg= count in $work/smtp-sink.out (it rewrites that line with \r).
sink_mesg() {
  tr '\r' '\n' <"$work/smtp-sink.out" | grep -o 'mesg=[0-9]*' | tail -n 1 | cut -d= -f2 || true
}

# jtotal FILE KEY...: the values of KEYs in FILE's last "type":"total" JSON line, space-separated
# (empty ones where there is no such line or key).
jtotal() {
  python3 -c '
import json, sys
lines = [l for l in open(sys.argv[1]) if "\"type\":\"total\"" in l]
t = json.loads(lines[-1]) if lines else {}
print(" ".join(str(t.get(k, "")) for k in sys.argv[2:]))' "$@"
}

load_avg() { cut -d' ' -f1-3 /proc/loadavg; }

postfix_release() { postconf -d mail_version 2>/dev/null | sed 's/.*= //' || echo unknown; }

# note_start: what the results name and when the benchmark began: java_version, commit (short hash,
# "+dirty" with uncommitted changes to tracked files), load_start, started_at (UTC) and t_start.
note_start() {
  java_version=$(java -version 2>&1 | head -n 1)
  commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
  local dirty
  dirty=$(git -C "$repo" status --porcelain 2>/dev/null | grep -v '^??' | head -n 1 || true)
  [[ -n $dirty ]] && commit="$commit+dirty"
  load_start=$(load_avg)
  started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
  t_start=$(date +%s)
}

# machine_lines: the lines under a benchmark's title: cores, kernel, Java (JAVA_OPTS too), load average.
machine_lines() {
  echo "   $(nproc) cores, kernel $(uname -r), $java_version${JAVA_OPTS:+, JAVA_OPTS=$JAVA_OPTS}"
  echo "   load average at start: $load_start"
}

# note_end: load_end, and elapsed (whole seconds since note_start).
note_end() {
  load_end=$(load_avg)
  elapsed=$(( $(date +%s) - t_start ))
}

# paste_title: the last line of the results, then the title of the block for bench/RESULTS.md.
paste_title() {
  echo "   load average at end: $load_end; took ${elapsed} s"
  echo
  echo "== ready to paste into bench/RESULTS.md:"
}

# machine_item SERVER: the block's "- Machine:" line; SERVER names the anchor's server and version.
machine_item() {
  echo "- Machine: $(nproc) cores, Linux $(uname -r), $java_version, $1; shared machine, load average $load_start at start, $load_end at end."
}

# summarize ARG... <<'EOF' PYTHON: runs PYTHON (ARGs in sys.argv[1:]) with the results table's cells:
# rate_cells(rates), "median | min – max" of a list of msg/s; ratio_cells(a, b), "**ratio×** | pairs
# low× – high×", the ratio of the medians of a and b and the range of the per-pair ratios a[i]/b[i].
summarize() {
  python3 -c '
import statistics
def rate_cells(rates):
    return f"{statistics.median(rates):,.0f} | {min(rates):,.0f} – {max(rates):,.0f}"
def ratio_cells(a, b):
    pairs = [p / q for p, q in zip(a, b)]
    return f"**{statistics.median(a) / statistics.median(b):.2f}×** | pairs {min(pairs):.2f}× – {max(pairs):.2f}×"
'"$(cat)" "$@"
}
