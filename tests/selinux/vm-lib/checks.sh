# SPDX-License-Identifier: GPL-3.0-or-later
# What tests/selinux/vm checks inside the booted guest (sourced by it). Two logins: postaladm
# (UID 0, sysadm_u -> sysadm_r:sysadm_t, the administrator, also reads the audit log) and root
# (UID 0, user_u -> user_r:user_t, the play machine's visitor).
# Uses from the caller: ssh_as (guest.sh), note(), pass(), fail().

OUR_DOMAINS='bhm_t|postal_t|rabid_t|postalctl_t|postalctl_ro_t'

admin() { ssh_as postaladm "$@"; }
visitor() { ssh_as root "$@"; }

# Polls (at most LIMIT seconds) until COMMAND, run as admin, prints PATTERN (extended regex).
admin_wait_for() {
  local limit=$1 pat=$2 cmd=$3 deadline out
  deadline=$((SECONDS + limit))
  while :; do
    out=$(admin "$cmd" 2>&1) && grep -Eq -- "$pat" <<< "$out" && { printf '%s\n' "$out"; return 0; }
    [ $SECONDS -lt $deadline ] || { printf '%s\n' "$out"; return 1; }
    sleep 2
  done
}

audit_mark() { admin 'wc -l < /var/log/audit/audit.log'; }

# AVC denial records after line MARK that match PATTERN; auditd writes them a little later than
# the call fails, so this waits up to 5 s for one to appear.
avc_since() {
  local mark=$1 pat=$2 i out
  for i in 1 2 3 4 5 6 7 8 9 10; do
    out=$(admin "tail -n +$((mark + 1)) /var/log/audit/audit.log | grep -E 'avc: +denied' | grep -E -e $(printf %q "$pat")") \
      && { printf '%s\n' "$out"; return 0; }
    sleep 0.5
  done
  return 1
}

main_pid() { admin 'systemctl show -p MainPID --value bhm'; }
bhm_messages() { admin 'postalctl --json bhm stats' | sed -n 's/.*"messages":\([0-9]*\).*/\1/p'; }

# The SELinux context of the running JVM whose command line matches PATTERN (as admin sees it).
jvm_label() {
  admin_wait_for "${2:-60}" . "ps -e -o label=,args= | grep -E -e $(printf %q "$1") | grep -v grep | cut -d' ' -f1"
}

# --- the administrator's part: services confined, working, changed from sysadm_r -------------

check_guest_mode() {
  local want=$1 got lsm
  got=$(admin getenforce)
  lsm=$(admin cat /sys/kernel/security/lsm)
  [ "$got" = "$want" ] && [[ $lsm == *selinux* ]] && pass "SELinux $got (LSMs $lsm)" \
    || fail "SELinux mode '$got', want '$want' (LSMs $lsm)"
}

check_logins() {
  local a v
  a=$(admin 'echo "$(id -u) $(id -Z)"')
  v=$(visitor 'echo "$(id -u) $(id -Z)"')
  [[ $a == "0 sysadm_u:sysadm_r:sysadm_t:"* ]] && pass "postaladm logs in as UID 0 in $a" || fail "postaladm context: $a"
  [[ $v == "0 user_u:user_r:user_t:"* ]] && pass "root logs in as UID 0 in $v" || fail "root context: $v"
}

# Waits (at most 300 s; less once systemd restarted it 3 times) until UNIT is active.
wait_active() {
  local unit=$1 deadline=$((SECONDS + 300)) state restarts
  while :; do
    # Two questions, not one `show -p A -p B`: systemctl prints properties in its own order.
    state=$(admin "systemctl is-active $unit" 2>/dev/null)
    [ "$state" = active ] && return 0
    restarts=$(admin "systemctl show -p NRestarts --value $unit" 2>/dev/null)
    [ "${restarts:-0}" -ge 3 ] 2>/dev/null && return 1
    [ $SECONDS -lt $deadline ] || return 1
    sleep 3
  done
}

check_service_domain() {  # unit domain
  local unit=$1 want=$2 ctx
  if ! wait_active "$unit"; then
    fail "$unit is not active: $(admin "systemctl status --no-pager $unit 2>&1 | grep -E 'Active:|Process:|restart'")"; return
  fi
  ctx=$(admin "cat /proc/\$(systemctl show -p MainPID --value $unit)/attr/current" | tr -d '\0')
  [[ $ctx == "system_u:system_r:$want:"* ]] && pass "systemd runs $unit in $ctx" || fail "$unit runs in '$ctx', want $want"
}

# The unit's confined JVM has mapped the class-data-sharing archive, labelled postal_cache_t.
check_archive_mapped() {  # unit
  local label maps
  label=$(admin "stat -c %C /var/cache/postal/postal.jsa" 2>&1)
  maps=$(admin "grep -c ' /var/cache/postal/postal.jsa\$' /proc/\$(systemctl show -p MainPID --value $1)/maps" 2>&1)
  [[ $label == *:postal_cache_t:* && $maps =~ ^[1-9][0-9]*$ ]] \
    && pass "$1 mapped /var/cache/postal/postal.jsa ($label, $maps mappings)" \
    || fail "$1 and /var/cache/postal/postal.jsa: label '$label', mappings '$maps'"
}

