#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/profile-bhm.sh: where bhm's time goes under Postfix smtp-source load.
#
# Starts one bhm (JAVA_OPTS with -XX:+DebugNonSafepoints), warms it up, then in three separate phases,
# each over PROFILED runs of `smtp-source -s SESSIONS -l SIZE -m MESSAGES` (plus -d in mode "-d"):
#   1. CPU: async-profiler (loaded with jcmd JVMTI.agent_load) -> collapsed stacks; prints the top
#      self frames, the kernel/user split, and CPU by system call;
#   2. allocation: a JFR recording (settings=profile) -> bytes allocated per message by all threads
#      (jdk.ThreadAllocationStatistics); then async-profiler's alloc event -> bytes per message by
#      bhm method and the top allocation sites;
#   3. system calls: strace -c -f on the bhm process -> calls per message.
# The phases are separate because each tool slows bhm down; figures are per message, not throughput.
#
# Usage:  bench/profile-bhm.sh [conn|-d]      (default conn: one message per connection)
# Environment: MESSAGES (20000), SESSIONS (20), SIZE (4096), WARMUPS (2), PROFILED (3), BHM_ARGS,
#              ASYNC_PROFILER (path to libasyncProfiler.so; default: taken from the
#              tools.profiler:async-profiler jar in ~/.m2, fetched with mvn dependency:get if missing;
#              without it phase 1 is skipped), OUT (directory for the raw files; default a new /tmp one).
# Needs: postfix (smtp-source), a built bhm, a JDK (jcmd, jfr), strace, python3.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MODE=${1:-conn}
MESSAGES=${MESSAGES:-20000}
SESSIONS=${SESSIONS:-20}
SIZE=${SIZE:-4096}
WARMUPS=${WARMUPS:-2}
PROFILED=${PROFILED:-3}
BHM=${BHM:-$repo/daemon/target/dist/bin/bhm}
BHM_ARGS=${BHM_ARGS:-}
AP_VERSION=3.0

[[ $MODE == conn || $MODE == -d ]] || die "mode must be conn or -d, not '$MODE'"
need smtp-source jcmd jfr strace python3 ss
need_launcher bhm "$BHM"

OUT=${OUT:-$(mktemp -d /tmp/profile-bhm.XXXXXX)}
mkdir -p "$OUT"
exit_traps stop_started

if [[ -z ${ASYNC_PROFILER:-} ]]; then
  jar=$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar
  if [[ ! -f $jar ]]; then
    timeout 300 mvn -q -B dependency:get -Dartifact=tools.profiler:async-profiler:$AP_VERSION -Dtransitive=false \
      >/dev/null 2>&1 || true
  fi
  if [[ -f $jar ]]; then
    mkdir -p "$OUT/async-profiler"
    (cd "$OUT/async-profiler" && python3 -m zipfile -e "$jar" .)
    ASYNC_PROFILER=$OUT/async-profiler/linux-x64/libasyncProfiler.so
  fi
fi

port=$(pick_port)
read -r -a extra <<<"$BHM_ARGS"
JAVA_OPTS="${JAVA_OPTS:-} -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints" \
  serve "$OUT/bhm" "$port" 1800 "$BHM" -p "$port" -t 1000 --json --interval 1h ${extra[@]+"${extra[@]}"}
pid=$served_pid

args=(-s "$SESSIONS" -l "$SIZE" -m "$MESSAGES")
[[ $MODE == -d ]] && args=(-d "${args[@]}")
source_runs() {
  local _
  for _ in $(seq 1 "$1"); do
    timeout -k 5 600 smtp-source "${args[@]}" "127.0.0.1:$port" || die "smtp-source failed"
  done
}
messages=$(( PROFILED * MESSAGES ))
echo "== profile of bhm (pid $pid, port $port), mode $MODE: smtp-source ${args[*]}; $WARMUPS warm-up runs,"
echo "   then $PROFILED runs per phase ($messages messages); raw files in $OUT"
source_runs "$WARMUPS"

