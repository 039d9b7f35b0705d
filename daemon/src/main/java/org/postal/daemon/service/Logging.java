// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Chooses the Logback configuration before the first logger exists: {@code logback-journal.xml}
 * (no timestamp, a {@code <N>} priority prefix the journal turns into the level, one line per event)
 * when stderr is the journal, else {@link StderrConfigurator}. No Janino: the choice is made here.
 *
 * <p>systemd sets {@code JOURNAL_STREAM=dev:inode} for a service whose stderr is connected to the
 * journal; it is trusted only when fd 2 is still that socket (a child whose stderr was redirected
 * inherits the variable, see systemd.exec(5)). An explicit {@code -Dlogback.configurationFile} wins.
 */
public final class Logging {

    static final String JOURNAL_CONFIG = "logback-journal.xml";

    private Logging() {
    }

    /** Call before anything logs (Netty logs through SLF4J as soon as its classes load). */
    public static void configure(Map<String, String> env) {
        if (System.getProperty("logback.configurationFile") == null && stderrIsJournal(env.get("JOURNAL_STREAM"))) {
            System.setProperty("logback.configurationFile", JOURNAL_CONFIG);
        }
    }

    /** True if {@code journalStream} ("dev:inode") names the socket on fd 2. */
    static boolean stderrIsJournal(String journalStream) {
        if (journalStream == null || journalStream.indexOf(':') < 0) {
            return false;
        }
        String inode = journalStream.substring(journalStream.indexOf(':') + 1).trim();
        try {
            // "socket:[12345]": the link names the inode; the device of a socket is always the sockfs one.
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.equals("socket:[" + inode + "]");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return true;  // cannot check: believe systemd
        }
    }
}
