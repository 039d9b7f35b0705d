#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/memory.sh: resident memory where it grows, ours beside an anchor in one run.
#  1. Idle sessions: bhm and Postfix's smtp-sink each hold SESSIONS (default 10,000) connections
#     that have read the greeting and say nothing; the sink's VmRSS once all are open and 2 s later.
#  2. A big user list: postal sends 1,000 messages (4 connections) to one bhm with a user list of
#     USERS (default 1,000,000) addresses, postal 0.76 sends for 15 s with it; each one's peak VmHWM.
# Memory does not depend on how busy the machine is, so these figures stand on a shared machine.
# Usage: bench/memory.sh   (as root; ulimit -n is raised for the sinks and the client)
# Environment: SESSIONS, USERS, POSTAL_076 (default /opt/postal-0.76/usr/sbin/postal), KEEP=1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SESSIONS=${SESSIONS:-10000}
USERS=${USERS:-1000000}
POSTAL_076=${POSTAL_076:-/opt/postal-0.76/usr/sbin/postal}
SMTP_SINK=${SMTP_SINK:-/usr/sbin/smtp-sink}
bin=$repo/daemon/target/dist/bin
positive_integers SESSIONS USERS
need_root "raises ulimit -n above 10,000"
need python3 "ss (iproute2)"
need_launcher bhm "$bin/bhm"
need_launcher postal "$bin/postal"
[[ -x $SMTP_SINK ]] || die "needs Postfix's smtp-sink: apt-get install -y --no-install-recommends postfix"
[[ -x $POSTAL_076 ]] || die "needs postal 0.76 at $POSTAL_076 (apt-get download postal; dpkg -x postal_*.deb /opt/postal-0.76)"
ulimit -n $((SESSIONS + 1000))
make_work
note_start

# rss PID FIELD: FIELD (VmRSS or VmHWM) of /proc/PID/status in MiB.
rss() { awk -v f="$2:" '$1 == f { printf "%.0f\n", $2 / 1024 }' "/proc/$1/status"; }

# hold PORT COUNT SECONDS: opens COUNT connections to PORT, reads each greeting, holds them all
# SECONDS, then closes them; prints "open" once all are open.
cat > "$work/hold.py" <<'PY'
import socket, sys, time
port, count, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
conns = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    conns.append(s)
for s in conns:
    if not s.recv(512).startswith(b"220"):
        sys.exit("no greeting")
print("open", flush=True)
time.sleep(hold)
PY

# idle NAME PID PORT: holds SESSIONS sessions on the sink NAME (pid PID); prints its MiB row.
idle() {
  local before after later
  before=$(rss "$2" VmRSS)
  timeout -k 5 600 python3 "$work/hold.py" "$3" "$SESSIONS" 4 >"$work/$1.hold" 2>&1 &
  local holder=$!
  for _ in $(seq 1 3000); do grep -q open "$work/$1.hold" 2>/dev/null && break; kill -0 "$holder" 2>/dev/null || break; sleep 0.1; done
  grep -q open "$work/$1.hold" || die "$1: the sessions did not all open: $(tail -c 300 "$work/$1.hold")"
  after=$(rss "$2" VmRSS)
  sleep 2
  later=$(rss "$2" VmRSS)
  wait "$holder" || true
  echo "$1 $before $after $later"
}

port_bhm=$(pick_port)
serve "$work/bhm" "$port_bhm" 900 "$bin/bhm" -b 127.0.0.1 -p "$port_bhm" -t $((SESSIONS + 100)) \
  --command-timeout 10m --interval 1h --log-dir "$work"
bhm_pid=$served_pid
port_sink=$(pick_port "$port_bhm")
serve "$work/smtp-sink" "$port_sink" 900 "$SMTP_SINK" -u nobody -c -m $((SESSIONS + 100)) "127.0.0.1:$port_sink" 4096
sink_pid=$served_pid
row_bhm=$(idle bhm "$bhm_pid" "$port_bhm")
row_sink=$(idle smtp-sink "$sink_pid" "$port_sink")

# The user list: USERS addresses, as postal-list would write them.
python3 -c 'import sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write(f"user{i}@example.com\n")' "$work/users" "$USERS"

# peak NAME COMMAND...: runs a generator, prints its peak VmHWM in MiB (sampled every 50 ms) and wall s.
peak() {
  local name=$1 hwm=0 h start
  shift
  start=$(date +%s.%N)
  timeout -k 5 600 "$@" >"$work/$name.out" 2>&1 &
  local w=$!
  local pid
  pid=$(child_of "$w")
  while kill -0 "$pid" 2>/dev/null; do
    h=$(rss "$pid" VmHWM 2>/dev/null || echo 0)
    [[ -n $h ]] && (( h > hwm )) && hwm=$h
    sleep 0.05
  done
  wait "$w" || die "$name failed: $(tail -c 300 "$work/$name.out")"
  echo "$name $hwm $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')"
}
row_postal=$(peak postal "$bin/postal" -p "$port_bhm" -t 4 --count 1000 --interval 1h --log-dir "$work" \
  127.0.0.1 "$work/users")
grep -q "^postal: 1000 messages in" "$work/postal.out" || die "postal did not send 1000: $(tail -c 300 "$work/postal.out")"
# 0.76 has no message count: it loads the whole list, then sends until stopped. It runs 15 s
# (its list is in memory within the first seconds; bhm's log shows it sending), then SIGINT.
timeout -k 5 60 "$POSTAL_076" -t 4 -p "$port_bhm" 127.0.0.1 "$work/users" >"$work/postal-0.76.out" 2>&1 &
w076=$!
pid076=$(child_of "$w076")
o_hwm=0
for _ in $(seq 1 300); do
  kill -0 "$pid076" 2>/dev/null || break
  h=$(rss "$pid076" VmHWM 2>/dev/null || echo 0)
  [[ -n $h ]] && (( h > o_hwm )) && o_hwm=$h
  sleep 0.05
done
kill -0 "$pid076" 2>/dev/null || die "postal 0.76 ended early: $(tail -c 300 "$work/postal-0.76.out")"
kill -INT "$pid076" 2>/dev/null || true
wait "$w076" 2>/dev/null || true
note_end

read -r _ b0 b1 b2 <<<"$row_bhm"
read -r _ s0 s1 s2 <<<"$row_sink"
read -r _ p_hwm p_wall <<<"$row_postal"
echo "idle sessions ($SESSIONS): bhm ${b0} -> ${b1} -> ${b2} MiB; smtp-sink ${s0} -> ${s1} -> ${s2} MiB"
echo "user list ($USERS addresses): postal peak ${p_hwm} MiB (${p_wall} s for 1,000 messages); postal 0.76 peak ${o_hwm} MiB"
machine_lines
paste_title
echo "### $started_at — bench/memory.sh, commit $commit"
echo
machine_item "Postfix $(postfix_release) smtp-sink, postal 0.76"
echo "- Command: \`bench/memory.sh\` (SESSIONS=$SESSIONS, USERS=$USERS)"
echo
echo "| what | ours | anchor | aim |"
echo "|---|---|---|---|"
echo "| resident MiB holding $SESSIONS idle sessions (before → all open → 2 s later) | bhm $b0 → $b1 → $b2 | smtp-sink $s0 → $s1 → $s2 | bhm ≤ 200 |"
echo "| peak resident MiB, $USERS-address user list | postal $p_hwm | postal 0.76 $o_hwm | postal ≤ 256 |"
