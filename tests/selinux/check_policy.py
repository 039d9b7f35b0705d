# SPDX-License-Identifier: GPL-3.0-or-later
"""Allow-list and deny-list assertions over a linked policy (policy.33) holding the postal module.

Usage: /usr/bin/python3 check_policy.py POLICY
Prints "ok   NAME" or "FAIL NAME: detail" per assertion, then "N passed, N failed"; exits 1 on
any failure. Conditional rules count at the booleans' defaults unless an assertion sets them.
"""
import sys

import setools

from policyrules import Checker, Rules

DAEMONS = ("bhm_t", "postal_t", "rabid_t")
CTL, CTL_RO = "postalctl_t", "postalctl_ro_t"
SOCKS = {d: (f"{d[:-2]}_admin_sock_t", f"{d[:-2]}_status_sock_t") for d in DAEMONS}
OURS = {"postal_conf_t", "postal_log_t", "postal_var_lib_t", "postal_runtime_t", "postal_tmp_t",
        "postal_cache_t", "postal_unit_t", "postal_port_t", "postal_metrics_port_t", "postalctl_exec_t", CTL, CTL_RO, *DAEMONS,
        *(s for pair in SOCKS.values() for s in pair)}
LOGINS = ("user_t", "staff_t", "sysadm_t")
UNPRIVILEGED = ("user_t", "staff_t")
FILES = {"file", "dir", "lnk_file", "sock_file", "fifo_file", "chr_file", "blk_file"}
MODIFY = {"write", "append", "create", "unlink", "rename", "setattr", "link", "add_name",
          "remove_name", "rmdir", "reparent", "relabelfrom", "relabelto", "mounton"}
READ = {"read", "open", "getattr", "map", "execute", "search", "ioctl", "lock"}
# What the users own: their homes, temporary and run-time files, mail, keys; and the password hashes.
USERS_FILES = ("user_home_t", "user_home_dir_t", "user_tmp_t", "user_runtime_t", "mail_spool_t",
               "mail_home_t", "ssh_home_t", "gpg_secret_t", "shadow_t")
# The only files a daemon may execute: the JVM (its entry point), the loader, shared libraries.
JVM_EXEC = {"java_exec_t", "ld_so_t", "lib_t", "textrel_shlib_t"}
# Ports by daemon and permission, the boolean off.
PORTS = {("bhm_t", "name_bind"): {"smtp_port_t", "lmtp_port_t", "postal_port_t", "postal_metrics_port_t"},
         ("bhm_t", "name_connect"): {"dns_port_t"},
         ("postal_t", "name_bind"): {"postal_metrics_port_t"},
         ("postal_t", "name_connect"): {"smtp_port_t", "lmtp_port_t", "postal_port_t", "dns_port_t"},
         ("rabid_t", "name_bind"): {"postal_metrics_port_t"},
         ("rabid_t", "name_connect"): {"pop_port_t", "dns_port_t"}}
BOOL = "postal_use_unreserved_ports"


