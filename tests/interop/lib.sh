# SPDX-License-Identifier: GPL-3.0-or-later
# What tests/interop/run and tests/interop/postal share beyond tests/lib/harness.sh (sourced, not
# run): the user list, our bhm started and stopped as the cases expect it, bhm's totals read from
# its JSON lines, bounded peers, and integer comparisons that record why they failed.
# Each case runs in a process of its own (run_cases), in the folder $dir.
#
# Usage: . "$(dirname "${BASH_SOURCE[0]}")/lib.sh" SUITE-NAME

. "$(dirname "${BASH_SOURCE[0]}")/../lib/harness.sh"
. "$(dirname "${BASH_SOURCE[0]}")/postfix.sh"
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

