# SPDX-License-Identifier: GPL-3.0-or-later
# The shell test harness every suite under tests/ sources (never run it). It gives a suite:
#   results   pass MSG, fail MSG, skip MSG, check MSG COMMAND..., finish (the closing line
#             "SUITE: N passed, N failed" and the exit status: 1 if anything failed); a suite
#             that exits without finish (set -e) still prints the line, with its exit as a failure
#   cases     run_cases "$@": each case_NAME function of the suite in a process of its own,
#             bounded by CASE_LIMIT, with --list and case names on the command line
#   ports     free_port (a free TCP port on loopback below 32768), port_in_use PORT,
#             port_listening PORT, wait_port PORT [PID] [SECONDS]
#   processes spawn NAME SECONDS COMMAND... in the background (output in $tmp/NAME.out/.err),
#             stop NAME [SECONDS] (one SIGTERM, then wait), await NAME SECONDS (wait for it to
#             end by itself); the exit status is in $stopped_status
#   bhm       bhm_start NAME [bhm options...] on 127.0.0.1:$bhm_port, bhm_stop NAME
#   clean-up  $tmp (a fresh temporary folder, removed at exit unless KEEP=1), at_exit COMMAND
#
# Usage, at the top of a suite:
#   . "$(dirname "${BASH_SOURCE[0]}")/../lib/harness.sh"
#   harness_init NAME        # the suite's name, for the closing line and the temporary folder
# Everything a suite spawns is killed at exit, whatever way it ends.
#
# Ports: listeners go below 32768, the start of Linux's ephemeral range: after many short
# connections TIME_WAIT sockets hold ephemeral ports, and a listener there would fail with
# "Address already in use". Ports are read from /proc/net/tcp{,6} (no connection is made, so
# waiting for a server adds nothing to its statistics).

harness_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BHM=${BHM:-$harness_top/daemon/target/dist/bin/bhm}
CASE_LIMIT=${CASE_LIMIT:-240}
harness_passed=0
harness_failed=0
harness_skipped=0
harness_exits=()
declare -A harness_pids=()
bhm_port=
stopped_status=

# harness_init NAME: names the suite, makes $tmp and sets the exit trap.
harness_init() {
    harness_name=$1
    if [ -n "${HARNESS_CASE_DIR:-}" ]; then
        tmp=$HARNESS_CASE_DIR   # a case's process works in the folder its driver gave it
    else
        tmp=$(mktemp -d "${TMPDIR:-/tmp}/$harness_name.XXXXXX")
        chmod 0755 "$tmp"
        export HARNESS_PORTS=$tmp/.ports   # every port handed out, shared with the cases' processes
    fi
    trap harness_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# at_exit COMMAND: run COMMAND (a shell command line) at exit, the last registered first.
at_exit() { harness_exits=("$1" "${harness_exits[@]}"); }

harness_exit() {
    local rc=$? cmd name
    for cmd in "${harness_exits[@]}"; do eval "$cmd" || true; done
    for name in "${!harness_pids[@]}"; do harness_kill "$name"; done
    if [ -z "${HARNESS_CASE_DIR:-}" ] && [ -z "${harness_finished:-}" ]; then
        # Ended without finish (set -e, an exit of its own): the closing line all the same.
        [ "$rc" = 0 ] || fail "$harness_name ended early (exit status $rc)"
        harness_closing_line
    fi
    if [ -z "${HARNESS_CASE_DIR:-}" ] && [ -n "${tmp:-}" ] && [ -d "$tmp" ]; then
        if [ "${KEEP:-}" = 1 ]; then echo "$harness_name: kept $tmp" >&2; else rm -rf -- "$tmp"; fi
    fi
    exit "$rc"
}

# ------------------------------------------------------------------ results

pass() {
    [ -z "${HARNESS_CASE_DIR:-}" ] || return 0   # a case passes when it ends with no reason
    echo "PASS $*"
    harness_passed=$((harness_passed + 1))
}

# fail MESSAGE: in a case's process, one more reason for the case to fail (printed by the driver).
fail() {
    if [ -n "${HARNESS_CASE_DIR:-}" ]; then
        grep -qsxF -- "$*" "$HARNESS_CASE_DIR/reasons" || printf '%s\n' "$*" >>"$HARNESS_CASE_DIR/reasons"
        return 0
    fi
    echo "FAIL $*"
    harness_failed=$((harness_failed + 1))
}

# skip MESSAGE: in a case's process, ends the case as skipped.
skip() {
    if [ -n "${HARNESS_CASE_DIR:-}" ]; then
        printf '%s\n' "$*" >"$HARNESS_CASE_DIR/skipped"
        exit 0
    fi
    echo "SKIP $*"
    harness_skipped=$((harness_skipped + 1))
}

# check MESSAGE COMMAND...: pass if COMMAND succeeds, else fail (use `eval '...'` for a test
# written as a string, so its variables are read when it runs).
check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}

