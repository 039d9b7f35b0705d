#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/rabid.sh: throughput of our POP3 reader `rabid` against 0.76's `rabid` (the anchor), both
# reading from the same private Dovecot 2.3 (tests/dovecot/dovecot-up).
#
# One Dovecot with USERS accounts runs for the whole benchmark. Before every run our `postal` fills the
# mailboxes over LMTP with MESSAGES messages (`postal -L --hash md5-lp64 --count MESSAGES -m SIZE -M SIZE`,
# md5-lp64 because that is the only X-PostalHash 0.76 computes); then one reader empties them in POP3 mode
# with CONNECTIONS sessions and `-d 100:100` (retrieve, verify and delete every message):
#   ours: `rabid -p CONNECTIONS -d 100:100 --count MESSAGES --json`; it stops by itself, elapsed time is
#         a monotonic clock around the whole process (JVM start-up included), the count its JSON total;
#   0.76: `timeout -s INT -k 5 T rabid -p CONNECTIONS -d 100:100 [127.0.0.1]PORT users` (it has no count
#         or duration option and ignores the first SIGINT); completion is detected by polling the maildirs
#         every POLL_MS until none holds a message (bounded by RUN_TIMEOUT), elapsed is the time until
#         then, and it is stopped with SIGTERM at once (it has no SIGTERM handler; rabid.log is written
#         unbuffered). The same poller runs during our runs too, so both bear its cost.
# One discarded warm-up run each, then RUNS runs alternating 0.76, ours, 0.76, ours, ... The script prints
# every run, the medians and ranges of messages/s, the ratio ours/0.76 (medians, and the range of the
# per-pair ratios), the CPU per message of each reader (utime+stime: ours from the rusage of the finished
# process, 0.76's from /proc/PID/stat at the moment the maildirs were empty) and of Dovecot (utime+stime
# of the master and every live descendant, plus the reaped children's cutime+cstime, from /proc before and
# after the run), how many cores each used, and which side limits the throughput.
# Every run is verified: before it the maildirs hold exactly MESSAGES (postal's JSON total too, no errors);
# after it they are empty; ours: exit 0, JSON messages == verified == MESSAGES, corrupt 0, errors 0;
# both: rabid.log has exactly MESSAGES lines and each is a 32-hex hash (so no "MD5 mis-match" line and no
# message read twice), no "MD5 mis-match" on stderr, no new Error/Fatal/Panic line in dovecot.log.
#
# Usage:  bench/rabid.sh                       (RUNS=3, 48,000 messages a run; about 12 minutes,
#                                               most of it filling the mailboxes over LMTP)
#         RUNS=5 MESSAGES=12000 bench/rabid.sh   (short runs, about 5 minutes)
# A 48,000-message run (5-7 s of reading) measures the sustained rate; in a 12,000-message one
# (1.5-2 s) our rabid's JVM start-up and JIT warm-up cost about as much CPU as the reading.
# Environment: RUNS (3), USERS (20), CONNECTIONS (10), MESSAGES (48000), SIZE (4, KiB), FILL_CONNECTIONS (4),
#              SEED (1, postal's --seed for every fill), POLL_MS (10), RUN_TIMEOUT (300 s per run),
#              RABID, POSTAL (our launchers), OLD_RABID (/opt/postal-0.76/usr/sbin/rabid), JAVA_OPTS,
#              RABID_ARGS (extra options for our rabid), KEEP=1 (keep the work directory and Dovecot's).
# Needs: dovecot-core, dovecot-pop3d, dovecot-imapd, dovecot-lmtpd, openssl (tests/dovecot/dovecot-up),
#        0.76's rabid (apt-get download postal && dpkg -x postal_*.deb /opt/postal-0.76), python3, a built
#        postal and rabid (mvn -q -B -o -DskipTests package). Run as root (Dovecot's mail belongs to nobody).
# Nothing is written to bench/RESULTS.md: a ready-to-paste markdown block is printed instead.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS=${RUNS:-3}
USERS=${USERS:-20}
CONNECTIONS=${CONNECTIONS:-10}
MESSAGES=${MESSAGES:-48000}
SIZE=${SIZE:-4}
FILL_CONNECTIONS=${FILL_CONNECTIONS:-4}
SEED=${SEED:-1}
POLL_MS=${POLL_MS:-10}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
KEEP=${KEEP:-0}
RABID=${RABID:-$repo/daemon/target/dist/bin/rabid}
POSTAL=${POSTAL:-$repo/daemon/target/dist/bin/postal}
OLD_RABID=${OLD_RABID:-/opt/postal-0.76/usr/sbin/rabid}
RABID_ARGS=${RABID_ARGS:-}