def daemon_checks(c, rules, d):
    admin, status = SOCKS[d]
    execs = rules.targets(d, {"file"}, {"execute", "execute_no_trans"})
    c.subset(f"{d} executes only the JVM and libraries", {t for t, _ in execs}, JVM_EXEC)
    c.lacks(f"{d} cannot execute a shell or bin_t", {t for t, _ in execs}, {"shell_exec_t", "bin_t"})
    c.check(f"{d} has no execute_no_trans", not any("execute_no_trans" in p for p in execs.values()),
            sorted(t for (t, _), p in execs.items() if "execute_no_trans" in p))
    entry = rules.targets(d, {"file"}, {"entrypoint"})
    c.equal(f"{d} is entered only through the JVM", {t for t, _ in entry}, {"java_exec_t"})
    trans = rules.targets(d, {"process"}, {"transition", "dyntransition"})
    c.check(f"{d} cannot transition to any domain", not trans, sorted(t for t, _ in trans))
    c.equal(f"only init_t may start {d}", rules.sources(d, "process", {"transition"}), {"init_t"})
    c.has(f"init_t may start {d} under NoNewPrivileges", rules.perms("init_t", d, "process2"),
          {"nnp_transition"})

    writes = {t for t, _ in rules.targets(d, FILES, MODIFY)}
    own = {"postal_log_t", "postal_var_lib_t", "postal_runtime_t", "postal_tmp_t", admin, status, d}
    # Granted to every domain (/dev/null, /dev/tty, the mcstrans socket) or to every daemon
    # (systemd's pipes and memfd, sd_notify), used for name resolution (nscd, resolved, avahi
    # sockets), or /tmp itself (hsperfdata gets postal_tmp_t by transition).
    common = {"null_device_t", "zero_device_t", "devtty_t", "setrans_runtime_t", "init_t",
              "init_tmpfs_t", "init_runtime_t", "initrc_devpts_t", "devlog_t", "tmp_t",
              "avahi_runtime_t", "nscd_runtime_t", "systemd_resolved_runtime_t"}
    c.subset(f"{d} modifies only its own files", writes, own | common)
    c.lacks(f"{d} cannot modify configuration", writes, {"etc_t", "postal_conf_t"})
    c.has(f"{d} reads /etc/postal", rules.perms(d, "postal_conf_t", "file"), {"read", "open"})
    log = rules.perms(d, "postal_log_t", "file")
    c.has(f"{d} creates and appends logs", log, {"create", "append", "open"})
    c.lacks(f"{d} cannot rewrite, truncate or remove logs", log,
            {"write", "setattr", "unlink", "rename", "link"})
    c.lacks(f"{d} cannot remove log entries", rules.perms(d, "postal_log_t", "dir"),
            {"remove_name", "rmdir", "reparent"})
    c.has(f"{d} manages its state", rules.perms(d, "postal_var_lib_t", "file"),
          {"create", "write", "unlink", "rename"})
    c.has(f"{d} maps the class-data-sharing archive", rules.perms(d, "postal_cache_t", "file"),
          {"open", "read", "map"})
    c.has(f"{d} finds the archive in /var/cache/postal", rules.perms(d, "postal_cache_t", "dir"), {"search"})
    for t in USERS_FILES:
        got = set().union(*(rules.perms(d, t, k) for k in FILES))
        c.lacks(f"{d} cannot touch {t}", got, READ | MODIFY)
    c.has(f"{d} may run the JIT", rules.perms(d, d, "process"), {"execmem"})
    c.has(f"{d} reads its own /proc (its unit name from /proc/self/cgroup)", rules.perms(d, d, "file"),
          {"read", "open"})
    c.has(f"systemd may make a listening socket as {d} (socket activation)",
          rules.perms("init_t", d, "tcp_socket"), {"create", "bind", "listen"})
    c.lacks(f"{d} has no executable stack, heap or ptrace", rules.perms(d, d, "process"),
            {"execstack", "execheap", "ptrace", "setexec", "setcurrent", "dyntransition"})
    caps = rules.perms(d, d, "capability") | rules.perms(d, d, "cap_userns")
    c.subset(f"{d} capabilities", caps, {"net_bind_service"} if d == "bhm_t" else set())
    locking = rules.perms(d, d, "capability", postal_lock_memory=True)
    c.equal(f"{d} capabilities with postal_lock_memory on: ipc_lock added", locking - caps, {"ipc_lock"})
    for perm in ("name_bind", "name_connect"):
        got = {t for t, _ in rules.targets(d, {"tcp_socket"}, {perm})}
        c.equal(f"{d} tcp {perm} only {sorted(PORTS[(d, perm)])}", got, PORTS[(d, perm)])
    c.check(f"{d} binds no UDP port", not rules.targets(d, {"udp_socket"}, {"name_bind"}))

    # The sockets: a client needs the socket file (write) and the daemon (connectto).
    def clients(sock):
        return rules.sources(sock, "sock_file", {"write"}) & rules.sources(d, "unix_stream_socket", {"connectto"})
    c.equal(f"only postalctl_t may use the {d} admin socket", clients(admin) - {d}, {CTL})
    c.equal(f"postalctl_t and postalctl_ro_t may use the {d} status socket", clients(status) - {d},
            {CTL, CTL_RO})
    for other in set(DAEMONS) - {d}:
        c.lacks(f"{d} cannot touch the sockets of {other}", set().union(
            *(rules.perms(d, s, "sock_file") for s in SOCKS[other])), MODIFY | {"write"})
        c.lacks(f"{d} cannot signal or connect to {other}", rules.perms(d, other, "process")
                | rules.perms(d, other, "unix_stream_socket"), {"signal", "sigkill", "ptrace", "connectto"})
    c.equal(f"{d} is in role system_r only", roles_with(rules.policy, d), {"system_r"})


