// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * How postal.log, rabid.log, bhm.log and the transcripts are opened: afresh in the foreground, as
 * 0.76 does, but only ever appended to by a service.
 *
 * <p>A service is a process with {@code $LOGS_DIRECTORY} set: systemd sets it from the units'
 * {@code LogsDirectory=}, and the init scripts set it for jsvc. There a restart must not erase what
 * the previous run logged, logrotate expects appends, and the SELinux policy lets the daemons
 * append to {@code /var/log/postal} but not truncate.
 */
public final class LogFiles {

    private static final boolean SERVICE = inService(System.getenv());

    private LogFiles() {
    }

    static boolean inService(Map<String, String> env) {
        String dirs = env.get("LOGS_DIRECTORY");
        return dirs != null && !dirs.isBlank();
    }

    /** True when every log is appended to, never truncated. */
    public static boolean appendOnly() {
        return SERVICE;
    }

    /**
     * Opens a log of whole lines or entries (postal.log, rabid.log, bhm.log, the statistics rows):
     * appended to in a service, truncated otherwise, and reopened by name on SIGUSR1 or
     * {@code postalctl NAME reopen} ({@link OpenLogs}).
     */
    public static OutputStream open(Path file) throws IOException {
        return ReopenableFile.open(file, SERVICE, OpenLogs.process());
    }

    /**
     * Opens a file of statistics rows for appending, reopened with the others; a new file made by
     * a reopen starts with the CSV header again.
     */
    public static OutputStream openStatistics(Path file) throws IOException {
        return ReopenableFile.openWithHeader(file, OpenLogs.process());
    }

    /**
     * Opens a file written in pieces that need not be whole lines (a session's transcript), created
     * if missing; {@code append} false starts it afresh. It is not reopened: its writer opens it anew.
     */
    public static OutputStream open(Path file, boolean append) throws IOException {
        return append
                ? Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                : Files.newOutputStream(file);
    }
}