positive_integers RUNS USERS CONNECTIONS MESSAGES SIZE FILL_CONNECTIONS POLL_MS RUN_TIMEOUT
[[ $SEED =~ ^-?[0-9]+$ ]] || die "SEED must be an integer, not '$SEED'"
(( CONNECTIONS <= USERS )) || die "CONNECTIONS ($CONNECTIONS) must not exceed USERS ($USERS): 0.76's rabid spins forever looking for a free account"
need_launcher rabid "$RABID"
need_launcher postal "$POSTAL"
[[ -x $OLD_RABID ]] || die "no 0.76 rabid at $OLD_RABID (apt-get download postal && dpkg -x postal_*.deb /opt/postal-0.76)"
need python3
need_root "the maildirs belong to nobody; Dovecot drops privileges itself"

make_work
dc=$work/dovecot
dovecot_started=0
on_exit() {
  if [[ $dovecot_started == 1 ]]; then
    "$repo/tests/dovecot/dovecot-down" "$dc" >/dev/null 2>&1 || echo "rabid.sh: dovecot-down $dc failed" >&2
  fi
}

# runone.py: one reader run, timed and measured. Prints one JSON object.
cat >"$work/runone.py" <<'EOF'
import json, os, resource, signal, subprocess, sys, time

kind, dcdir, run_timeout, poll_ms = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
cwd, out_path, err_path = sys.argv[5], sys.argv[6], sys.argv[7]
cmd = sys.argv[8:]
tck = os.sysconf("SC_CLK_TCK")
mail = os.path.join(dcdir, "mail")
boxes = [os.path.join(mail, u, "Maildir", sub) for u in sorted(os.listdir(mail)) for sub in ("new", "cur")]

def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    return s[s.rindex(")") + 2:].split()   # fields from 3 (state) on

def cpu_self(pid):          # utime+stime of one process, all threads, seconds
    f = stat_fields(pid)
    return (int(f[11]) + int(f[12])) / tck

def children(pid):
    kids = []
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{t}/children") as f:
                kids += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return kids

def dovecot_cpu():          # master and live descendants (utime+stime+cutime+cstime): every reaped one is in a cutime
    with open(os.path.join(dcdir, "run", "master.pid")) as f:
        master = int(f.read().strip())
    total, todo = 0.0, [master]
    while todo:
        p = todo.pop()
        try:
            f = stat_fields(p)
        except OSError:
            continue
        total += (int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])) / tck
        todo += children(p)
    return total

def nonempty():             # True while any maildir still holds a message (stops at the first entry)
    for b in boxes:
        try:
            with os.scandir(b) as it:
                for _ in it:
                    return True
        except FileNotFoundError:
            pass
    return False

def child_of(pid):
    for _ in range(200):
        k = children(pid)
        if k:
            return k[0]
        time.sleep(0.005)
    return None

dc0 = dovecot_cpu()
with open(out_path, "wb") as out, open(err_path, "wb") as err:
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    reader = child_of(proc.pid)         # the process under `timeout`
    t_empty = t_exit = None
    reader_cpu = None
    deadline = t0 + run_timeout
    while True:
        now = time.monotonic()
        if t_empty is None and not nonempty():
            t_empty = time.monotonic()
            if kind == "old":
                try:
                    reader_cpu = cpu_self(reader)
                except (OSError, TypeError):
                    reader_cpu = None
                try:
                    os.kill(reader, signal.SIGTERM)     # 0.76 has no SIGTERM handler; rabid.log is unbuffered
                except (OSError, TypeError):
                    pass
        rc = proc.poll()
        if rc is not None:
            t_exit = time.monotonic()
            break
        if now > deadline:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            rc = proc.returncode
            t_exit = time.monotonic()
            break
        time.sleep(poll_ms / 1000)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