def socket_type_checks(c, rules):
    """The sockets are typed when the daemon creates them, by one fixed name, and never relabelled by us."""
    policy = rules.policy
    sockets = {s for pair in SOCKS.values() for s in pair}
    made = set()
    for r in policy.terules():
        if r.ruletype == setools.TERuletype.type_transition and r.default.name in sockets:
            for s in r.source.expand():
                made.add((s.name, r.target.name, r.tclass.name, getattr(r, "filename", None) or "", r.default.name))
    # An instance (postal@PROFILE) cannot be named in a policy: its status socket is bound as
    # status.sock in a private folder in /run/postal, then linked to its real name.
    want = set()
    for d, (admin, status) in SOCKS.items():
        want |= {(d, "postal_runtime_t", "sock_file", "", admin),
                 (d, "postal_runtime_t", "sock_file", "status.sock", status)}
    c.equal("the socket types come from the daemons' own type transitions, the status one by "
            "the name status.sock only", made, want)
    relabel = {"relabelfrom", "relabelto"}
    named = sorted(f"{r.source} {r.target}" for r in policy.terules()
                   if r.ruletype == setools.TERuletype.allow and relabel & set(r.perms)
                   and (r.target.name in sockets | {"postal_admin_sock", "postal_status_sock"}))
    c.check("no rule names the socket types for relabelling (restorecon's setfiles_t may, on every file type)",
            not named, named)
    for d in (*DAEMONS, CTL, CTL_RO):
        got = rules.targets(d, FILES, relabel)
        c.check(f"{d} relabels nothing", not got, sorted(f"{t}:{k}" for t, k in got))


def roles_with(policy, t):
    return {r.name for r in policy.roles() if t in {x.name for x in r.types()}}


def ctl_checks(c, rules):
    tt = {(r.source.name, r.default.name) for r in rules.policy.terules()
          if r.ruletype == setools.TERuletype.type_transition and r.target.name == "postalctl_exec_t"}
    c.equal("postalctl transitions by caller (logrotate_t: postrotate's reopen)", tt,
            {("sysadm_t", CTL), ("logrotate_t", CTL), ("staff_t", CTL_RO), ("user_t", CTL_RO)})
    c.equal("only sysadm_r and system_r (logrotate) may hold postalctl_t", roles_with(rules.policy, CTL),
            {"sysadm_r", "system_r"})
    c.equal("user_r and staff_r hold postalctl_ro_t", roles_with(rules.policy, CTL_RO), {"user_r", "staff_r"})
    c.equal("who may enter postalctl_t", rules.sources(CTL, "process", {"transition"}), {"sysadm_t", "logrotate_t"})
    c.equal("who may enter postalctl_ro_t", rules.sources(CTL_RO, "process", {"transition"}),
            {"user_t", "staff_t"})
    for ctl in (CTL, CTL_RO):
        writes = {t for t, _ in rules.targets(ctl, {"file", "dir"}, MODIFY)}
        c.lacks(f"{ctl} cannot modify configuration, logs or state", writes,
                {"etc_t", "postal_conf_t", "postal_log_t", "postal_var_lib_t"})
        c.check(f"{ctl} cannot signal the daemons", not any(
            rules.perms(ctl, d, "process") & {"signal", "sigkill", "sigstop", "ptrace"} for d in DAEMONS))


def logrotate_checks(c, rules):
    """logrotate renames the logs and has the daemons reopen them; it gains no other hold on them."""
    lr = "logrotate_t"
    c.has("logrotate_t renames and removes the logs", rules.perms(lr, "postal_log_t", "file"),
          {"rename", "unlink", "getattr"})
    c.has("logrotate_t adds and removes names in /var/log/postal", rules.perms(lr, "postal_log_t", "dir"),
          {"add_name", "remove_name"})
    c.has("logrotate_t lists /run/postal for the admin sockets", rules.perms(lr, "postal_runtime_t", "dir"),
          {"read", "search"})
    # (refpolicy lets logrotate_t send every domain a plain signal; this module adds none.)
    for d in DAEMONS:
        c.lacks(f"logrotate_t cannot kill, trace or connect to {d} itself", rules.perms(lr, d, "process")
                | rules.perms(lr, d, "unix_stream_socket"), {"sigkill", "sigstop", "ptrace", "connectto"})