if [[ -n ${ASYNC_PROFILER:-} && -f $ASYNC_PROFILER ]]; then
  # jcmd parses name=value pairs itself, so the agent options go in double quotes.
  jcmd "$pid" JVMTI.agent_load "$ASYNC_PROFILER" '"start,event=cpu,interval=1ms"' >"$OUT/ap-start.txt"
  source_runs "$PROFILED"
  jcmd "$pid" JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,file=$OUT/cpu.collapsed,collapsed\"" >"$OUT/ap-stop.txt"
  echo
  echo "== 1. CPU (async-profiler, event=cpu, 1 ms of CPU per sample)"
  python3 - "$OUT/cpu.collapsed" "$messages" <<'EOF'
import collections, sys
total = kernel = 0
self_ = collections.Counter(); user = collections.Counter(); calls = collections.Counter(); ours = collections.Counter()
syscalls = [("epollWait", "epoll_wait"), ("Socket.sendAddress", "send"), ("Socket.recvAddress", "recv"),
            ("writeBytes", "send"), ("FileDescriptor.close", "close"), ("Socket.accept", "accept"),
            ("epollCtlAdd", "epoll_ctl add"), ("epollCtlDel", "epoll_ctl del"), ("epollCtlMod", "epoll_ctl mod"),
            ("eventFdWrite", "eventfd write"), ("setTcpNoDelay", "setsockopt")]
for line in open(sys.argv[1]):
    stack, n = line.rsplit(" ", 1)
    n = int(n); total += n
    frames = stack.split(";")
    leaf = frames[-1]
    self_[leaf] += n
    if leaf.endswith("_[k]"):
        kernel += n
    else:
        user[leaf] += n
    for key, name in syscalls:
        if any(key in f for f in frames):
            calls[name] += n
            break
    else:
        calls["no system call (Java, JVM, GC, JIT)"] += n
    postal = [f for f in frames if f.startswith("org/postal")]
    if postal:
        ours[postal[-1]] += n
if total == 0:
    sys.exit("no samples")
msgs = int(sys.argv[2])
print(f"samples: {total} ({total / msgs * 1000:.0f} µs CPU per message); kernel frames {100 * kernel / total:.1f}%")
print("-- by system call the stack is in:")
for k, n in calls.most_common():
    print(f"   {100 * n / total:5.1f}%  {k}")
print("-- top self frames (all):")
for k, n in self_.most_common(12):
    print(f"   {100 * n / total:5.1f}%  {k}")
print("-- top self frames outside the kernel:")
for k, n in user.most_common(15):
    print(f"   {100 * n / total:5.1f}%  {k}")
print(f"-- CPU below bhm's own methods, by innermost org/postal frame (inclusive: the system calls made there count): {100 * sum(ours.values()) / total:.1f}%")
for k, n in ours.most_common(12):
    print(f"   {100 * n / total:5.1f}%  {k}")
EOF
else
  echo "== 1. CPU: skipped (no async-profiler; set ASYNC_PROFILER=/path/libasyncProfiler.so)"
fi

jcmd "$pid" JFR.start name=alloc settings=profile filename="$OUT/alloc.jfr" >/dev/null
sleep 1
source_runs "$PROFILED"
sleep 1
jcmd "$pid" JFR.stop name=alloc >/dev/null
echo
echo "== 2. allocation"
jfr print --json --stack-depth 16 --events jdk.ThreadAllocationStatistics,jdk.ObjectAllocationSample "$OUT/alloc.jfr" \
  >"$OUT/alloc.json"
