// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.load.LoadStats;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.RateSchedule;

/** --histogram-log: what HdrHistogram's own reader finds in it, tag by tag, added over the rows. */
class HistogramLogTest {

    @TempDir
    Path dir;

    private final LoadStats stats = new LoadStats(new org.postal.daemon.load.LoadKind("rabid", "sessions",
            java.util.EnumSet.allOf(Phase.class), java.util.List.of(), ""));

    /** Every histogram of the log, added up by tag. */
    private static Map<String, Histogram> read(Path file) throws Exception {
        Map<String, Histogram> byTag = new HashMap<>();
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            while (reader.hasNext()) {
                Histogram h = (Histogram) reader.nextIntervalHistogram();
                if (h != null) {
                    byTag.computeIfAbsent(h.getTag(), t -> new Histogram(3)).add(h);
                }
            }
        }
        return byTag;
    }

    @Test
    void oneTagPerPhaseAndTheLagInMicroseconds() throws Exception {
        Path file = dir.resolve("postal.hlog");
        Metrics m = Metrics.forLoad(null, file, Duration.ofHours(1), "postal", "postal", stats,
                new RateSchedule(0, 0, System.nanoTime()));
        stats.latency(Phase.MESSAGE, 2_000_000);
        stats.latency(Phase.MESSAGE, 3_000_000);
        stats.latency(Phase.RCPT, 500_000);
        stats.lag(7_000_000);
        m.close();
        Map<String, Histogram> got = read(file);
        assertThat(got.keySet()).containsExactlyInAnyOrder("message", "rcpt", HistogramLog.LAG_TAG);
        assertThat(got.get("message").getTotalCount()).isEqualTo(2);
        assertThat(got.get("message").getMaxValue()).isBetween(2_999L, 3_001L);
        assertThat(got.get("rcpt").getValueAtPercentile(50)).isBetween(499L, 501L);
        assertThat(got.get(HistogramLog.LAG_TAG).getTotalCount()).isEqualTo(1);
        assertThat(Files.readString(file)).contains("#[StartTime: ", "\"StartTimestamp\",\"Interval_Length\"");
    }

    @Test
    void eachRowHoldsOnlyItsIntervalAndTheRowsAddUpToTheRun() throws Exception {
        Path file = dir.resolve("rabid.hlog");
        Metrics m = Metrics.forLoad(null, file, Duration.ofHours(1), "rabid", "rabid", stats,
                new RateSchedule(0, 0, System.nanoTime()));
        HistogramLog log = logOf(m);
        for (int i = 1; i <= 100; i++) {
            stats.latency(Phase.RETR, i * 1_000_000L);
        }
        log.row();
        for (int i = 1; i <= 50; i++) {
            stats.latency(Phase.RETR, 1_000_000_000L);
        }
        m.close();
        int rows = 0;
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            while (reader.hasNext()) {
                if (reader.nextIntervalHistogram() != null) {
                    rows++;
                }
            }
        }
        assertThat(rows).isEqualTo(2);
        Histogram retr = read(file).get("retr");
        assertThat(retr.getTotalCount()).isEqualTo(150);
        assertThat(retr.getValueAtPercentile(50)).isBetween(74_950L, 75_050L);
    }

    @Test
    void offWritesNothing() throws Exception {
        Metrics m = Metrics.forLoad(null, null, Duration.ofHours(1), "postal", "postal", stats,
                new RateSchedule(0, 0, System.nanoTime()));
        stats.latency(Phase.MESSAGE, 1);
        m.close();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    private static HistogramLog logOf(Metrics m) throws Exception {
        var field = Metrics.class.getDeclaredField("log");
        field.setAccessible(true);
        return (HistogramLog) field.get(m);
    }
}
