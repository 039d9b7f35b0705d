// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl.protocol;

import java.util.Locale;
import java.util.Optional;

/** The closed set of control commands (doc/DECISIONS.md §3), each with its word, access and argument count. */
public enum Command {
    STATUS(true, 0, 0, ""),
    STATS(true, 0, 0, ""),
    /** Streams a stats response per interval until the client closes; the optional argument is the interval. */
    WATCH(true, 0, 1, "[INTERVAL]"),
    CONFIG(true, 0, 0, ""),
    PAUSE(false, 0, 0, ""),
    RESUME(false, 0, 0, ""),
    RATE(false, 1, 1, "N/s|N/min"),
    SET(false, 1, 1, "KEY=VALUE"),
    RELOAD(false, 0, 0, ""),
    /** Reopens the log files by name, after logrotate renamed them. */
    REOPEN(false, 0, 0, ""),
    TRANSCRIPT(false, 1, 1, "on|off");

    private final boolean readOnly;
    private final int minArgs;
    private final int maxArgs;
    private final String synopsis;

    Command(boolean readOnly, int minArgs, int maxArgs, String synopsis) {
        this.readOnly = readOnly;
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
        this.synopsis = synopsis;
    }

    /** True for commands served on the read-only status socket as well as the admin socket. */
    public boolean readOnly() {
        return readOnly;
    }

    public int minArgs() {
        return minArgs;
    }

    public int maxArgs() {
        return maxArgs;
    }

    /** The command as written on the wire and on postalctl's command line. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Its arguments for usage messages, e.g. {@code on|off}. */
    public String synopsis() {
        return synopsis;
    }

    /** The command for a word, compared exactly (the wire is lower case). */
    public static Optional<Command> of(String word) {
        for (Command c : values()) {
            if (c.word().equals(word)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
