# SPDX-License-Identifier: GPL-3.0-or-later
# What tests/interop/run and tests/interop/postal share beyond tests/lib/harness.sh (sourced, not
# run): the user list, our bhm started and stopped as the cases expect it, bhm's totals read from
# its JSON lines, bounded peers, and integer comparisons that record why they failed.
# Each case runs in a process of its own (run_cases), in the folder $dir.
#
# Usage: . "$(dirname "${BASH_SOURCE[0]}")/lib.sh" SUITE-NAME

. "$(dirname "${BASH_SOURCE[0]}")/../lib/harness.sh"
harness_init "$1"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$harness_top
PY=${PYTHON:-python3}
dir=$tmp
CLIENT_LIMIT=${CLIENT_LIMIT:-60}   # seconds for one client run
BHM_LIMIT=${BHM_LIMIT:-180}        # seconds a bhm may live

bhm_pid=
bhm_name=
bhm_status=
port=
tls_port=
users=
json=--json
bind=127.0.0.1
bhm_spawn=   # --group: bhm under a plain timeout, which signals its process group
bhm_logs=(--log-dir "$dir")   # () when the cases pass their own --log-dir

# A user list in the shared 0.76 format: address password [action].
write_users() {
    local i
    for i in 1 2 3 4; do echo "user$i@example.com pass$i"; done >"$dir/users"
    users=$dir/users
}

# bhm_run NAME [bhm options...]: our bhm on $bind:$port (a free port), $json, ${bhm_logs[@]}, the
# user list last; output NAME.out and NAME.err. Waits for $port (and $tls_port if set).
bhm_run() {
    local name=$1
    shift
    [ -n "$users" ] || write_users
    port=$(free_port)
    spawn $bhm_spawn "$name" "$BHM_LIMIT" "$BHM" -b "$bind" -p "$port" $json "${bhm_logs[@]}" "$@" "$users"
    bhm_name=$name
    bhm_pid=$(pid_of "$name")
    if ! wait_port "$port" "$bhm_pid" || { [ -n "$tls_port" ] && ! wait_port "$tls_port" "$bhm_pid"; }; then
        fail "bhm did not start listening on $port${tls_port:+ and $tls_port}: $(tail -n 3 "$dir/$name.err" | tr '\n' ' ')"
        exit 1
    fi
}

# bhm_wait SECONDS [any]: wait for bhm to end; its exit status, in $bhm_status, must be 0 unless
# "any" is given, and it must print no Java stack trace.
bhm_wait() {
    local secs=$1 any=${2:-}
    await "$bhm_name" "$secs" || fail "bhm still running after ${secs}s"
    bhm_status=$stopped_status
    [ "$bhm_status" = 0 ] || [ "$any" = any ] || fail "bhm exited with status $bhm_status (wanted 0)"
    if grep -qE '^(Exception in thread|Caused by:|[[:space:]]+at [a-z]+\.)' "$dir/$bhm_name.err"; then
        fail "bhm printed a Java stack trace: $(grep -m1 -E 'Exception|Error' "$dir/$bhm_name.err")"
    fi
}

# bhm_signal SIGNAL: one signal to bhm (through its timeout wrapper, which passes it on).
bhm_signal() { kill -"$1" "$bhm_pid" 2>/dev/null || true; }

# bhm_end: one SIGTERM, as systemd sends; bhm must end with status 0 within 30 s.
bhm_end() {
    bhm_signal TERM
    bhm_wait 30
}

# btotal NAME FIELD: the final total for FIELD (rejects.CODE for a reply code) of the bhm whose
# output is NAME.out; "?" (with the reason recorded) when there is none.
btotal() {
    local v
    if v=$("$PY" "$here/bhmstats.py" "$dir/$1.out" total "$2" 2>"$dir/btotal.err"); then
        echo "$v"
    else
        fail "bhm totals ($1): $(tail -n 1 "$dir/btotal.err")"
        echo "?"
    fi
}

is_int() { [[ $1 =~ ^-?[0-9]+$ ]]; }

# compare WHAT OP EXPECTED ACTUAL: OP is eq, ne, ge, gt, le or lt (integers); a mismatch is a
# reason for the case to fail.
compare() {
    local what=$1 op=$2 want=$3 got=$4
    [ "$got" != "?" ] || return 0   # the reader has said why there is no value
    if ! is_int "$got" || ! is_int "$want"; then
        fail "$what: got '$got', expected $op '$want'"
    elif ! [ "$got" -"$op" "$want" ]; then
        fail "$what: got $got, expected $op $want"
    fi
}

# pfx_up DIR SMTPD_PORT RELAYHOST_PORT: a private Postfix in DIR whose only smtpd listens on
# 127.0.0.1:SMTPD_PORT and which relays everything to [127.0.0.1]:RELAYHOST_PORT. Nothing of
# the host's Postfix is used but the binaries and /etc/postfix/postfix-files. Set pfx_main to
# more main.cf lines, and pfx_listeners to master.cf lines that replace the one smtpd listener
# (SMTPD_PORT is then unused). Stop it with pfx_down (at_exit pfx_down in the suite).
pfx_up() {
  local d=$1 p=$2 r=$3 rc=0
  mkdir -p "$d/conf" "$d/queue" "$d/data"
  chmod 755 "$d"                     # the postfix user must reach its queue and data
  chown postfix "$d/data"
  cat >"$d/conf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $d/queue
data_directory = $d/data
mail_owner = postfix
setgid_group = postdrop
myhostname = relay.interop.test
mydomain = interop.test
myorigin = \$myhostname
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relayhost = [127.0.0.1]:$r
mynetworks = 127.0.0.0/8
inet_interfaces = loopback-only
inet_protocols = ipv4
smtp_dns_support_level = disabled
maillog_file = $d/maillog
maillog_file_prefixes = $d
biff = no
${pfx_main:-}
EOF
  # Debian's master.cf without chroot (the queue is not under /var/spool/postfix) and with
  # the smtpd on the test's port only.
  cat >"$d/conf/master.cf" <<EOF
${pfx_listeners:-127.0.0.1:$p inet n - n - - smtpd}
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
smtp      unix  - - n -  - smtp
relay     unix  - - n -  - smtp
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
  # postfix(1) reports to a terminal or syslog only; script(1) gives it a terminal, so its
  # messages land in pfx.start. "check" creates the queue directories with their owners.
  timeout -k 5 60 script -qec "postfix -c '$d/conf' check && postfix -c '$d/conf' start" /dev/null \
    >"$dir/pfx.start" 2>&1 </dev/null || rc=$?
  pfx_dir=$d
  [ "$rc" = 0 ] || { fail "private Postfix did not start (exit $rc): $(tr -d '\r' <"$dir/pfx.start" | tail -n 2 | tr '\n' ' ')"; return 1; }
}

pfx_down() {
  [ -n "$pfx_dir" ] || return 0
  timeout -k 5 60 script -qec "postfix -c '$pfx_dir/conf' stop" /dev/null >>"$dir/pfx.stop" 2>&1 </dev/null || true
  pfx_dir=
}
