// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.util.concurrent.TimeUnit;
import org.postal.daemon.report.RunLog;
import org.postal.daemon.report.TranscriptSwitch;
import org.postal.daemon.service.Monitored;

/**
 * A load generator as {@link LoadRun} drives it (postal's {@code SmtpLoad}, rabid's {@code RabidLoad}).
 *
 * <p>Call order: made ready by its constructor; {@link #start} once; {@link #stop} any number of
 * times from any thread (the clean stop: nothing new starts, work in flight finishes);
 * {@link #awaitFinished} until true or the stop is immediate; {@link #close} once, last.
 */
public interface LoadEngine extends AutoCloseable {

    /** Starts every slot; returns at once. */
    void start();

    /** Stops starting new work; what is in flight finishes. */
    void stop();

    /** Waits up to the timeout for every slot to end; true when all have. */
    boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException;

    /** Closes every connection and the log; the counters stay readable. */
    @Override
    void close();

    LoadStats stats();

    RateSchedule schedule();

    TranscriptSwitch transcripts();

    /** What systemd's STATUS= and watchdog look at. */
    Monitored monitored();

    /** The program's own log (the transcripts' failures are {@code transcripts().failures()}). */
    RunLog log();
}
