# SPDX-License-Identifier: GPL-3.0-or-later
# A private Postfix for the interop suites (sourced, not run): its own queue, config and log in a
# folder of the suite's, only the host's binaries used. Needs tests/lib/harness.sh (fail,
# wait_port, at_exit, skip, need). tests/interop/lib.sh sources it; the suites that do not use
# lib.sh (ledger, listpath) source it themselves.

pfx_dir=   # the running instance's folder, empty when none runs

# pfx_up DIR SMTPD_PORT RELAY_PORT: a private Postfix in DIR whose only smtpd listens on
# 127.0.0.1:SMTPD_PORT and which relays everything to [127.0.0.1]:RELAY_PORT (by SMTP; say
# "default_transport = lmtp" in pfx_main for LMTP). Set pfx_main to more main.cf lines, and
# pfx_listeners to master.cf lines that replace the one smtpd listener (SMTPD_PORT is then
# unused and not waited for). Its log is DIR/maillog. Stop it with pfx_down.
pfx_up() {
  local d=$1 p=$2 r=$3 rc=0
  mkdir -p "$d/conf" "$d/queue" "$d/data"
  chmod 755 "$d"                     # the postfix user must reach its queue and data
  chown postfix "$d/data"
  cat >"$d/conf/main.cf" <<CF
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
CF
  # Debian's master.cf without chroot (the queue is not under /var/spool/postfix) and with
  # the smtpd on the test's port only.
  cat >"$d/conf/master.cf" <<CF
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
lmtp      unix  - - n -  - lmtp
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
CF
  # postfix(1) reports to a terminal or syslog only; script(1) gives it a terminal, so its
  # messages land in DIR/start.log. "check" creates the queue directories with their owners.
  timeout -k 5 60 script -qec "postfix -c '$d/conf' check && postfix -c '$d/conf' start" /dev/null \
    >"$d/start.log" 2>&1 </dev/null || rc=$?
  pfx_dir=$d
  [ "$rc" = 0 ] || { fail "private Postfix did not start (exit $rc): $(tr -d '\r' <"$d/start.log" | tail -n 2 | tr '\n' ' ')"; return 1; }
  [ -n "${pfx_listeners:-}" ] || wait_port "$p" "" 30 || { fail "Postfix smtpd not listening on $p"; return 1; }
}

pfx_down() {
  [ -n "$pfx_dir" ] || return 0
  timeout -k 5 60 script -qec "postfix -c '$pfx_dir/conf' stop" /dev/null >>"$pfx_dir/stop.log" 2>&1 </dev/null || true
  pfx_dir=
}

# pfx_relay SMTPD_PORT RELAY_PORT HEADER_CHECK [MAIN-CF-LINES]: pfx_up in $tmp/pfx with one
# header_checks rule (may be empty) and MAIN-CF-LINES, stopped at exit at the latest.
pfx_relay() {
  mkdir -p "$tmp/pfx/conf"
  printf '%s\n' "$3" >"$tmp/pfx/conf/header_checks"
  at_exit pfx_down
  pfx_main="header_checks = regexp:$tmp/pfx/conf/header_checks
${4:-}" pfx_up "$tmp/pfx" "$1" "$2"
}

pfx_needed() {
  [ "$(id -u)" = 0 ] || skip "a private Postfix instance needs root"
  need postfix postfix || skip "no Postfix"
  getent passwd postfix >/dev/null || skip "no postfix user"
}
