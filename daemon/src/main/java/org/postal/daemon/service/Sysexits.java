// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

/**
 * The exit statuses of bhm, postal, rabid and postal-list: BSD's sysexits.h (the values Postfix's
 * tools use too), plus the few a program defines for itself.
 */
public final class Sysexits {

    /** A run finished but found what it was asked to check wrong (postal's embedded bhm, rabid --probe). */
    public static final int EX_MISMATCH = 1;
    /** The command line or a config key was wrong. */
    public static final int EX_USAGE = 64;
    /** An input file's content was wrong (postal-list). */
    public static final int EX_DATAERR = 65;
    /** An input file (user list, config file) does not exist or cannot be read. */
    public static final int EX_NOINPUT = 66;
    /** A server could not be reached, or a listener could not be bound. */
    public static final int EX_UNAVAILABLE = 69;
    /** A fault of our own (an exception nothing else caught). */
    public static final int EX_SOFTWARE = 70;
    /** The operating system refused what was asked of it (--lock-memory over the lock limit). */
    public static final int EX_OSERR = 71;
    /** An output file or socket could not be created. */
    public static final int EX_CANTCREAT = 73;
    /** Writing output failed (postal-list). */
    public static final int EX_IOERR = 74;
    /** A config file, or a file a config names, is not usable. */
    public static final int EX_CONFIG = 78;
    /** A second stop signal before the clean stop finished (128 + SIGINT, as a shell reports it). */
    public static final int EX_INTERRUPTED = 130;

    private Sysexits() {
    }
}