check_delivery() {
  local n1 n2
  admin_wait_for 240 '"messages":[1-9]' 'postalctl --json bhm stats' > /dev/null || { fail "bhm counted no message"; return; }
  n1=$(bhm_messages); sleep 5; n2=$(bhm_messages)
  [ -n "$n1" ] && [ -n "$n2" ] && [ "$n2" -gt "$n1" ] && pass "postal delivers to bhm: $n1 -> $n2 messages in 5 s" \
    || fail "bhm's count did not grow: '$n1' -> '$n2'"
}

check_admin_rate() {
  local out
  out=$(admin "postalctl postal rate $NEW_RATE" 2>&1) || { fail "postalctl postal rate $NEW_RATE as sysadm: $out"; return; }
  out=$(admin 'postalctl postal status' 2>&1)
  grep -Eq "^rate: +$NEW_RATE_SHOWN\$" <<< "$out" && pass "sysadm_r changed postal's rate: $(grep '^rate' <<< "$out")" \
    || fail "postal status after the rate change: $out"
}

# postalctl's domain, seen while a "watch" runs: started by LOGIN, read by the admin's ps.
check_ctl_domain() {  # login daemon want
  local login=$1 daemon=$2 want=$3 pid label
  pid=$(ssh_as "$login" "postalctl $daemon watch > /dev/null 2>&1 & echo \$!")
  label=$(jvm_label "org.postal.ctl.PostalCtl $daemon watch" 60)
  admin "kill $pid" 2>/dev/null || true
  [[ $label == *":$want:"* ]] && pass "postalctl run by $login runs in $label" || fail "postalctl run by $login: label '$label', want $want"
}

# An instance of the template unit (postal@NAME, started by the administrator): its status
# socket has the status type as soon as the unit is active, with no restorecon (the daemon binds
# it as status.sock, the name the policy's type transition matches), its admin socket the admin
# type, and root (user_t, so postalctl runs in postalctl_ro_t) reads its status.
check_instance() {  # profile
  local name=postal@$1 labels sock want got out
  check_service_domain "$name.service" postal_t
  labels=$(admin "ls -Z /run/postal/$name.sock /run/postal/$name-status.sock" 2>&1)
  for sock in "$name.sock" "$name-status.sock"; do
    want=postal_admin_sock_t; [[ $sock == *-status.sock ]] && want=postal_status_sock_t
    got=$(awk -v f="/run/postal/$sock" '$2 == f { print $1 }' <<< "$labels")
    [[ $got == *":$want:"* ]] && pass "/run/postal/$sock is $got" || fail "/run/postal/$sock: '$got', want $want ($labels)"
  done
  out=$(visitor "postalctl $name status" 2>&1) && grep -q '^state: *running' <<< "$out" \
    && pass "root (user_t) reads postalctl $name status" || fail "postalctl $name status as root: $out"
}

# AVC denial records (from the admin's view of audit.log) matching REGEX, one line per kind:
# count, permissions, source type -> target type (class).
avc_kinds() {
  admin "grep -E 'avc: +denied' /var/log/audit/audit.log | grep -E -e $(printf %q "$1")" \
    | sed -E 's/.*denied +(\{[^}]*\}).*scontext=[^:]*:[^:]*:([^:]*):.*tcontext=[^:]*:[^:]*:([^:]*):.* tclass=([^ ]*).*/\1 \2 -> \3 (\4)/' \
    | sort | uniq -c | sort -rn
}

# Of the AVC kinds on stdin (avc_kinds' lines), prints those that the shipped policy would log
# too: a kind whose every permission one of its dontaudit rules covers is left out.
audited_kinds() {
  local count rest perms src tgt cls p hidden
  while read -r count rest; do
    perms=$(sed -E 's/^\{ (.*) \}.*/\1/' <<< "$rest")
    read -r src tgt cls <<< "$(sed -E 's/^\{[^}]*\} ([^ ]*) -> ([^ ]*) \((.*)\)$/\1 \2 \3/' <<< "$rest")"
    hidden=yes
    for p in $perms; do
      sesearch --dontaudit -s "$src" -t "$tgt" -c "$cls" -p "$p" "$W/shipped.33" 2> /dev/null | grep -q . \
        || { hidden=no; break; }
    done
    [ $hidden = yes ] || printf '%7s %s\n' "$count" "$rest"
  done
}

# No denial that a normal system would log for the domains (regex); the ones its dontaudit
# rules hide are listed, not counted.
check_no_avc() {  # domains regex, description
  local all shown
  all=$(avc_kinds "scontext=[^ ]*:($1):")
  shown=$(audited_kinds <<< "$all")
  [ -z "$all" ] || [ -n "$shown" ] || note "hidden by the shipped policy's dontaudit rules (not counted):"$'\n'"$all"
  [ -z "$shown" ] && pass "no AVC denial for $2" || fail "AVC denials for $2:"$'\n'"$shown"
}