have_ap=no
[[ -n ${ASYNC_PROFILER:-} && -f $ASYNC_PROFILER ]] && have_ap=yes
# Exact bytes from JFR's per-thread counters; allocation sites from JFR's samples only without
# async-profiler (they are few and their weights swing from one recording to the next).
python3 - "$OUT/alloc.json" "$messages" "$have_ap" <<'EOF2'
import collections, json, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
msgs = int(sys.argv[2])
per_thread = collections.defaultdict(list)
sites = collections.Counter(); weight = 0
skip = ("java.util.", "java.lang.", "jdk.internal.")
for e in events:
    v = e["values"]
    if e["type"] == "jdk.ThreadAllocationStatistics":
        t = v["thread"]
        per_thread[t["javaName"] if t else "?"].append((v["startTime"], v["allocated"]))
    else:
        frames = v["stackTrace"]["frames"] if v["stackTrace"] else []
        names = [f'{f["method"]["type"]["name"].replace("/", ".")}.{f["method"]["name"]}:{f["lineNumber"]}' for f in frames]
        first = next((n for n in names if not n.startswith(skip)), names[0] if names else "?")
        sites[f'{v["objectClass"]["name"].replace("/", ".")} @ {first}'] += v["weight"]
        weight += v["weight"]
total = 0
for name, rows in sorted(per_thread.items()):
    rows.sort()
    delta = rows[-1][1] - rows[0][1]
    total += delta
    if delta > 1_000_000:
        print(f"   {name}: {delta / 1e6:.1f} MB")
print(f"JFR jdk.ThreadAllocationStatistics: {total / 1e6:.1f} MB allocated during {msgs} messages = {total / msgs:,.0f} bytes per message")
if sys.argv[3] != "yes" and weight:
    print("-- top allocation sites (JFR jdk.ObjectAllocationSample weight; first frame outside java.*):")
    for k, w in sites.most_common(15):
        print(f"   {100 * w / weight:5.1f}%  {k}")
EOF2
if [[ $have_ap == yes ]]; then
  jcmd "$pid" JVMTI.agent_load "$ASYNC_PROFILER" '"start,event=alloc,alloc=16k"' >"$OUT/ap-alloc-start.txt"
  source_runs "$PROFILED"
  jcmd "$pid" JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,file=$OUT/alloc.collapsed,collapsed,total\"" >"$OUT/ap-alloc-stop.txt"
  python3 - "$OUT/alloc.collapsed" "$messages" <<'EOF2'
import collections, sys
total = 0; by_method = collections.Counter(); by_site = collections.Counter()
for line in open(sys.argv[1]):
    stack, n = line.rsplit(" ", 1)
    n = int(n); total += n
    frames = stack.split(";")
    postal = [f for f in frames[:-1] if f.startswith("org/postal")]
    outside = [f for f in frames[:-1] if not f.startswith(("java/", "jdk/"))]
    by_method[postal[-1] if postal else "(Netty alone: accept, channel, pipeline, buffers)"] += n
    by_site[f'{frames[-1].removesuffix("_[i]")} @ {outside[-1] if outside else "?"}'] += n
msgs = int(sys.argv[2])
print(f"async-profiler event=alloc (TLAB-sampled): {total / msgs:,.0f} bytes per message")
print("-- by innermost bhm method (bytes per message):")
for k, n in by_method.most_common(12):
    print(f"   {100 * n / total:5.1f}%  {n / msgs:6,.0f}  {k}")
print("-- top sites (class @ innermost frame outside java.*):")
for k, n in by_site.most_common(12):
    print(f"   {100 * n / total:5.1f}%  {k}")
EOF2
fi

echo
echo "== 3. system calls (strace -c -f over one run of $MESSAGES messages; strace slows bhm a lot)"
timeout -s INT -k 5 900 strace -c -f -p "$pid" -o "$OUT/strace.txt" 2>/dev/null &
st=$!
sleep 1
source_runs 1
sleep 0.5
kill -INT "$st" 2>/dev/null || true
wait "$st" 2>/dev/null || true
awk -v m="$MESSAGES" 'NR > 2 && $1 !~ /^-/ && NF >= 5 {
    name = $NF                                   # columns: % time, seconds, usecs/call, calls, [errors,] syscall
    if (name == "total") { printf "   total: %.1f calls per message\n", $4 / m; next }
    if ($4 / m >= 0.01) printf "   %-16s %6.2f per message\n", name, $4 / m
  }' "$OUT/strace.txt"
kill -TERM "$pid"
wait "$served_w" || true
started=()
grep '"type":"total"' "$OUT/bhm.out" | tail -n 1 | sed 's/^/   bhm total: /'
