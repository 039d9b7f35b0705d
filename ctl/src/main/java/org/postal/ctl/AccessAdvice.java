// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;

/**
 * Says why connecting to a socket was refused (EACCES) and what would fix it: the group the file
 * modes ask for when we are not in it, or the SELinux role when we are and were still refused; for
 * a status socket, its mode or the domain postalctl runs in. When SELinux enforces, a refusal the
 * modes do not explain is put down to type enforcement.
 */
final class AccessAdvice {

    /** Who we are, as the kernel checks it: effective uid and gid and the supplementary groups. */
    record Identity(int uid, int gid, Set<Integer> groups) {

        Identity {
            groups = Set.copyOf(groups);
        }

        /** Ours, from {@code /proc/self/status}; null when it cannot be read. */
        static Identity current() {
            try {
                return parse(Files.readString(Path.of("/proc/self/status")));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** Parses the {@code Uid:}, {@code Gid:} and {@code Groups:} lines of proc(5) status. */
        static Identity parse(String status) {
            int uid = -1;
            int gid = -1;
            Set<Integer> groups = new HashSet<>();
            for (String line : status.split("\n")) {
                String[] fields = line.trim().split("\\s+");
                switch (fields[0]) {
                    case "Uid:" -> uid = Integer.parseInt(fields[2]);
                    case "Gid:" -> gid = Integer.parseInt(fields[2]);
                    case "Groups:" -> {
                        for (int i = 1; i < fields.length; i++) {
                            groups.add(Integer.parseInt(fields[i]));
                        }
                    }
                    default -> {
                    }
                }
            }
            if (uid < 0 || gid < 0) {
                throw new IllegalArgumentException("no Uid: or Gid: line");
            }
            return new Identity(uid, gid, groups);
        }
    }

    /** A socket file's owner, group and mode bits, as the kernel checks a connect against them. */
    private record SocketFile(int uid, int gid, String group, Set<PosixFilePermission> bits) {

        /** The file's, or null when they cannot be read (gone, or its directory shuts us out). */
        static SocketFile read(Path socket) {
            try {
                PosixFileAttributes file = Files.readAttributes(socket, PosixFileAttributes.class);
                return new SocketFile((Integer) Files.getAttribute(socket, "unix:uid"),
                        (Integer) Files.getAttribute(socket, "unix:gid"), file.group().getName(), file.permissions());
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
        }

        String mode() {
            return PosixFilePermissions.toString(bits);
        }

        boolean member(Identity me) {
            return me.gid() == gid || me.groups().contains(gid);
        }

        /** Whether the mode bits let {@code me} write, that is connect. */
        boolean writable(Identity me) {
            return me.uid() == 0 || (me.uid() == uid ? bits.contains(PosixFilePermission.OWNER_WRITE)
                    : member(me) ? bits.contains(PosixFilePermission.GROUP_WRITE)
                    : bits.contains(PosixFilePermission.OTHERS_WRITE));
        }
    }

    /** How an administrator reaches postalctl_t, the one domain the policy lets at admin sockets. */
    private static final String SYSADM = "run postalctl in role sysadm_r (e.g. 'sudo -r sysadm_r -t sysadm_t postalctl ...')";

    private AccessAdvice() {
    }

    /**
     * Advice for a refused admin socket; {@code me} null when we do not know who we are, {@code policy}
     * the SELinux state that decides whether a refusal the modes allow was type enforcement.
     */
    static String forAdmin(Path socket, String daemon, Identity me, Selinux policy) {
        String readOnly = " (or use the read-only " + daemon
                + "-status.sock for status, stats, watch and config)";
        SocketFile file = SocketFile.read(socket);
        if (file == null) {
            return "the admin socket needs membership of group postal, and its directory "
                    + socket.toAbsolutePath().getParent() + " must let you in" + readOnly;
        }
        String group = file.group();
        String mode = file.mode();
        String join = "needs membership of group " + group + ": an administrator can add you with 'usermod -a -G "
                + group + " USER', then log in again";
        String selinux = "under SELinux only postalctl_t may connect to admin sockets: " + SYSADM;
        if (me == null) {
            return "the admin socket (" + mode + ", group " + group + ") " + join + "; " + selinux + readOnly;
        }
        boolean member = file.member(me);
        boolean modeLetsUsIn = file.writable(me);
        if (modeLetsUsIn && policy.enforcing()) {
            return typeEnforcement(socket, mode, group, policy.context(), readOnly);
        }
        if (modeLetsUsIn) {
            return "its mode (" + mode + ", group " + group + ") lets you in, so the security policy refused: "
                    + selinux + readOnly;
        }
        if (member) {
            return "its mode (" + mode + ", group " + group + ") shuts out group " + group
                    + " as well; the daemon makes it rw-rw----";
        }
        return "the admin socket (" + mode + ", group " + group + ") " + join + readOnly;
    }

    /**
     * Advice for a refused status socket, which the daemon makes rw-rw-rw- so that anyone may read
     * status: the modes, or (when they let us in and SELinux enforces) the policy, which lets only
     * postalctl's own domains connect, as the installed postalctl enters them.
     */
    static String forStatus(Path socket, Identity me, Selinux policy) {
        SocketFile file = SocketFile.read(socket);
        if (file == null) {
            return "check its mode (rw-rw-rw- expected) and that its directory "
                    + socket.toAbsolutePath().getParent() + " lets you in";
        }
        String mode = file.mode();
        if (me != null && file.writable(me)) {
            if (policy.enforcing()) {
                return typeEnforcement(socket, mode, policy.context(), "only postalctl's domains (postalctl_ro_t, "
                        + "postalctl_t) may connect to status sockets, and the installed /usr/bin/postalctl "
                        + "enters them (a copy or 'java -jar' runs in your own domain)");
            }
            return "its mode (" + mode + ") lets you in, so its directory " + socket.toAbsolutePath().getParent()
                    + " or the security policy refused";
        }
        return "its mode (" + mode + ") shuts you out; the daemon makes it rw-rw-rw-, so that anyone may "
                + "read status";
    }

    /** Advice when the modes let us in and SELinux enforces: the policy, not the modes, refused. */
    private static String typeEnforcement(Path socket, String mode, String group, String context, String readOnly) {
        return typeEnforcement(socket, mode + ", group " + group, context,
                "only postalctl_t may connect to admin sockets, so " + SYSADM + readOnly);
    }

    /**
     * The type-enforcement advice both socket kinds share: {@code mode} as shown, our {@code context}
     * (null: left out), {@code whoMay} who may connect and how to become that, then where to look.
     */
    private static String typeEnforcement(Path socket, String mode, String context, String whoMay) {
        String who = context == null ? "" : "you run as " + context + ", and ";
        return "its mode (" + mode + ") would let you in, but SELinux type enforcement refused the connection: "
                + who + whoMay + "; 'ls -Z " + socket + "' shows the socket's type, "
                + "'ausearch -m AVC -ts recent' the denial, and postal_selinux(8) which domains may connect";
    }
}
