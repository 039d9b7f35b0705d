#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/slowread.sh: bhm as a slow server under SESSIONS (default 1,000) slow-read sessions at once.
# Each session sends EHLO, MAIL, RCPT, DATA and then pushes a BODY-KiB message (default 256) into a
# bhm reading each session at RATE (default 1KiB) per second through a 4 KiB receive window, so
# every session stays open, mid-DATA, for HOLD seconds (default 20), then drops; the sessions
# still waiting to be read (ss shows octets in their receive queue) are counted after the probes. Measured: bhm's
# VmRSS before, once all sessions are pushing, and at the end of the hold; and the event loops'
# responsiveness: the time a fresh session waits for its greeting (PROBES, default 50, one every
# 100 ms), before the load and while the slow sessions are held.
# Usage: bench/slowread.sh   (as root; ulimit -n is raised for bhm and the client)
# Environment: SESSIONS, BODY, RATE, HOLD, PROBES, KEEP=1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SESSIONS=${SESSIONS:-1000}
BODY=${BODY:-256}
RATE=${RATE:-1KiB}
HOLD=${HOLD:-20}
PROBES=${PROBES:-50}
bin=$repo/daemon/target/dist/bin
positive_integers SESSIONS BODY HOLD PROBES
need_root "raises ulimit -n above the sessions"
need python3 "ss (iproute2)"
need_launcher bhm "$bin/bhm"
ulimit -n $((SESSIONS + 1000))
make_work
note_start

rss() { awk '$1 == "VmRSS:" { printf "%.0f\n", $2 / 1024 }' "/proc/$1/status"; }

# probe PORT N: N fresh sessions, one every 100 ms; prints "median p99 max" greeting waits in ms.
cat > "$work/probe.py" <<'PY'
import socket, statistics, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
waits = []
for _ in range(n):
    start = time.monotonic()
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    if not s.recv(512).startswith(b"220"):
        sys.exit("no greeting")
    waits.append((time.monotonic() - start) * 1000)
    s.sendall(b"QUIT\r\n")
    s.close()
    time.sleep(0.1)
waits.sort()
print(f"{statistics.median(waits):.1f} {waits[max(0, int(len(waits) * 0.99) - 1)]:.1f} {waits[-1]:.1f}")
PY

# load PORT SESSIONS BODY-KiB HOLD: the slow-read sessions; prints "pushing" once every session is
# in DATA and has written its body (into its buffers), then holds them HOLD seconds and drops them.
cat > "$work/load.py" <<'PY'
import asyncio, sys
port, sessions, body_kib, hold = (int(a) for a in sys.argv[1:5])
body = b"Subject: slow\r\n\r\n" + (b"x" * 1022 + b"\r\n") * body_kib

async def session(ready):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await reader.readline()
    writer.write(b"EHLO load.example\r\n")
    while not (await reader.readline()).startswith(b"250 "):
        pass
    for line in (b"MAIL FROM:<a@example.org>\r\n", b"RCPT TO:<user1@example.com>\r\n", b"DATA\r\n"):
        writer.write(line)
        await reader.readline()
    writer.write(body)
    ready.append(1)
    await asyncio.sleep(hold)
    writer.transport.abort()

async def main():
    ready = []
    tasks = [asyncio.create_task(session(ready)) for _ in range(sessions)]
    while len(ready) < sessions and not any(t.done() and t.exception() for t in tasks):
        await asyncio.sleep(0.1)
    print("pushing", flush=True)
    await asyncio.gather(*tasks)
    print("done", flush=True)

asyncio.run(main())
PY

echo "user1@example.com x" >"$work/users"
port=$(pick_port)
serve "$work/bhm" "$port" 900 "$bin/bhm" -b 127.0.0.1 -p "$port" -t $((SESSIONS + 100)) --command-timeout 10m \
  --receive-window 4KiB --read-rate "$RATE" --interval 1h --json --log-dir "$work" "$work/users"
bhm_pid=$served_pid
sleep 2
rss0=$(rss "$bhm_pid")
read -r idle_med idle_p99 idle_max < <(timeout -k 5 120 python3 "$work/probe.py" "$port" "$PROBES")
timeout -k 5 $((HOLD + 300)) python3 "$work/load.py" "$port" "$SESSIONS" "$BODY" "$HOLD" >"$work/load.out" 2>&1 &
loader=$!
for _ in $(seq 1 1200); do grep -q pushing "$work/load.out" 2>/dev/null && break; kill -0 "$loader" 2>/dev/null || break; sleep 0.1; done
grep -q pushing "$work/load.out" || die "the sessions did not all reach DATA: $(tail -c 300 "$work/load.out")"
rss1=$(rss "$bhm_pid")
read -r busy_med busy_p99 busy_max < <(timeout -k 5 120 python3 "$work/probe.py" "$port" "$PROBES")
rss2=$(rss "$bhm_pid")
# Held: bhm's sessions still open with octets waiting unread in their receive buffers.
held=$(ss -Htn state established "( sport = :$port )" | awk '$1 > 0' | wc -l)
wait "$loader" || die "the load failed: $(tail -c 300 "$work/load.out")"
note_end

echo "slow-read sessions: $SESSIONS pushing ${BODY} KiB each at $RATE/s; $held still open with unread octets after the probes"
echo "bhm VmRSS: ${rss0} MiB idle -> ${rss1} MiB all pushing -> ${rss2} MiB after the probes"
echo "greeting wait (ms, median / p99 / max of $PROBES): idle $idle_med / $idle_p99 / $idle_max; under load $busy_med / $busy_p99 / $busy_max"
machine_lines
paste_title
echo "### $started_at — bench/slowread.sh, commit $commit"
echo
machine_item "bhm alone"
echo "- Command: \`bench/slowread.sh\` (SESSIONS=$SESSIONS BODY=$BODY RATE=$RATE HOLD=$HOLD PROBES=$PROBES)"
echo
echo "| what | idle | $SESSIONS slow-read sessions |"
echo "|---|---|---|"
echo "| bhm resident MiB | $rss0 | $rss1 (all pushing) → $rss2 (after the probes) |"
echo "| fresh session's greeting wait, ms (median / p99 / max) | $idle_med / $idle_p99 / $idle_max | $busy_med / $busy_p99 / $busy_max |"
echo "| sessions open with unread octets waiting (ss Recv-Q > 0) after the probes | — | $held of $SESSIONS |"