# --- the play machine: root as user_t -------------------------------------------------------

# One action by the visitor. Sets RC, OUT (its output) and AVC (new AVC records matching PATTERN).
try_as_visitor() {  # pattern command
  local mark
  mark=$(audit_mark)
  OUT=$(visitor "$2" 2>&1); RC=$?
  AVC=$(avc_since "$mark" "$1") || AVC=
}

# Judges an action against the mode: denied (enforcing: failed, no effect, AVC permissive=0)
# or granted (permissive: took effect, AVC permissive=1). EFFECT is 0 if the action took effect.
judge() {  # mode name effect
  local mode=$1 name=$2 effect=$3 detail
  detail="rc=$RC; out: $(head -c 300 <<< "$OUT" | tr '\n' ' ')"
  if [ "$mode" = enforcing ]; then
    if [ "$RC" != 0 ] && [ "$effect" != 0 ] && grep -q 'permissive=0' <<< "$AVC"; then
      pass "denied: $name"; sed 's/^/    /' <<< "$AVC" | head -4
    else
      fail "not denied as it should be: $name ($detail; effect=$effect; AVC: ${AVC:-none})"
    fi
  else
    if [ "$effect" = 0 ] && grep -q 'permissive=1' <<< "$AVC"; then
      pass "granted in permissive mode, and logged: $name"; sed 's/^/    /' <<< "$AVC" | head -4
    else
      fail "not granted (or not logged) in permissive mode: $name ($detail; effect=$effect; AVC: ${AVC:-none})"
    fi
  fi
}

play_machine() {  # mode: enforcing|permissive
  local mode=$1 tag out pid
  tag="played-$$-$RANDOM"

  out=$(visitor 'postalctl bhm status' 2>&1) && grep -q '^state: *running' <<< "$out" \
    && pass "root (user_t) reads postalctl bhm status" || fail "postalctl bhm status as root: $out"

  # DAC stops it first (bhm.sock is 0660 postal:postal, and postalctl_ro_t has no dac_override),
  # then the type: only postalctl_t may write to bhm_admin_sock_t
  try_as_visitor 'scontext=user_u:user_r:postalctl_ro_t:.*tcontext=[^ ]*:bhm_admin_sock_t:|capability=1 .*scontext=user_u:user_r:postalctl_ro_t:' 'postalctl bhm pause'
  grep -q 'cannot pause' <<< "$OUT"; judge "$mode" "postalctl bhm pause (admin socket)" $?

  try_as_visitor 'scontext=user_u:user_r:user_t:.*tcontext=[^ ]*:postal_conf_t:' "echo '# $tag' >> /etc/postal/bhm.conf"
  admin "grep -q '# $tag' /etc/postal/bhm.conf"; judge "$mode" "append to /etc/postal/bhm.conf" $?

  try_as_visitor 'scontext=user_u:user_r:user_t:.*tcontext=[^ ]*:shadow_t:' 'stat /etc/shadow'
  judge "$mode" "stat /etc/shadow" "$RC"

  out=$(visitor "echo 'root was here ($tag)' >> /var/lib/guestbook/thanks && tail -1 /var/lib/guestbook/thanks" 2>&1) \
    && grep -q "$tag" <<< "$out" && pass "root appends to the guest book: $out" || fail "guest book append: $out"
  try_as_visitor 'scontext=user_u:user_r:user_t:.*tcontext=[^ ]*:guestbook_t:' ': > /var/lib/guestbook/thanks'
  admin 'test ! -s /var/lib/guestbook/thanks'; judge "$mode" "truncate the guest book (: > thanks)" $?

  pid=$(main_pid)
  # systemctl as UID 0 talks to systemd's private socket; systemd checks "service stop" itself
  try_as_visitor 'scontext=user_u:user_r:user_t:.*tcontext=[^ ]*:(init_runtime_t:.*tclass=sock_file|postal_unit_t:.*tclass=service)' 'systemctl stop bhm'
  admin 'systemctl is-active -q bhm'; [ $? != 0 ]; judge "$mode" "systemctl stop bhm" $?
  if [ "$mode" = permissive ]; then   # bring it back so that there is a JVM to kill
    admin 'systemctl start bhm' > /dev/null 2>&1
    wait_active bhm || fail "bhm did not start again"
    pid=$(main_pid)
  fi

  # killing another UID's process needs CAP_KILL, then "signal" on bhm_t
  try_as_visitor 'capability=5 .*scontext=user_u:user_r:user_t:|scontext=user_u:user_r:user_t:.*tcontext=[^ ]*:bhm_t:.*tclass=process' "kill $pid"
  sleep 1; admin "kill -0 $pid" 2> /dev/null; [ $? != 0 ]; judge "$mode" "kill the bhm JVM (pid $pid)" $?

  if [ "$mode" = enforcing ]; then
    [ "$(main_pid)" = "$pid" ] && admin 'systemctl is-active -q bhm' && pass "bhm still runs as pid $pid after all that" \
      || fail "bhm changed: pid $pid -> $(main_pid)"
  fi
}
