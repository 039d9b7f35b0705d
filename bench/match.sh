#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/match.sh: how long postal-match takes, and how much memory it holds, for MESSAGES accepted
# messages (default 10 million), and what the ledger costs postal.
#
# Part 1 (match): writes a postal ledger of MESSAGES accepted messages in one run and a bhm ledger
# that received all of them but LOST (lost), DUP (received twice) and BAD (corrupt) of them, both in
# the postal-ledger(5) format, with awk; then times `postal-match --json` over the two (wall and CPU
# seconds, peak resident memory from /usr/bin/time's maxrss) and checks its counts against what was
# generated. Target: 10 million in <= 60 s and <= 1 GiB resident on a 2-core machine.
#
# Part 2 (overhead, skipped with OVERHEAD=0): postal against our bhm on loopback, OMESSAGES messages
# with 20 connections, RUNS rounds alternating --ledger off and on, and postal's CPU seconds per
# 1000 messages each way (utime+stime of its process tree from getrusage(RUSAGE_CHILDREN), through
# bench/timer.py) with the ratio on/off. Target: <= 1.05.
#
# Usage:  bench/match.sh                           (10 million; about 3 minutes plus the overhead runs)
#         MESSAGES=1000000 OVERHEAD=0 bench/match.sh
#         MESSAGES=0 RUNS=9 OMESSAGES=300000 bench/match.sh   (the overhead alone)
# Environment: MESSAGES (10000000), LOST (1000), DUP (1000), BAD (1000), OVERHEAD (1), OMESSAGES (100000),
#              RUNS (3), MATCH, POSTAL, BHM (default daemon/target/dist/bin/...), JAVA_OPTS, KEEP=1.
# Needs: awk, /usr/bin/time, python3, a built tree. Nothing is written to bench/RESULTS.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
MESSAGES=${MESSAGES:-10000000}
LOST=${LOST:-1000}
DUP=${DUP:-1000}
BAD=${BAD:-1000}
OVERHEAD=${OVERHEAD:-1}
OMESSAGES=${OMESSAGES:-100000}
RUNS=${RUNS:-3}
MATCH=${MATCH:-$top/daemon/target/dist/bin/postal-match}
POSTAL=${POSTAL:-$top/daemon/target/dist/bin/postal}
BHM=${BHM:-$top/daemon/target/dist/bin/bhm}
work=$(mktemp -d /tmp/postal-match-bench.XXXXXX)
bhm_pid=
cleanup() {
  [ -n "$bhm_pid" ] && kill "$bhm_pid" 2>/dev/null && wait "$bhm_pid" 2>/dev/null
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT

# ---- part 1: the match (skipped with MESSAGES=0)
match_part() {
run=5EED5EED5EED5EED
start=1796600000000
echo "generating ledgers of $MESSAGES messages in $work ..." >&2
gen_start=$(date +%s)
awk -v n="$MESSAGES" -v run="$run" -v t0="$start" 'BEGIN {
  OFS = "\t"
  print "#postal-ledger v1 program=postal name=bench run=" run " started=2026-12-07T00:00:00Z"
  print "time", "run", "seq", "rcpt", "outcome", "code", "phase", "intended", "text"
  for (i = 0; i < n; i++) {
    t = t0 + int(i / 10)
    print t, run, i, "user" (i % 1000) "@example.com", "accepted", 250, "END_OF_DATA", t - 3, "2.0.0 Ok: queued as Q" i
  }
  print "#end records=" n " time=" (t0 + int(n / 10) + 60000)
}' >"$work/postal.ledger"
awk -v n="$MESSAGES" -v run="$run" -v t0="$start" -v lost="$LOST" -v dup="$DUP" -v bad="$BAD" 'BEGIN {
  OFS = "\t"
  print "#postal-ledger v1 program=bhm name=bench started=2026-12-07T00:00:00Z"
  print "time", "run", "seq", "rcpt", "outcome", "code", "phase", "intended", "text"
  # every 1000th message from 500 on is lost, dup-th from 700 duplicated, bad-th from 900 corrupt
  step = int(n / (lost > 0 ? lost : 1)); if (step < 1) step = 1
  for (i = 0; i < n; i++) {
    r = i % step
    if (lost > 0 && r == 0 && int(i / step) < lost) continue
    t = t0 + int(i / 10) + 1 + (i % 50)
    v = (bad > 0 && r == 2 && int(i / step) < bad) ? "corrupt" : "verified"
    line = t OFS run OFS i OFS "user" (i % 1000) "@example.com" OFS v OFS OFS OFS OFS
    print line
    if (dup > 0 && r == 1 && int(i / step) < dup) print line
  }
  print "#end records=0 time=" (t0 + int(n / 10) + 60000)
}' >"$work/bhm.ledger"
gen_end=$(date +%s)
echo "generated in $((gen_end - gen_start)) s: $(du -h "$work/postal.ledger" | cut -f1) + $(du -h "$work/bhm.ledger" | cut -f1)" >&2

