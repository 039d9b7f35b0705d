#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/memlockd.sh: wall time of `postalctl bhm status` while a memory-limited cgroup pages, with
# and without memlockd(8) holding what the package's /etc/memlockd.d/postal.cfg names.
# A cgroup of LIMIT_MIB holds one bhm (with --control-dir) and, under pressure, a hog that fills it
# with anonymous memory up to HEADROOM_MIB below the limit, so the kernel reclaims the cgroup's
# file pages (jars, libjvm, the class-data-sharing archives). Each timed postalctl starts inside it.
# Rounds: one without pressure (base), then PAIRS times "pressure" and "pressure + memlockd"
# alternating, so the machine's load falls on both alike. Every round starts with the system under
# test's files dropped from the page cache.
# The JDK and the build tree's dist are copied into the work directory first: on a shared machine
# other people's JVMs keep the system JDK's pages resident (and charged to their own cgroups, which
# our cgroup's reclaim never touches), so only a private copy pages as it would on an appliance.
# Usage: bench/memlockd.sh   (as root; needs memlockd, unzip, python3 and a memory cgroup, v1 or v2)
# Environment: RUNS (20 per round), PAIRS (2), LIMIT_MIB (384), HEADROOM_MIB (64), PAUSE (0.5 s
# between runs), RUN_TIMEOUT (60 s per postalctl), KEEP=1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-20}
PAIRS=${PAIRS:-2}
LIMIT_MIB=${LIMIT_MIB:-384}
HEADROOM_MIB=${HEADROOM_MIB:-64}
PAUSE=${PAUSE:-0.5}
RUN_TIMEOUT=${RUN_TIMEOUT:-60}
positive_integers RUNS PAIRS LIMIT_MIB HEADROOM_MIB RUN_TIMEOUT
need_root "creates a cgroup and runs memlockd"
need python3 unzip memlockd
dist_src=$repo/daemon/target/dist
need_launcher bhm "$dist_src/bin/bhm"
make_work
note_start

# The cgroup: with v1's memory hierarchy mounted, a child of this shell's own memory cgroup; else a
# v2 child of the root (not of this shell's cgroup: v2 lets a cgroup that holds processes share out
# no controller). v1 and v2 name the limit and the memory.stat counters differently. Only v1 has
# been run so far.
if [[ -d /sys/fs/cgroup/memory ]]; then
  cg=/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
  limit_file=memory.limit_in_bytes anon_key=total_rss file_key=total_cache fault_key=total_pgmajfault
else
  grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null \
    || die "no memory cgroup: neither /sys/fs/cgroup/memory (v1) nor memory in /sys/fs/cgroup/cgroup.subtree_control (v2)"
  cg=/sys/fs/cgroup
  limit_file=memory.max anon_key=anon file_key=file fault_key=pgmajfault
fi
cg=${cg%/}/bench-memlockd.$$
mkdir "$cg" || die "cannot create the cgroup $cg"
echo $((LIMIT_MIB << 20)) > "$cg/$limit_file"