if kind == "ours":
    reader_cpu = ru.ru_utime + ru.ru_stime
time.sleep(0.3)                          # let Dovecot finish the last sessions (the same for both readers)
dc1 = dovecot_cpu()
print(json.dumps({
    "rc": rc,
    "secs_exit": t_exit - t0,
    "secs_empty": None if t_empty is None else t_empty - t0,
    "reader_cpu": reader_cpu,
    "dovecot_cpu": dc1 - dc0,
}))
EOF

# messages in the maildirs (files in new/ and cur/)
stored() { "$repo/tests/dovecot/mailbox-counts" --files --total "$dc"; }
errlines() { grep -c -E ' (Error|Fatal|Panic): ' "$dc/dovecot.log" || true; }

dovecot_version=$(dovecot --version 2>/dev/null | cut -d' ' -f1 || echo unknown)
note_start

envlines=$(DOVECOT_USERS=$USERS timeout 60 "$repo/tests/dovecot/dovecot-up" "$dc" 2>"$work/dovecot-up.err") \
  || die "dovecot-up failed: $(tail -n 15 "$work/dovecot-up.err")"
dovecot_started=1
eval "$envlines"

read -r -a rabid_extra <<<"$RABID_ARGS"
fill_cmd=("$POSTAL" -L -p "$LMTP_PORT" --hash md5-lp64 --count "$MESSAGES" -m "$SIZE" -M "$SIZE"
          -t "$FILL_CONNECTIONS" -c -1 --seed "$SEED" --json --interval 1h)
ours_cmd=("$RABID" -p "$CONNECTIONS" -d 100:100 --count "$MESSAGES" --json --interval 1h
          ${rabid_extra[@]+"${rabid_extra[@]}"})
old_cmd=("$OLD_RABID" -p "$CONNECTIONS" -d 100:100)
server="[127.0.0.1]$POP3_PORT"

echo "== bench/rabid.sh: rabid 0.76 ($OLD_RABID) vs our rabid ($commit), POP3 against Dovecot $dovecot_version"
machine_lines
echo "   Dovecot: $USERS users, POP3 on $POP3_PORT, LMTP on $LMTP_PORT ($dc)"
echo "   fill: ${fill_cmd[*]} 127.0.0.1 USERS"
echo "   ours: ${ours_cmd[*]} --log-dir RUNDIR $server USERS"
echo "   0.76: timeout -s INT -k 5 $RUN_TIMEOUT ${old_cmd[*]} $server USERS   (in RUNDIR; stopped when the maildirs are empty)"

