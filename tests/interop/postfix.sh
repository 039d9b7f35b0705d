# SPDX-License-Identifier: GPL-3.0-or-later
# A private Postfix for the interop suites (sourced, not run): its own queue, config and log in
# $tmp/pfx, only the host's binaries used; needs tests/lib/harness.sh (fail, wait_port, at_exit).
# The caller sets pfx= before sourcing.

# pfx_up SMTPD_PORT RELAY_PORT HEADER_CHECK [MAIN-CF-LINES]: a private Postfix in $tmp/pfx (its
# own queue, config and log; only the host's binaries are used) whose smtpd listens on
# 127.0.0.1:SMTPD_PORT, relaying everything to [127.0.0.1]:RELAY_PORT, with one header_checks
# rule; MAIN-CF-LINES go last in main.cf (e.g. "default_transport = lmtp" to deliver by LMTP).
pfx_up() {
  local d=$tmp/pfx rc=0
  mkdir -p "$d/conf" "$d/queue" "$d/data"
  chmod 755 "$d" && chown postfix "$d/data"
  printf '%s\n' "$3" >"$d/conf/header_checks"
  cat >"$d/conf/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $d/queue
data_directory = $d/data
mail_owner = postfix
setgid_group = postdrop
myhostname = relay.ledger.test
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relayhost = [127.0.0.1]:$2
mynetworks = 127.0.0.0/8
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
smtp_dns_support_level = disabled
header_checks = regexp:$d/conf/header_checks
maillog_file = $d/maillog
maillog_file_prefixes = $d
biff = no
${4:-}
CF
  cat >"$d/conf/master.cf" <<CF
127.0.0.1:$1 inet n - n - - smtpd
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
  # postfix(1) reports to a terminal or syslog only; script(1) gives it one.
  timeout -k 5 60 script -qec "postfix -c '$d/conf' check && postfix -c '$d/conf' start" /dev/null \
    >"$tmp/pfx.start" 2>&1 </dev/null || rc=$?
  pfx=$d
  at_exit 'pfx_down'
  [ "$rc" = 0 ] || { fail "private Postfix did not start (exit $rc)"; return 1; }
  wait_port "$1" "" 30 || { fail "Postfix smtpd not listening on $1"; return 1; }
}

pfx_down() {
  [ -n "$pfx" ] || return 0
  timeout -k 5 60 script -qec "postfix -c '$pfx/conf' stop" /dev/null >>"$tmp/pfx.stop" 2>&1 </dev/null || true
  pfx=
}

pfx_needed() {
  [ "$(id -u)" = 0 ] || skip "a private Postfix instance needs root"
  need postfix postfix || skip "no Postfix"
  getent passwd postfix >/dev/null || skip "no postfix user"
}