# on_exit: stops whatever is left in the cgroup (all started here), then removes it.
on_exit() {
  local p
  [[ -d $cg ]] || return 0
  for p in $(cat "$cg/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
  for _ in $(seq 1 50); do rmdir "$cg" 2>/dev/null && return; sleep 0.1; done
  echo "$bench_name: could not remove $cg" >&2
}

# cg_stat KEY: a counter of the cgroup's memory.stat.
cg_stat() { awk -v k="$1" '$1 == k { print $2 }' "$cg/memory.stat"; }

# The system under test, laid out as the package lays it out: jars without the two native jars,
# whose JNI libraries are unpacked into a directory of their own (POSTAL_NATIVE_DIR), and a
# class-data-sharing archive written by this JDK for this class path.
jdk_src=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
jdk=$work/jdk dist=$work/dist natives=$work/native
cp -a "$jdk_src" "$jdk"
mkdir -p "$dist" "$natives" "$work/ctl" "$work/log"
cp -a "$dist_src/bin" "$dist_src/lib" "$dist/"
rm -f "$dist"/lib/postal.jsa
unzip -q -j -o -d "$natives" "$dist"/lib/jffi-*-native.jar 'jni/x86_64-Linux/*.so'
unzip -q -j -o -d "$natives" "$dist"/lib/netty-transport-native-epoll-*-linux-x86_64.jar 'META-INF/native/*.so'
rm -f "$dist"/lib/jffi-*-native.jar "$dist"/lib/netty-transport-native-epoll-*-linux-x86_64.jar
export JAVA_HOME=$jdk POSTAL_NATIVE_DIR=$natives
if [[ -e $dist_src/lib/postal.jsa ]]; then
  timeout -k 5 300 "$dist/bin/postal-cds" >"$work/cds.out" 2>&1 || die "postal-cds failed: $(tail -c 300 "$work/cds.out")"
fi

# The memlockd configuration: the package's template with its paths turned into the copies', then
# the JNI libraries and jars, as debian/rules appends them.
sed -e "s|/usr/lib/jvm/default-java|$jdk|; s|/usr/bin/java\$|$jdk/bin/java|" \
    -e "s|/usr/bin/postalctl\$|$dist/bin/postalctl|; s|/usr/sbin/|$dist/bin/|" \
    -e "s|/var/cache/postal/postal.jsa|$dist/lib/postal.jsa|" "$repo/debian/postal.memlockd.in" > "$work/memlockd.cfg"
(export LC_ALL=C; for f in "$natives"/*.so; do echo "+$f"; done; for f in "$dist"/lib/*.jar; do echo "$f"; done) >> "$work/memlockd.cfg"
last_entry=$(tail -n 1 "$work/memlockd.cfg")

# evict: drops every file of the copies from the page cache (nothing maps them between rounds).
evict() {
  python3 - "$jdk" "$dist" "$natives" <<'PY'
import os, sys
for top in sys.argv[1:]:
    for d, _, files in os.walk(top):
        for f in files:
            p = os.path.join(d, f)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            fd = os.open(p, os.O_RDONLY)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            os.close(fd)
PY
}

# hog.py CGROUP LIMIT_FILE ANON_KEY HEADROOM_MIB: fills the cgroup with anonymous memory in 8 MiB
# steps (each byte written) until its anonymous memory is HEADROOM_MIB below the limit, says "held"
# and waits; the kernel makes room by reclaiming file pages (no swap needed). Too small a headroom
# leaves a starting JVM no room for its own anonymous memory: the OOM killer ends the round.
cat > "$work/hog.py" <<'PY'
import sys, time
cg, limit_file, key, headroom = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) << 20
limit = int(open(f"{cg}/{limit_file}").read())
open("/proc/self/oom_score_adj", "w").write("1000")  # if the cgroup runs out, the hog goes first
def anon():
    for line in open(f"{cg}/memory.stat"):
        k, v = line.split()
        if k == key:
            return int(v)
held = []
for _ in range(4096):
    room = limit - headroom - anon()
    if room < 1 << 20:
        break
    held.append(bytearray(b"\1") * min(room, 8 << 20))
print(f"held {sum(map(len, held)) >> 20} MiB", flush=True)
time.sleep(3600)
PY
# in-cg COMMAND...: runs COMMAND in the cgroup.
printf '#!/bin/sh\necho $$ > %s/cgroup.procs && exec "$@"\n' "$cg" > "$work/in-cg"
chmod 755 "$work/in-cg"

# wait_for WHAT SECONDS TEST...: polls TEST every 0.1 s up to SECONDS, else dies naming WHAT.
wait_for() {
  local what=$1 secs=$2 end=$(( SECONDS + $2 ))
  shift 2
  while (( SECONDS < end )); do "$@" && return; sleep 0.1; done
  die "no $what after $secs s"
}
memlockd_done() { grep -q " ${last_entry#[?+]}\$" "/proc/$memlockd_pid/maps" 2>/dev/null; }
hog_held() { grep -q held "$work/hog.out"; }
locked_quietly() { locked >/dev/null 2>&1; }

# locked: checks, from the kernel's view of memlockd (its smaps), that every file the configuration
# names (and finds) is mapped locked (VmFlags lo) and resident whole (Rss = Size); prints the MiB.
# Not smaps' Locked: count, which is a proportional share: a page another process maps counts half.
locked() {
  python3 - "$work/memlockd.cfg" "/proc/$memlockd_pid/smaps" <<'PY'
import os, re, sys
vmas, cur = [], None
for line in open(sys.argv[2]):
    if re.match(r"[0-9a-f]+-[0-9a-f]+ ", line):
        f = line.split()
        cur = {"path": f[5] if len(f) > 5 else None}
        vmas.append(cur)
    elif line.startswith(("Size:", "Rss:")):
        cur[line.split(":")[0]] = int(line.split()[1])
    elif line.startswith("VmFlags:"):
        cur["lo"] = "lo" in line.split()[1:]
named = [os.path.realpath(l.strip().lstrip("?+")) for l in open(sys.argv[1]) if l.strip()[:1] not in ("", "#", "%")]
named = [p for p in named if os.path.exists(p)]
def whole(p):
    v = [m for m in vmas if m["path"] == p]
    return v and all(m.get("lo") and m["Rss"] == m["Size"] for m in v)
bad = [p for p in named if not whole(p)]
if bad:
    sys.exit("not locked whole: " + " ".join(bad))
kib = sum(m["Rss"] for m in vmas if m.get("lo") and m["path"] and m["path"].startswith("/"))
print(f"{kib / 1024:.0f} MiB of files locked, all {len(named)} files named that exist")
PY
}

# round MODE: MODE base, pressure or memlockd; one line "MODE wall_s majfaults ..." per timed run
# in $work/runs, and a line on the round in $work/rounds.
round() {
  local mode=$1 pids=() w f0 f1 t rc extra=
  round_no=$(( ${round_no:-0} + 1 ))
  evict
  if [[ $mode == memlockd ]]; then
    # Outside the cgroup, as the Debian service runs in its own: the pages it locks are charged
    # to it, not to the cgroup under test, and locked pages are not reclaimed wherever they count.
    timeout -k 5 3600 memlockd -d -c "$work/memlockd.cfg" >"$work/memlockd.log" 2>&1 &
    w=$!; started+=("$w"); pids+=("$w")
    memlockd_pid=$(child_of "$w")
    wait_for "memlockd lock of $last_entry" 120 memlockd_done
    wait_for "whole lock of every file named (memlockd's log: $work/memlockd.log)" 30 locked_quietly
    extra="memlockd: $(locked)"
  fi
  rm -f "$work/ctl/"*
  timeout -k 5 3600 "$work/in-cg" "$dist/bin/bhm" -b 127.0.0.1 --port 0 --interval 1h \
    --control-dir "$work/ctl" --log-dir "$work/log" >"$work/bhm.out" 2>&1 &
  w=$!; started+=("$w"); pids+=("$w")
  wait_for "bhm status socket" 120 test -S "$work/ctl/bhm-status.sock"
  "$work/in-cg" timeout -k 5 "$RUN_TIMEOUT" "$dist/bin/postalctl" --control-dir "$work/ctl" bhm status >/dev/null \
    || die "$mode: the warm-up postalctl failed"
  if [[ $mode != base ]]; then
    timeout -k 5 3600 "$work/in-cg" python3 "$work/hog.py" "$cg" "$limit_file" "$anon_key" "$HEADROOM_MIB" >"$work/hog.out" 2>&1 &
    w=$!; started+=("$w"); pids+=("$w")
    wait_for "hog" 120 hog_held
    extra="${extra:+$extra; }hog $(grep -o 'held.*' "$work/hog.out")"
  fi
  for i in $(seq 1 "$RUNS"); do
    sleep "$PAUSE"
    f0=$(cg_stat "$fault_key")
    "$work/in-cg" python3 "$here/timer.py" "$work" "$work/t" timeout -k 5 "$RUN_TIMEOUT" \
      "$dist/bin/postalctl" --control-dir "$work/ctl" bhm status >"$work/status.out" 2>&1 || true
    f1=$(cg_stat "$fault_key")
    read -r t _ rc <"$work/t"
    [[ $rc == 0 ]] || die "$mode run $i: postalctl exited $rc (-9: the cgroup's OOM killer; raise HEADROOM_MIB): $(tail -c 300 "$work/status.out")"
    for w in "${pids[@]}"; do kill -0 "$w" 2>/dev/null || die "$mode run $i: a process of the round ended (hog OOM-killed? raise HEADROOM_MIB): $(tail -c 200 "$work/hog.out" "$work/bhm.out" 2>/dev/null)"; done
    echo "$mode $round_no $t $((f1 - f0))" >> "$work/runs"
  done
  echo "round $round_no, $mode: cgroup anon $(( $(cg_stat "$anon_key") >> 20 )) MiB, file $(( $(cg_stat "$file_key") >> 20 )) MiB at the end${extra:+; $extra}" | tee -a "$work/rounds"
  for w in "${pids[@]}"; do kill -TERM "$w" 2>/dev/null || true; done
  for w in "${pids[@]}"; do wait "$w" 2>/dev/null || true; done
}

round base
for _ in $(seq 1 "$PAIRS"); do round pressure; round memlockd; done
note_end

summarize "$work/runs" "$RUNS" "$PAIRS" <<'PY' > "$work/table"
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    mode, no, t, faults = line.split()
    runs.setdefault(mode, []).append((float(t) * 1000, int(faults), int(no)))
names = {"base": "no pressure", "pressure": "pressure, no memlockd", "memlockd": "pressure, memlockd"}
print("| rounds | runs | median ms | p90 ms | max ms | major faults per run (median) | median ms of each round |")
print("|---|---|---|---|---|---|---|")
for mode in ("base", "pressure", "memlockd"):
    ms = sorted(t for t, _, _ in runs[mode])
    each = ", ".join(f"{statistics.median(t for t, _, n in runs[mode] if n == no):,.0f}"
                     for no in sorted({n for _, _, n in runs[mode]}))
    p90 = ms[min(len(ms) - 1, round(0.9 * (len(ms) - 1)))]
    faults = statistics.median(f for _, f, _ in runs[mode])
    print(f"| {names[mode]} | {len(ms)} | {statistics.median(ms):,.0f} | {p90:,.0f} | {ms[-1]:,.0f} | {faults:,.0f} | {each} |")
PY
cat "$work/table"
machine_lines
paste_title
echo "### $started_at — bench/memlockd.sh, commit $commit"
echo
machine_item "memlockd $(dpkg-query -W -f '${Version}' memlockd 2>/dev/null || echo unknown)"
echo "- Command: \`bench/memlockd.sh\` (RUNS=$RUNS, PAIRS=$PAIRS, LIMIT_MIB=$LIMIT_MIB, HEADROOM_MIB=$HEADROOM_MIB, PAUSE=$PAUSE)"
sed 's/^/- /' "$work/rounds"
echo
cat "$work/table"