set +e
/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$MATCH" --json --examples 3 "$work/postal.ledger" "$work/bhm.ledger" \
  >"$work/match.json" 2>"$work/match.err"
status=$?
set -e
read -r wall user sys rss_kib < <(tail -1 "$work/time")
python3 - "$work/match.json" "$MESSAGES" "$LOST" "$DUP" "$BAD" "$status" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
n, lost, dup, bad, status = map(int, sys.argv[2:])
t = r["total"]
want = {"accepted": n, "lost": lost, "duplicated": dup, "corrupted": bad,
        "delivered_once": n - lost - dup - bad, "unexpected": 0, "in_flight": 0}
wrong = {k: (t[k], v) for k, v in want.items() if t[k] != v}
if wrong or status != 1:
    sys.exit("postal-match counted wrong (got, want): %s, exit %d" % (wrong, status))
PY
echo
echo "### postal-match, $MESSAGES accepted messages ($LOST lost, $DUP duplicated, $BAD corrupt)"
echo
echo "| messages | wall s | CPU s (user+sys) | peak RSS MiB | counts |"
echo "|---:|---:|---:|---:|---|"
printf '| %d | %s | %.1f | %d | exact |\n' "$MESSAGES" "$wall" "$(echo "$user + $sys" | bc)" $((rss_kib / 1024))
}
[ "$MESSAGES" = 0 ] || match_part

# ---- part 2: the ledger's cost to postal
[ "$OVERHEAD" = 1 ] || exit 0
. "$top/tests/lib/harness.sh" # free_port, wait_port (no harness_init: a bench, not a suite)
port=$(free_port)
for i in 1 2 3 4; do echo "user$i@example.com"; done >"$work/users"
"$BHM" --port "$port" --control-dir "$work" --log-dir "$work" --interval 1h >"$work/bhm.out" 2>&1 &
bhm_pid=$!
wait_port "$port" "$bhm_pid" 10 || { echo "bhm did not listen on $port" >&2; exit 1; }
cpu_of() { # cpu_of LEDGER_ARGS...: prints postal's CPU seconds for OMESSAGES messages
  python3 "$here/timer.py" "$work" "$work/timed" "$POSTAL" -t 20 -m 4 -M 4 -c -1 --count "$OMESSAGES" --json \
    -p "$port" --control-dir "$work" --log-dir "$work" "$@" 127.0.0.1 "$work/users" >/dev/null 2>>"$work/postal.err"
  read -r _ cpu rc <"$work/timed"
  [ "$rc" = 0 ] || { echo "postal exited $rc" >&2; exit 1; }
  echo "$cpu"
}
echo
echo "### ledger overhead: postal CPU per 1000 messages, $OMESSAGES messages x $RUNS, ledger off / on"
echo
echo "| round | off: CPU ms/1000 msg | on: CPU ms/1000 msg | on/off |"
echo "|---:|---:|---:|---:|"
for r in $(seq "$RUNS"); do
  off=$(cpu_of)
  rm -f "$work/postal.ledger.on"
  on=$(cpu_of --ledger "$work/postal.ledger.on")
  lines=$(grep -c "	accepted	" "$work/postal.ledger.on" || true)
  [ "$lines" = "$OMESSAGES" ] || { echo "ledger has $lines accepted lines, not $OMESSAGES" >&2; exit 1; }
  python3 - "$r" "$off" "$on" "$OMESSAGES" <<'PY'
import sys
r, off, on, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print("| %s | %.1f | %.1f | %.3f |" % (r, off * 1e6 / n, on * 1e6 / n, on / off))
PY
done
