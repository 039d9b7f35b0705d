// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log files a process has open for appending, so that one request reopens them all: SIGUSR1
 * or {@code postalctl NAME reopen}, sent by logrotate after it renamed them.
 *
 * <p>The process has one ({@link #process()}), as it has one table of file descriptors and one
 * SIGUSR1: every log that {@link LogFiles} opens joins it, whichever part of the program opened
 * it, and leaves it when closed. Tests make their own. Transcripts of single sessions are not in
 * it: each session opens its file by name when it starts, so sessions that start after a rename
 * write to the new file already.
 */
public final class OpenLogs {

    private static final Logger LOG = LoggerFactory.getLogger(OpenLogs.class);
    private static final OpenLogs PROCESS = new OpenLogs();

    /** What a reopen did: the files reopened, and one line per file that could not be. */
    public record Result(List<String> reopened, List<String> failed) {
        public Result {
            reopened = List.copyOf(reopened);
            failed = List.copyOf(failed);
        }

        /** One sentence for {@code postalctl} and the log. */
        public String describe() {
            String done = reopened.isEmpty() ? "no log files open" : "reopened " + String.join(", ", reopened);
            return failed.isEmpty() ? done : done + "; cannot reopen " + String.join("; ", failed);
        }
    }

    private final Set<ReopenableFile> open = ConcurrentHashMap.newKeySet();

    /** A registry of its own, apart from the process's (tests). */
    public OpenLogs() {
    }

    /** The process's open logs. */
    public static OpenLogs process() {
        return PROCESS;
    }

    void add(ReopenableFile file) {
        open.add(file);
    }

    void remove(ReopenableFile file) {
        open.remove(file);
    }

    /** The names of the open logs. */
    public List<java.nio.file.Path> files() {
        return open.stream().map(ReopenableFile::file).toList();
    }

    /** Reopens every open log; one that cannot be reopened keeps writing to its old file. */
    public Result reopenAll() {
        List<String> reopened = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (ReopenableFile file : List.copyOf(open)) {
            try {
                file.reopen();
                reopened.add(file.toString());
            } catch (IOException e) {
                failed.add(file + ": " + e.getMessage());
            }
        }
        reopened.sort(null);
        Result result = new Result(reopened, failed);
        if (failed.isEmpty()) {
            LOG.info("{}", result.describe());
        } else {
            LOG.warn("{}", result.describe());
        }
        return result;
    }
}
