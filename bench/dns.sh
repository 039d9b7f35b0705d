#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/dns.sh: the most questions per second postal-dns gets answered against what dnsperf gets,
# both asking the same Unbound (local zones only, on a loopback port) the same mail-shaped file
# (postal-dns --write-queries, profile full, 200,000 questions), flat out with 100 questions in
# flight on one socket (dnsperf's defaults -c 1 -q 100; ours --sockets 1 --outstanding 100).
# Runs alternate dnsperf and postal-dns, RUN_SECONDS each (ours leaves its first 2 s out:
# --warmup); prints each run's rate and the ratio of the medians, as a RESULTS.md section.
#
# Environment: RUNS (default 3), RUN_SECONDS (default 10), POSTAL_DNS (default the build's), KEEP=1.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-3}
RUN_SECONDS=${RUN_SECONDS:-10}
POSTAL_DNS=${POSTAL_DNS:-$repo/daemon/target/dist/bin/postal-dns}
positive_integers RUNS RUN_SECONDS
need unbound dnsperf "ss (iproute2)" python3
need_launcher postal-dns "$POSTAL_DNS"
need_root "Unbound runs with username \"\" in the work directory"
make_work

port=$(pick_port)
cat >"$work/unbound.conf" <<CONF
server:
  interface: 127.0.0.1
  port: $port
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$work"
  pidfile: "$work/unbound.pid"
  use-syslog: no
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  so-rcvbuf: 4m
  so-sndbuf: 4m
  local-zone: "." static
  local-zone: "postal.test." static
  local-data: "postal.test. 300 IN TXT \"v=spf1 -all\""
  local-data: "_dmarc.postal.test. 300 IN TXT \"v=DMARC1; p=reject\""
  local-data: "postal._domainkey.postal.test. 300 IN TXT \"v=DKIM1; p=MIGf\""
  local-zone: "2.0.192.in-addr.arpa." static
  local-data: "1.2.0.192.in-addr.arpa. 300 IN PTR 192-0-2-1.clients.postal.test."
  local-data: "192-0-2-1.clients.postal.test. 300 IN A 192.0.2.1"
CONF
echo "u@postal.test" >"$work/users"
"$POSTAL_DNS" --write-queries 200000 --profile full --clients 192.0.2.0/24 --client-domain clients.postal.test \
  --users "$work/users" --seed 1 >"$work/queries"
serve "$work/unbound" "$port" $((RUNS * RUN_SECONDS * 4 + 120)) unbound -c "$work/unbound.conf" -d

note_start
theirs=()
ours=()
for ((run = 1; run <= RUNS; run++)); do
  dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries" -c 1 -q 100 -l "$RUN_SECONDS" >"$work/dnsperf-$run.out" 2>&1
  theirs+=("$(sed -n 's/^ *Queries per second: *\([0-9.]*\).*/\1/p' "$work/dnsperf-$run.out")")
  "$POSTAL_DNS" "127.0.0.1:$port" -d "$work/queries" --sockets 1 --outstanding 100 --duration "${RUN_SECONDS}s" \
    --warmup 2s --json --interval 1h >"$work/ours-$run.out" 2>"$work/ours-$run.err"
  ours+=("$(python3 "$here/../tests/interop/dnsmix.py" field "$work/ours-$run.out" rate)")
  echo "run $run: dnsperf ${theirs[-1]}/s, postal-dns ${ours[-1]}/s" >&2
done
note_end

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
m_theirs=$(median "${theirs[@]}")
m_ours=$(median "${ours[@]}")
cat <<TABLE

### $(date -u '+%Y-%m-%d %H:%M') UTC — bench/dns.sh, postal-dns $(git -C "$repo" rev-parse --short HEAD)

- Machine:
$(machine_lines)
   load average at end: $load_end; took ${elapsed} s
- Command: \`RUNS=$RUNS RUN_SECONDS=$RUN_SECONDS bench/dns.sh\` (Unbound $(unbound -V | sed -n 's/^Version //p'), dnsperf $(dnsperf -h 2>&1 | sed -n 's/^Version //p'); 200,000 questions of profile full, flat out, 100 in flight, one socket; runs alternate).

| tool | runs | median questions/s | each run |
|---|---|---|---|
| dnsperf | $RUNS | $m_theirs | ${theirs[*]} |
| postal-dns | $RUNS | $m_ours | ${ours[*]} |
| **postal-dns/dnsperf** | | **$(python3 -c "print(f'{$m_ours / $m_theirs:.2f}x')")** | |
TABLE
