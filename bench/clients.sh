#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/clients.sh: connections per second of postal from the whole of 127.0.0.0/8 (each connection
# from the next address of a permutation, bound with IP_BIND_ADDRESS_NO_PORT) against the same
# postal from one source address, into one bhm, and how long a sweep of all 2^24 addresses would take.
#
# One bhm runs for the whole benchmark on a loopback port chosen here. Each run is postal with -c 0
# (connect, greeting, EHLO, QUIT: the cost of a connection, no mail) for CONNS connections over
# SESSIONS slots; after one discarded warm-up each, RUNS runs alternate one-source, 127/8, one-source,
# ... timed with a monotonic clock. Every run must finish all its connections without an error, and
# bhm's final JSON total must count the distinct clients: 1 from the one-source runs plus one per
# 127/8 connection (the permutation repeats no address within 2^24 draws).
#
# Usage:  bench/clients.sh           (RUNS=3)
# Environment: RUNS, CONNS (20000), SESSIONS (32), POSTAL, BHM (launcher paths), RUN_TIMEOUT (300 s),
#              KEEP=1 keeps the work directory.
# Needs: python3, ss (iproute2), built launchers (mvn -q -B -o -DskipTests package).
# Nothing is written to bench/RESULTS.md: a ready-to-paste markdown block is printed instead.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS=${RUNS:-3} CONNS=${CONNS:-20000} SESSIONS=${SESSIONS:-32} RUN_TIMEOUT=${RUN_TIMEOUT:-300}
POSTAL=${POSTAL:-$repo/daemon/target/dist/bin/postal}
BHM=${BHM:-$repo/daemon/target/dist/bin/bhm}
positive_integers RUNS CONNS SESSIONS RUN_TIMEOUT
need python3 "ss (iproute2)"
need_launcher postal "$POSTAL"
need_launcher bhm "$BHM"
make_work
printf 'user%d@example.com pass\n' 1 2 3 4 >"$work/users"

port=$(pick_port)
serve "$work/bhm" "$port" $(( (RUNS * 2 + 2) * RUN_TIMEOUT )) "$BHM" -b 127.0.0.1 -p "$port" -t 2000 --json
bhm_w=$served_w

# one MODE N: one postal run; prints connections per second.
one() {
  local mode=$1 n=$2 src t0 t1
  [[ $mode == one ]] && src=127.0.0.1 || src=127.0.0.0/8
  t0=$(date +%s.%N)
  timeout -k 5 "$RUN_TIMEOUT" "$POSTAL" -p "$port" -c 0 -t "$SESSIONS" --count "$n" --json -l "$src" \
    --log-dir "$work" 127.0.0.1 "$work/users" >"$work/postal-$mode.out" 2>"$work/postal-$mode.err" \
    || die "postal ($mode) failed: $(tail -n 2 "$work/postal-$mode.err")"
  t1=$(date +%s.%N)
  read -r c e < <(jtotal "$work/postal-$mode.out" connections errors)
  [[ $c == "$n" && $e == 0 ]] || die "postal ($mode): $c connections, $e errors of $n"
  python3 -c "import sys; print(f'{int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2])):.0f}')" "$n" "$t0" "$t1"
}

note_start
one one 2000 >/dev/null
one range 2000 >/dev/null
declare -a one_rates=() range_rates=()
for ((r = 1; r <= RUNS; r++)); do
  one_rates+=("$(one one "$CONNS")")
  range_rates+=("$(one range "$CONNS")")
  echo "run $r: one source ${one_rates[-1]}/s, 127/8 ${range_rates[-1]}/s" >&2
done
kill -TERM "$bhm_w"; wait "$bhm_w" || true
clients=$(jtotal "$work/bhm.out" clients)
expected=$(( 1 + 2000 + RUNS * CONNS ))
[[ $clients == "$expected" ]] || die "bhm counted $clients distinct clients, not $expected"
note_end

python3 - "${one_rates[*]}" "${range_rates[*]}" "$clients" <<'PY'
import statistics, sys
one = [int(x) for x in sys.argv[1].split()]
rng = [int(x) for x in sys.argv[2].split()]
m1, m2 = statistics.median(one), statistics.median(rng)
print("| source | runs (connections/s) | median | ratio to one source |")
print("|---|---|---|---|")
print(f"| 127.0.0.1 | {', '.join(map(str, one))} | {m1:,.0f} | 1 |")
print(f"| 127.0.0.0/8 | {', '.join(map(str, rng))} | {m2:,.0f} | {m2 / m1:.2f} |")
print(f"\nbhm counted {sys.argv[3]} distinct clients. A sweep of all 2^24 addresses of 127/8 at "
      f"{m2:,.0f} connections/s takes {2**24 / m2 / 3600:.1f} h.")
PY
