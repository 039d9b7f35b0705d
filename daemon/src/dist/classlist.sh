#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# daemon/src/dist/classlist.sh: writes daemon/src/dist/postal.classlist, the classes that the
# launcher's class-data-sharing archive holds (bin/postal-cds maps them into lib/postal.jsa).
#
# It runs the built dist: bhm (with STARTTLS) on a free loopback port, and postal against it with one
# message per connection, with connections kept and with STARTTLS; then, if Dovecot is installed
# (tests/dovecot/dovecot-up), postal fills a private Dovecot over LMTP and rabid reads it back over
# POP3, POP3 with STLS and IMAP. Each JVM records what it loads (-XX:DumpLoadedClassList); the lists
# are merged in order of first appearance. A class the list
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
dovecot=
cleanup() {
  [[ -n $bhm_pid ]] && kill -TERM "$bhm_pid" 2>/dev/null && wait "$bhm_pid" 2>/dev/null
  [[ -n $dovecot ]] && "$here/../../../tests/dovecot/dovecot-down" "$dovecot" >/dev/null 2>&1
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

# rabid: POP3, POP3 with STLS, IMAP, each reading what postal delivered into a private Dovecot.
if command -v dovecot >/dev/null && [[ $(id -u) == 0 ]]; then
  chmod 711 "$work"
  dovecot=$work/dovecot
  envlines=$(DOVECOT_USERS=5 timeout 60 "$here/../../../tests/dovecot/dovecot-up" "$dovecot" 2>"$work/dovecot.err") \
    || { echo "classlist.sh: dovecot-up failed: $(tail -n 5 "$work/dovecot.err")" >&2; exit 1; }
  eval "$envlines"
  n=0
  for args in "-s 0" "-s 100" "-s 0 -i 100"; do
    n=$((n + 1))
    timeout -k 5 120 "$dist/bin/postal" -L -p "$LMTP_PORT" --hash md5-lp64 --count 200 -m 4 -M 4 -c -1 --json \
      --interval 1h --log-dir "$work" 127.0.0.1 "$USERS_FILE" >/dev/null 2>>"$work/postal.err"
    # shellcheck disable=SC2086 # the options are words
    JAVA_OPTS="-Xshare:off -XX:DumpLoadedClassList=$work/rabid$n.list" timeout -k 5 120 "$dist/bin/rabid" -p 4 \
      -d 100:100 $args --count 200 --json --interval 1h --log-dir "$work" --imap-port "$IMAP_PORT" \
      "[127.0.0.1]$POP3_PORT" "$USERS_FILE" >/dev/null 2>>"$work/rabid.err"
  done
else
  echo "classlist.sh: no Dovecot (or not root): rabid's own classes are left out" >&2
fi

# Comments once, then every other line the first time it appears.
{ grep -h '^#' "$work/bhm.list" | head -n 4
  grep -hv '^#' "$work/bhm.list" "$work"/postal*.list "$work"/rabid*.list 2>/dev/null | awk '!seen[$0]++'; } >"$out"
echo "classlist.sh: $(grep -cv '^#' "$out") entries in $out"