def login_checks(c, rules):
    for u in UNPRIVILEGED:
        c.lacks(f"{u} cannot start, stop or reload the services", rules.perms(u, "postal_unit_t", "service"),
                {"start", "stop", "reload", "enable", "disable"})
        for d in DAEMONS:
            c.lacks(f"{u} cannot signal, trace or connect to {d}", rules.perms(u, d, "process")
                    | rules.perms(u, d, "unix_stream_socket"),
                    {"signal", "sigkill", "sigstop", "ptrace", "connectto"})
        for t in ("postal_conf_t", "etc_t", "postal_var_lib_t", "postal_log_t", "postal_cache_t"):
            c.lacks(f"{u} cannot modify {t}", rules.perms(u, t, "file") | rules.perms(u, t, "dir"),
                    MODIFY - {"relabelfrom", "relabelto", "mounton"})
        c.has(f"{u} maps the class-data-sharing archive (the launchers run by hand)",
              rules.perms(u, "postal_cache_t", "file"), {"open", "read", "map"})
        c.lacks(f"{u} cannot run postalctl as postalctl_t", rules.perms(u, CTL, "process"), {"transition"})
        c.lacks(f"{u} cannot even stat /etc/shadow", rules.perms(u, "shadow_t", "file"), READ)
    a = "sysadm_t"
    c.has("sysadm_t starts, stops and reloads the services", rules.perms(a, "postal_unit_t", "service"),
          {"start", "stop", "reload", "status"})
    for d in DAEMONS:
        c.has(f"sysadm_t signals {d}", rules.perms(a, d, "process"), {"signal", "sigkill"})
    c.has("sysadm_t edits /etc/postal", rules.perms(a, "postal_conf_t", "file"), {"write", "create"})


def role_checks(c, rules):
    """Outside system_r and sysadm_r, no domain of any role may control the services."""
    roles = {r.name: {t.name for t in r.types()} for r in rules.policy.roles()
             if r.name not in ("system_r", "sysadm_r", "object_r")}
    others = set().union(*roles.values())
    c.check("login roles other than sysadm_r exist", {"user_r", "staff_r"} <= set(roles), sorted(roles))
    c.equal("outside sysadm_r no domain starts, stops or reloads the services",
            rules.sources("postal_unit_t", "service", {"start", "stop", "reload"}) & others, set())
    # (relabelling is the security administrator's and restorecon's: secadm_t, setfiles_t)
    c.equal("outside sysadm_r no domain modifies /etc/postal",
            rules.sources("postal_conf_t", "file", MODIFY - {"relabelfrom", "relabelto"}) & others, set())
    for d in DAEMONS:
        c.equal(f"outside sysadm_r only postalctl_ro_t connects to {d}",
                rules.sources(d, "unix_stream_socket", {"connectto"}) & others, {CTL_RO})
        # refpolicy lets the audit administrator and the display manager signal every domain.
        c.subset(f"outside sysadm_r no domain signals or traces {d} (but auditadm_t, xdm_t)",
                 rules.sources(d, "process", {"signal", "sigkill", "sigstop", "ptrace"}) & others,
                 {"auditadm_t", "xdm_t"})


def boolean_checks(c, rules):
    b = {x.name: x.state for x in rules.policy.bools()}
    c.check(f"boolean {BOOL} exists and is off", b.get(BOOL) is False, b.get(BOOL))
    on = {BOOL: True}
    c.has(f"{BOOL}: bhm_t binds any unreserved port",
          rules.perms("bhm_t", "unreserved_port_t", "tcp_socket", **on), {"name_bind"})
    for d in ("postal_t", "rabid_t"):
        c.has(f"{BOOL}: {d} connects to any unreserved port",
              rules.perms(d, "unreserved_port_t", "tcp_socket", **on), {"name_connect"})
    c.lacks(f"{BOOL}: still no reserved port for bhm_t",
            {t for t, _ in rules.targets("bhm_t", {"tcp_socket"}, {"name_bind"}, **on)},
            {"reserved_port_t", "hi_reserved_port_t", "ssh_port_t", "http_port_t"})


def main(path):
    policy = setools.SELinuxPolicy(path)
    names = {t.name for t in policy.types()}
    missing = OURS - names
    c = Checker()
    c.check("the module's types are in the policy", not missing, sorted(missing))
    c.check("strict: unconfined_t is gone", "unconfined_t" not in names)
    rules = Rules(policy, OURS | set(LOGINS) | {"init_t", "shadow_t", "logrotate_t"})
    for d in DAEMONS:
        daemon_checks(c, rules, d)
    socket_type_checks(c, rules)
    ctl_checks(c, rules)
    logrotate_checks(c, rules)
    login_checks(c, rules)
    role_checks(c, rules)
    boolean_checks(c, rules)
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: check_policy.py POLICY")
    sys.exit(main(sys.argv[1]))
