// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The statistics clock of bhm, postal and rabid: one thread that prints a row at every interval
 * boundary of the wall clock (then whatever must follow a row, such as flushing a log), and runs
 * the program's timed events (the end of --warmup, --duration). A failing row is reported and the
 * rows go on.
 */
public final class StatisticsTicker implements AutoCloseable {

    /** What prints the rows: a header at once, then one row per call. */
    public interface Rows {
        /** Prints what goes before the first row (the CSV header); nothing in JSON mode. */
        void start();

        /** Prints the row for the time since the previous one. */
        void row();
    }

    private final ScheduledExecutorService ticker;

    private StatisticsTicker(String program) {
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, program + "-statistics");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Prints the header now and a row at each boundary of {@code interval}, each followed by
     * {@code afterRow}; a row that fails is told to {@code complain} (a full disk must not silently
     * end the rows).
     */
    public static StatisticsTicker start(String program, Rows rows, Duration interval, Runnable afterRow,
                                         Consumer<String> complain) {
        StatisticsTicker clock = new StatisticsTicker(program);
        rows.start();
        long period = interval.toMillis();
        clock.ticker.scheduleAtFixedRate(() -> {
            try {
                rows.row();
                afterRow.run();
            } catch (RuntimeException e) {
                complain.accept(program + ": " + e.getMessage());
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
