// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The write failures of a program's logs and transcripts (a full or read-only disk): the first
 * one kept with its file and reason, and a count of the entries that did not reach the disk.
 *
 * <p>A log never throws on a failed write: it hands the failure here and drops what follows, so a
 * session is never failed, closed or miscounted for its log's sake. What a failure means is the
 * program's policy: postal and rabid stop the run and exit 74 ({@code EX_IOERR}); bhm counts and
 * goes on serving. Either way the loss is said, never silent. Thread-safe.
 */
public final class WriteFailures {

    /** The first failed write: the file and the system's reason ("No space left on device"). */
    public record Failure(Path file, String reason) {

        /** {@code cannot write FILE: REASON}, for a one-line message. */
        public String describe() {
            return "cannot write " + file + ": " + reason;
        }
    }

    private final AtomicReference<Failure> first = new AtomicReference<>();
    private final LongAdder lost = new LongAdder();

    /** A write to {@code file} failed; {@code entries} log entries (lines, messages, sessions) are lost with it. */
    public void failed(Path file, IOException cause, long entries) {
        first.compareAndSet(null, new Failure(file, String.valueOf(cause.getMessage())));
        lost.add(entries);
    }

    /** More entries lost after the first failure (a log that failed drops what follows). */
    public void lost(long entries) {
        lost.add(entries);
    }

    /** The first failure, if any write failed. */
    public Optional<Failure> first() {
        return Optional.ofNullable(first.get());
    }

    /**
     * postal's and rabid's policy, in one place: the first time any of {@code logs} has failed,
     * says so on one line and runs {@code stop}; returns whether any has failed. Called while the
     * run waits and once more after it closed, so a failure of the last flush is reported too.
     */
    public static boolean stopOnFailure(String program, java.io.PrintStream err, Runnable stop, boolean reported,
            WriteFailures... logs) {
        for (WriteFailures log : logs) {
            Optional<Failure> failure = log.first();
            if (failure.isPresent()) {
                if (!reported) {
                    err.println(program + ": " + failure.get().describe() + "; stopping");
                    stop.run();
                }
                return true;
            }
        }
        return false;
    }

    /** {@code N entries not written}, summed over {@code logs}, for the run's last line. */
    public static String lostEntries(String program, WriteFailures... logs) {
        long lost = 0;
        for (WriteFailures log : logs) {
            lost += log.lost();
        }
        return program + ": at most " + lost + " log or transcript entries were not written; exit 74 (EX_IOERR)";
    }

    /** Entries that did not reach the disk, at most (a failed write may have stored part of them). */
    public long lost() {
        return lost.sum();
    }
}
