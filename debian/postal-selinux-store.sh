# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by postal-selinux's postinst (module in) and prerm (module out) from
# /usr/share/postal-selinux: the policy stores, the module's priority, Postal's files and
# daemons. Nothing here fails when SELinux is off or no store exists (a chroot, a plain host).

# The policy the running kernel uses (SELINUXTYPE), or nothing when SELinux is off.
postal_selinux_running() {
    if selinuxenabled 2>/dev/null; then
        (. /etc/selinux/config && echo "${SELINUXTYPE:-}")
    fi
}

# The policy stores present, of those the module is built for (default and mls).
postal_selinux_stores() {
    for candidate in default mls; do
        if [ -d "/var/lib/selinux/$candidate/active" ] && [ -d "/etc/selinux/$candidate" ]; then
            echo "$candidate"
        fi
    done
}

# postal_selinux_semodule STORE ARG...: semodule on STORE at priority 200, the level of
# packages' modules (Debian's own are at 100). Like selinux-policy-default's postinst it
# reloads the kernel's policy only when STORE is the one in use (else -n).
postal_selinux_semodule() {
    if [ "$1" = "$(postal_selinux_running)" ]; then
        set -- -s "$@"
    else
        set -- -n -s "$@"
    fi
    semodule -X 200 "$@"
}

# postal_selinux_add STORE: the module, then its port labels (they name its port type).
postal_selinux_add() {
    postal_selinux_semodule "$1" -i /usr/share/selinux/packages/postal.pp.bz2 \
        -i /usr/share/selinux/packages/postal_ports.cil
}

# postal_selinux_remove STORE: those of the two that STORE holds (none: nothing to do).
postal_selinux_remove() {
    remove=$(semodule -s "$1" --list-modules=full \
        | awk '$1 == 200 && ($2 == "postal" || $2 == "postal_ports") { printf " -r %s", $2 }')
    if [ -n "$remove" ]; then
        # shellcheck disable=SC2086 # the words "-r MODULE"
        postal_selinux_semodule "$1" $remove
    fi
}

# With SELinux on, Postal's files get the labels the loaded policy gives them, and the daemons
# that run restart into the domains it gives them (or out of those that are gone).
postal_selinux_follow() {
    [ -n "$(postal_selinux_running)" ] || return 0
    set --
    for path in /etc/postal /var/log/postal /var/lib/postal /var/cache/postal /run/postal \
            /usr/share/postal /usr/lib/postal /usr/sbin/bhm /usr/sbin/postal /usr/sbin/rabid \
            /usr/bin/postalctl /usr/bin/postal-list /lib/systemd/system/bhm.service /lib/systemd/system/bhm.socket /lib/systemd/system/bhm-smtps.socket \
            /lib/systemd/system/postal.service /lib/systemd/system/postal@.service \
            /lib/systemd/system/rabid.service /lib/systemd/system/bhm@.service \
            /lib/systemd/system/rabid@.service; do
        if [ -e "$path" ]; then
            set -- "$@" "$path"
        fi
    done
    if [ $# -gt 0 ] && ! restorecon -R -F "$@"; then
        echo "postal-selinux: restorecon failed; run: restorecon -R -F $*" >&2
    fi
    if [ -d /run/systemd/system ] && ! deb-systemd-invoke try-restart bhm.service \
            postal.service rabid.service 'bhm@*.service' 'postal@*.service' 'rabid@*.service'; then
        echo "postal-selinux: restarting Postal's daemons failed; see: systemctl status 'postal*' bhm rabid" >&2
    fi
}
