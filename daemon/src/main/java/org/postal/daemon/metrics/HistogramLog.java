// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;
import org.postal.daemon.load.LoadStats;
import org.postal.daemon.load.Phase;

/**
 * --histogram-log FILE: an HdrHistogram interval log (the format HistogramLogReader and
 * HistogramLogProcessor read), one tagged histogram per phase (and {@value #LAG_TAG}) per statistics
 * interval, flushed after each. Percentiles of a fleet come from adding these histograms, never
 * from averaging the machines' percentiles.
 *
 * <p>Values are microseconds, as in the programs' own statistics; the MaxValue column is in
 * milliseconds. The file is opened for append, as every log of the daemons is.
 */
final class HistogramLog implements LoadStats.Observer, AutoCloseable {

    /** The tag of the schedule lag's histograms. */
    static final String LAG_TAG = "schedule-lag";
    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

    private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();
    private final PrintStream out;
    private final HistogramLogWriter writer;
    private final ScheduledExecutorService ticker;

    private HistogramLog(PrintStream out, String program) {
        this.out = out;
        writer = new HistogramLogWriter(out);
        long now = System.currentTimeMillis();
        writer.outputComment(program + ": latencies in microseconds, one tag per phase; " + LAG_TAG
                + ": how late each send started against its intended time");
        writer.outputLogFormatVersion();
        writer.outputStartTime(now);
        writer.setBaseTime(now);
        writer.outputBaseTime(now);
        writer.outputLegend();
        out.flush();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, program + "-histogram-log");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens {@code file} for append and writes its header; rows follow every {@code interval}. */
    static HistogramLog open(Path file, String program, Duration interval) throws IOException {
        PrintStream out;
        try {
            out = new PrintStream(new FileOutputStream(file.toFile(), true), false, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException("--histogram-log " + file + ": " + e.getMessage(), e);
        }
        HistogramLog log = new HistogramLog(out, program);
        long period = interval.toMillis();
        log.ticker.scheduleAtFixedRate(log::row, period, period, TimeUnit.MILLISECONDS);
        return log;
    }

    @Override
    public void latency(Phase phase, long nanos) {
        record(phase.label(), nanos);
    }

    @Override
    public void failure(Phase phase, String detail) {
    }

    @Override
    public void lag(long nanos) {
        record(LAG_TAG, nanos);
    }

    private void record(String tag, long nanos) {
        recorders.computeIfAbsent(tag, t -> new Recorder(MAX_MICROS, 3))
                .recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
    }

    /** One interval: each tag's histogram since the last row, then a flush. */
    synchronized void row() {
        recorders.forEach((tag, recorder) -> {
            Histogram h = recorder.getIntervalHistogram();
            if (h.getTotalCount() > 0) {
                h.setTag(tag);
                writer.outputIntervalHistogram((h.getStartTimeStamp() - writer.getBaseTime()) / 1000.0,
                        (h.getEndTimeStamp() - writer.getBaseTime()) / 1000.0, h, 1000.0);
            }
        });
        out.flush();
    }

    /** Writes the last interval and closes the file. */
    @Override
    public void close() {
        ticker.shutdownNow();
        row();
        writer.close();
    }
}