# finish: the closing line; exits 1 if anything failed, or if nothing passed and nothing was
# skipped (a suite that checked nothing has not passed).
finish() {
    harness_closing_line
    [ "$harness_failed" = 0 ] && [ $((harness_passed + harness_skipped)) -gt 0 ] && exit 0
    exit 1
}

harness_closing_line() {
    local skipped=
    harness_finished=1
    [ "$harness_skipped" = 0 ] || skipped=" ($harness_skipped skipped)"
    echo "$harness_name: $harness_passed passed, $harness_failed failed$skipped"
}

# need COMMAND PACKAGE...: installs the Debian packages when COMMAND is missing (as root, on a
# fresh machine, as .ci/run runs the suites); false if COMMAND is still missing.
need() {
    local cmd=$1
    shift
    command -v "$cmd" >/dev/null && return 0
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 || true
    fi
    command -v "$cmd" >/dev/null || { echo "needs $cmd (apt-get install $*)" >&2; return 1; }
}

# ------------------------------------------------------------------ ports

# harness_used_ports: every local TCP port in use on this host, any state, one per line.
harness_used_ports() {
    local table
    for table in /proc/net/tcp /proc/net/tcp6; do
        [ -r "$table" ] || continue
        while read -r _ local _; do
            [[ $local == *:* ]] && echo $((16#${local##*:}))
        done < <(tail -n +2 "$table")
    done
    return 0
}

# free_port: prints a TCP port in 20000-31999 that nothing on this host uses and that this
# suite has not handed out before (two servers of one suite never race for one port; the
# ports given are kept in a file, as free_port runs in a subshell: port=$(free_port)).
free_port() {
    local used port i
    used=" $(harness_used_ports | tr '\n' ' ') $(cat "${HARNESS_PORTS:-/dev/null}" 2>/dev/null | tr '\n' ' ') "
    for ((i = 0; i < 200; i++)); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
        [[ $used == *" $port "* ]] && continue
        [ -z "${HARNESS_PORTS:-}" ] || echo "$port" >>"$HARNESS_PORTS"
        echo "$port"
        return 0
    done
    echo "free_port: no free port found in 200 tries" >&2
    return 1
}

# port_in_use PORT: true if any local TCP socket (any state, any address) has PORT.
port_in_use() {
    [[ " $(harness_used_ports | tr '\n' ' ') " == *" $1 "* ]]
}

# port_listening PORT: true if a socket LISTENs on PORT (IPv4 or IPv6, any address).
port_listening() {
    local hex table
    hex=$(printf '%04X' "$1")
    for table in /proc/net/tcp /proc/net/tcp6; do
        [ -r "$table" ] && awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' "$table" \
            && return 0
    done
    return 1
}

# wait_port PORT [PID] [SECONDS]: wait (default 60 s) until PORT listens; false if PID ends first.
wait_port() {
    local port=$1 pid=${2:-} secs=${3:-60} i
    for ((i = 0; i < secs * 10; i++)); do
        port_listening "$port" && return 0
        [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# ------------------------------------------------------------------ processes

# spawn [--group] NAME SECONDS COMMAND...: COMMAND in the background in $tmp, killed after
# SECONDS (and at exit); stdout $tmp/NAME.out, stderr $tmp/NAME.err, the command line in
# $tmp/NAME.cmd. Its pid (of the timeout wrapper) is $(pid_of NAME). `timeout --foreground`
# passes a SIGTERM on to COMMAND once, as systemd would send it; with --group, timeout signals
# COMMAND's whole process group instead, as a plain `timeout 60 COMMAND` does.
spawn() {
    local fg=--foreground
    [ "$1" != --group ] || { fg=; shift; }
    local name=$1 secs=$2
    shift 2
    printf '%s\n' "$*" >"$tmp/$name.cmd"
    (cd "$tmp" && exec timeout $fg -k 5 "$secs" "$@") >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null &
    harness_pids[$name]=$!
}

# pid_of NAME: the pid of a spawned process (its timeout wrapper).
pid_of() { echo "${harness_pids[$1]:-}"; }

# stop NAME [SECONDS]: one SIGTERM, then await NAME SECONDS (default 30).
stop() {
    local pid=${harness_pids[$1]:-}
    [ -z "$pid" ] || kill -TERM "$pid" 2>/dev/null || true
    await "$1" "${2:-30}"
}

# await NAME SECONDS: wait up to SECONDS for NAME to end by itself; its exit status is in
# $stopped_status. False (after killing it) if it was still running.
await() {
    local name=$1 secs=$2 pid i rc=0
    pid=${harness_pids[$name]:-}
    [ -n "$pid" ] || { stopped_status=; return 0; }
    for ((i = 0; i < secs * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        harness_kill "$name"
        stopped_status=137
        return 1
    fi
    stopped_status=0
    wait "$pid" || stopped_status=$?
    unset "harness_pids[$name]"
    return $rc
}

# harness_kill NAME: SIGKILL to a spawned process and its children, at once.
harness_kill() {
    local pid=${harness_pids[$1]:-}
    [ -n "$pid" ] || return 0
    disown "$pid" 2>/dev/null || true   # no job notice ("Killed") for what the harness ends
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
    unset "harness_pids[$1]"
}

# ------------------------------------------------------------------ bhm

# bhm_start NAME [bhm options...]: our bhm on 127.0.0.1:$bhm_port (a free port) for at most
# BHM_LIMIT seconds (default 180); false, with the reason on stderr, if it does not listen.
bhm_start() {
    local name=$1
    shift
    [ -x "$BHM" ] || { echo "no $BHM: build first (mvn -q -B -DskipTests package)" >&2; return 1; }
    bhm_port=$(free_port) || return 1
    spawn "$name" "${BHM_LIMIT:-180}" "$BHM" -b 127.0.0.1 -p "$bhm_port" "$@"
    wait_port "$bhm_port" "$(pid_of "$name")" && return 0
    echo "bhm did not listen on $bhm_port: $(tail -n 3 "$tmp/$name.err" | tr '\n' ' ')" >&2
    return 1
}

# bhm_stop NAME: one SIGTERM; false unless bhm ended with status 0 within 30 s.
bhm_stop() {
    stop "$1" 30 && [ "$stopped_status" = 0 ]
}

# ------------------------------------------------------------------ cases

# run_cases [--list | --case NAME DIR | NAME...]: runs the suite's case_NAME functions (each in
# its own process, with HARNESS_CASE_DIR set to a folder of its own under $tmp), prints PASS,
# FAIL (with every reason, and the case's files on stderr) or SKIP per case, then finishes.
run_cases() {
    if [ "${1:-}" = --case ]; then
        cd "$3"
        "case_${2//-/_}"
        exit 0
    fi
    local known selected=() name rc reason
    known=$(declare -F | sed -n 's/^declare -f case_//p' | tr _ -)
    if [ "${1:-}" = --list ]; then echo "$known"; harness_finished=1; exit 0; fi
    selected=("$@")
    [ ${#selected[@]} -gt 0 ] || mapfile -t selected <<<"$known"
    for name in "${selected[@]}"; do
        grep -qx -- "$name" <<<"$known" || { echo "$harness_name: no case '$name' (try --list)" >&2; exit 2; }
    done
    for name in "${selected[@]}"; do
        mkdir "$tmp/$name"
        rc=0
        HARNESS_CASE_DIR=$tmp/$name timeout -k 10 "$CASE_LIMIT" "$0" --case "$name" "$tmp/$name" \
            >"$tmp/$name/case.out" 2>"$tmp/$name/case.err" </dev/null || rc=$?
        if [ -f "$tmp/$name/skipped" ]; then
            skip "$name: $(cat "$tmp/$name/skipped")"
            continue
        fi
        reason=
        [ ! -s "$tmp/$name/reasons" ] || reason=$(paste -sd ';' "$tmp/$name/reasons" | sed 's/;/; /g')
        if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
            reason="case ran over ${CASE_LIMIT}s${reason:+; $reason}"
        elif [ "$rc" != 0 ] && [ -z "$reason" ]; then
            reason="case script exited $rc: $(tail -n 1 "$tmp/$name/case.err")"
        fi
        if [ -z "$reason" ]; then pass "$name"; else fail "$name: $reason"; show_files "$tmp/$name"; fi
    done
    finish
}

# show_files DIR: the head of every file in DIR, on stderr (the logs of a failed check).
show_files() {
    local f
    for f in "$1"/*; do
        [ -f "$f" ] || continue
        echo "---- $(basename "$f")"
        head -c 4000 "$f" | sed 's/^/  | /'
        echo
    done >&2
}