n_run=0
# run READER KIND: fill, read, verify; appends "reader secs rate reader_cpu dovecot_cpu secs_empty json_secs" to $work/KIND.
run() {
  local reader=$1 kind=$2 rd before sent ferr res rc secs secs_empty rcpu dcpu e0 e1 logged bad jsecs
  n_run=$((n_run + 1))
  rd=$work/run$n_run-$reader
  mkdir -p "$rd"
  before=$(stored)
  [[ $before == 0 ]] || die "run $n_run: the maildirs hold $before messages before the fill"
  timeout -k 5 "$RUN_TIMEOUT" "${fill_cmd[@]}" --log-dir "$rd" 127.0.0.1 "$USERS_FILE" >"$rd/fill.out" 2>"$rd/fill.err" \
    || die "run $n_run: postal -L failed (exit $?): $(tail -n 3 "$rd/fill.err")"
  read -r sent ferr <<<"$(jtotal "$rd/fill.out" messages errors)"
  before=$(stored)
  [[ $sent == "$MESSAGES" && $ferr == 0 && $before == "$MESSAGES" ]] \
    || die "run $n_run: postal delivered ${sent:-?} (errors ${ferr:-?}), the maildirs hold $before; expected $MESSAGES"
  e0=$(errlines)
  if [[ $reader == ours ]]; then
    res=$(python3 "$work/runone.py" ours "$dc" "$RUN_TIMEOUT" "$POLL_MS" "$rd" "$rd/out" "$rd/err" \
          timeout -k 5 "$RUN_TIMEOUT" "${ours_cmd[@]}" --log-dir "$rd" "$server" "$USERS_FILE")
  else
    res=$(python3 "$work/runone.py" old "$dc" "$RUN_TIMEOUT" "$POLL_MS" "$rd" "$rd/out" "$rd/err" \
          timeout -s INT -k 5 "$((RUN_TIMEOUT + 10))" "${old_cmd[@]}" "$server" "$USERS_FILE")
  fi
  read -r rc secs secs_empty rcpu dcpu <<<"$(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["rc"], r["secs_exit"], r["secs_empty"], r["reader_cpu"], r["dovecot_cpu"])' "$res")"
  e1=$(errlines)
  # verification
  local left; left=$(stored)
  [[ $left == 0 ]] || die "run $n_run ($reader): $left messages left in the maildirs (see $rd)"
  [[ $secs_empty != None ]] || die "run $n_run ($reader): the maildirs were not seen empty within $RUN_TIMEOUT s"
  logged=$(grep -c -E '^[0-9a-f]{32}$' "$rd/rabid.log" 2>/dev/null || true)
  bad=$(grep -c -v -E '^[0-9a-f]{32}$' "$rd/rabid.log" 2>/dev/null || true)
  [[ $logged == "$MESSAGES" && $bad == 0 ]] \
    || die "run $n_run ($reader): rabid.log has ${logged:-0} hash lines and ${bad:-0} other lines; expected $MESSAGES and 0"
  if grep -q 'MD5 mis-match' "$rd/err" 2>/dev/null; then die "run $n_run ($reader): MD5 mis-match on stderr"; fi
  (( e1 == e0 )) || die "run $n_run ($reader): $((e1 - e0)) new Error/Fatal/Panic lines in $dc/dovecot.log"
  jsecs=-
  if [[ $reader == ours ]]; then
    local msgs ver cor err
    [[ $rc == 0 ]] || die "run $n_run (ours): exit $rc: $(tail -n 3 "$rd/err")"
    read -r msgs ver cor err jsecs <<<"$(jtotal "$rd/out" messages verified corrupt errors seconds)"
    [[ $msgs == "$MESSAGES" && $ver == "$MESSAGES" && $cor == 0 && $err == 0 ]] \
      || die "run $n_run (ours): JSON messages ${msgs:-?} verified ${ver:-?} corrupt ${cor:-?} errors ${err:-?}; expected $MESSAGES/$MESSAGES/0/0"
  else
    secs=$secs_empty      # 0.76: the time until the maildirs were empty
    [[ $rcpu != None ]] || die "run $n_run (0.76): could not read its CPU time"
  fi
  awk -v r="$reader" -v t="$secs" -v n="$MESSAGES" -v c="$rcpu" -v d="$dcpu" -v e="$secs_empty" -v j="$jsecs" \
    'BEGIN { printf "%s %.3f %.0f %.2f %.2f %.3f %s\n", r, t, n / t, c, d, e, j }' >>"$work/$kind"
  tail -n 1 "$work/$kind" | awk -v k="${kind%s}" -v n="$MESSAGES" '{
    extra = ($1 == "ours") ? sprintf("  (empty at %.2f s; in-process %s s, %.0f msg/s)", $6, $7, n / $7) : ""
    printf "   %-4s %-7s %7.3f s %6s msg/s  reader CPU %5.2f s  Dovecot CPU %5.2f s%s\n", $1, k, $2, $3, $4, $5, extra }'
}

echo "-- warm-up (discarded):"
run old warmups
run ours warmups
echo "-- measured, alternating:"
for _ in $(seq 1 "$RUNS"); do
  run old runs
  run ours runs
done
note_end

