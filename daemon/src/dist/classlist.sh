#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# daemon/src/dist/classlist.sh: writes daemon/src/dist/postal.classlist, the classes that the
# launcher's class-data-sharing archive holds (bin/postal-cds maps them into lib/postal.jsa).
#
# It runs the built dist: bhm (with STARTTLS) on a free loopback port, and postal against it with one
# message per connection, with connections kept and with STARTTLS, each JVM recording what it loads
# (-XX:DumpLoadedClassList); the lists are merged in order of first appearance. A class the list
# names that no longer exists is skipped when the archive is made, and one it lacks is loaded as
# usual, so a stale list costs start-up time, never correctness. Run it after changes that load
# many new classes:  mvn -q -B -o -DskipTests package && daemon/src/dist/classlist.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dist=$here/../../target/dist
out=$here/postal.classlist
[[ -x $dist/bin/bhm && -x $dist/bin/postal ]] || { echo "classlist.sh: build first (mvn -q -B -o -DskipTests package)" >&2; exit 1; }

work=$(mktemp -d /tmp/postal-classlist.XXXXXX)
bhm_pid=
cleanup() {
  [[ -n $bhm_pid ]] && kill -TERM "$bhm_pid" 2>/dev/null && wait "$bhm_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

for i in 1 2 3 4 5; do echo "user$i@example.com"; done >"$work/users"
JAVA_OPTS="-Xshare:off -XX:DumpLoadedClassList=$work/bhm.list" timeout -k 5 120 "$dist/bin/bhm" -p 0 -s --json \
  --interval 1h --log-dir "$work" >"$work/bhm.out" 2>"$work/bhm.err" &
bhm_pid=$!
port=
for _ in $(seq 1 200); do
  port=$(grep -o 'listening on \[/127.0.0.1:[0-9]*' "$work/bhm.err" | grep -o '[0-9]*$' || true)
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { echo "classlist.sh: bhm did not start: $(head -c 300 "$work/bhm.err")" >&2; exit 1; }

n=0
for args in "-c 1" "-c -1" "-c 1 -s 100"; do
  n=$((n + 1))
  # shellcheck disable=SC2086 # the options are words
  JAVA_OPTS="-Xshare:off -XX:DumpLoadedClassList=$work/postal$n.list" timeout -k 5 120 "$dist/bin/postal" -t 4 -m 4 -M 4 \
    $args --count 400 --json --interval 1h --log-dir "$work" -p "$port" 127.0.0.1 "$work/users" >/dev/null 2>>"$work/postal.err"
done
kill -TERM "$bhm_pid"
wait "$bhm_pid" 2>/dev/null || true
bhm_pid=

# Comments once, then every other line the first time it appears.
{ grep -h '^#' "$work/bhm.list" | head -n 4; grep -hv '^#' "$work/bhm.list" "$work"/postal*.list | awk '!seen[$0]++'; } >"$out"
echo "classlist.sh: $(grep -cv '^#' "$out") entries in $out"
