// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The load generators' clock thread: a statistics row at every interval boundary of the wall
 * clock (then whatever must follow a row, such as flushing a log), and the run's timed events
 * (the end of --warmup, --duration). A failing row is reported and the rows go on.
 */
public final class StatisticsTicker implements AutoCloseable {

    private final ScheduledExecutorService ticker;

    private StatisticsTicker(String program) {
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, program + "-statistics");
            t.setDaemon(true);
            return t;
        });
    }

    /** Prints the header now and a row at each boundary of {@code interval}, each followed by {@code afterRow}. */
    public static StatisticsTicker start(String program, LoadReporter reporter, Duration interval, Runnable afterRow,
                                         PrintStream err) {
        StatisticsTicker clock = new StatisticsTicker(program);
        reporter.start();
        long period = interval.toMillis();
        clock.ticker.scheduleAtFixedRate(() -> {
            try {
                reporter.row();
                afterRow.run();
            } catch (RuntimeException e) {
                // A full disk must not silently end the rows: say so, and keep the schedule alive.
                err.println(program + ": " + e.getMessage());
            }
        }, period - System.currentTimeMillis() % period, period, TimeUnit.MILLISECONDS);
        return clock;
    }

    /** Runs {@code action} once after {@code delay}; nothing when {@code delay} is null. */
    public void after(Duration delay, Runnable action) {
        if (delay != null) {
            ticker.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