summary=$(summarize "$work/runs" "$MESSAGES" "$(nproc)" "${load_start%% *}" "${load_end%% *}" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
n, cores = int(sys.argv[2]), int(sys.argv[3])
load = max(float(sys.argv[4]), float(sys.argv[5]))
rates, out, util = {}, [], {}
for r in ("old", "ours"):
    x = [y for y in rows if y[0] == r]
    rates[r] = [float(y[2]) for y in x]
    secs = sum(float(y[1]) for y in x)
    rc = sum(float(y[3]) for y in x)
    dc = sum(float(y[4]) for y in x)
    util[r] = (rc / secs, dc / secs)
    name = "0.76" if r == "old" else "ours"
    out.append(f"| {name} | {len(x)} | {rate_cells(rates[r])} "
               f"| {rc / (n * len(x)) * 1e6:.0f} | {dc / (n * len(x)) * 1e6:.0f} "
               f"| {rc / secs:.2f} | {dc / secs:.2f} | {(rc + dc) / secs:.2f} of {cores} |")
med = {r: statistics.median(rates[r]) for r in rates}
ratio = med["ours"] / med["old"]
out.append(f"| **ours/0.76** | | {ratio_cells(rates['ours'], rates['old'])} | | | | | |")
js = [n / float(y[6]) for y in rows if y[0] == "ours" and y[6] != "-"]
if js:
    out.append(f"\nOurs without JVM start-up (its JSON `seconds`): median {statistics.median(js):,.0f} msg/s, "
               f"{statistics.median(js) / med['old']:.2f}× 0.76.")
# which side limits
notes = []
for r in ("old", "ours"):
    name = "0.76" if r == "old" else "ours"
    ru, du = util[r]
    if du >= 0.85 or du + ru >= 0.85 * cores:
        why = []
        if du >= 0.85:
            why.append(f"Dovecot used {du:.2f} cores")
        if du + ru >= 0.85 * cores:
            why.append(f"reader and Dovecot together {du + ru:.2f} of {cores} cores")
        notes.append(f"with {name}: " + " and ".join(why) + (" — Dovecot (and the machine's CPU), not the reader, is the limit"
                      if du >= ru else " — the reader's own CPU is the larger share"))
    else:
        notes.append(f"with {name}: Dovecot {du:.2f} cores, reader {ru:.2f} cores — neither saturates the CPU: "
                     "the limit is latency (round trips, waits) in the reader or the server, not CPU")
if load > cores:
    notes.append(f"the machine was oversubscribed (load average up to {load:.1f} on {cores} cores), so cores used "
                 "are shares won against other processes: the reader that needs more CPU per message is slowed most")
if 0.9 <= ratio <= 1.1:
    notes.append("both readers equal within 10%: the server side (Dovecot/the machine) sets the pace, not the reader")
print("\n".join(out))
print("\nLimit: " + "; ".join(notes) + ".")
EOF
)

header='| reader | runs | median msg/s | range msg/s | reader CPU µs/msg | Dovecot CPU µs/msg | reader cores | Dovecot cores | both, cores |
|---|---|---|---|---|---|---|---|---|'
echo
echo "== results ($MESSAGES messages of $SIZE KiB per run, $CONNECTIONS POP3 sessions, $USERS mailboxes, -d 100:100)"
echo "$header"
echo "$summary"
echo "   every run verified: maildirs held $MESSAGES before and 0 after; rabid.log $MESSAGES hash lines, no mis-match; ours' JSON verified $MESSAGES, corrupt 0, errors 0"
paste_title
cat <<EOF
### $started_at — bench/rabid.sh, rabid $commit vs 0.76

$(machine_item "Dovecot $dovecot_version")
- Command: \`RUNS=$RUNS MESSAGES=$MESSAGES CONNECTIONS=$CONNECTIONS USERS=$USERS${RABID_ARGS:+ RABID_ARGS=\"$RABID_ARGS\"} bench/rabid.sh\`${JAVA_OPTS:+ with JAVA_OPTS=\`$JAVA_OPTS\`} (one discarded warm-up each; runs alternate 0.76, ours; before each run \`postal -L --hash md5-lp64 --count $MESSAGES -m $SIZE -M $SIZE -t $FILL_CONNECTIONS -c -1\` fills $USERS mailboxes).
- Readers: \`rabid -p $CONNECTIONS -d 100:100 --count $MESSAGES --json${RABID_ARGS:+ $RABID_ARGS} [127.0.0.1]PORT users\` (elapsed: the whole process, JVM start-up included) and 0.76's \`timeout -s INT -k 5 T rabid -p $CONNECTIONS -d 100:100 [127.0.0.1]PORT users\` (elapsed: until the maildirs were empty, polled every $POLL_MS ms).
- Every run verified (maildirs $MESSAGES before, 0 after; rabid.log $MESSAGES hash lines and nothing else; ours' JSON verified $MESSAGES, corrupt 0, errors 0; no Dovecot errors). Took ${elapsed} s.

$header
$summary
EOF
