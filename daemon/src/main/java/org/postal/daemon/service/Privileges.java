// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.Passwd;

/**
 * The uid and umask work of the jsvc path, through jnr-posix. jsvc itself switches users
 * ({@code -user postal}) between {@code init} and {@code start}; this only checks that it did, so
 * no daemon ever serves a session as root, and sets the umask systemd's {@code UMask=} would.
 */
public final class Privileges {

    private Privileges() {
    }

    private static POSIX posix() {
        return POSIXFactory.getNativePOSIX();
    }

    /** Sets the umask (0027: files readable by group postal, by nobody else); returns the old one. */
    public static int umask(int mask) {
        return posix().umask(mask);
    }

    public static boolean isRoot() {
        return posix().geteuid() == 0;
    }

    /** "postal (uid 107, gid 113)", for the log. */
    public static String who() {
        POSIX posix = posix();
        int uid = posix.geteuid();
        Passwd pw = posix.getpwuid(uid);
        return (pw == null ? "?" : pw.getLoginName()) + " (uid " + uid + ", gid " + posix.getegid() + ")";
    }

    /**
     * Refuses to go on as root.
     *
     * @throws IllegalStateException as root, saying how to run the program instead
     */
    public static void requireNotRoot(String program) {
        if (isRoot()) {
            throw new IllegalStateException(program + " does not run as root: start it with jsvc -user postal, "
                    + "or under systemd with User=postal");
        }
    }
}
