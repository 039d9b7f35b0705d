// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.metrics.RunComparison.Verdict;

/**
 * Synthetic runs whose answer is known: a real change is found, two runs of one distribution are
 * within noise, and a change smaller than how much the intervals of a run differ from each other is
 * within noise too, while the same change over steady intervals is found.
 */
class RunComparisonTest {

    @TempDir
    Path dir;

    private int files;

    /**
     * A log of {@code intervals} histograms of {@code perInterval} message latencies each, log-normal
     * around {@code median.applyAsDouble(interval)} ms (spread 0.3), from {@code seed}.
     */
    private Path log(int intervals, int perInterval, IntToDoubleFunction median, long seed) throws Exception {
        Path file = dir.resolve("run" + files++ + ".hlog");
        Random random = new Random(seed);
        try (PrintStream out = new PrintStream(file.toFile(), StandardCharsets.US_ASCII)) {
            HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputLogFormatVersion();
            writer.outputStartTime(1_800_000_000_000L);
            writer.setBaseTime(1_800_000_000_000L);
            writer.outputBaseTime(1_800_000_000_000L);
            writer.outputLegend();
            for (int i = 0; i < intervals; i++) {
                Histogram h = new Histogram(3);
                double ms = median.applyAsDouble(i);
                for (int k = 0; k < perInterval; k++) {
                    h.recordValue(Math.round(ms * 1000 * Math.exp(0.3 * random.nextGaussian())));
                }
                h.setTag("message");
                writer.outputIntervalHistogram(i * 10.0, i * 10.0 + 10, h, 1000.0);
            }
        }
        return file;
    }

    private static RunComparison compare(Path before, Path after) throws Exception {
        return new RunComparison(RunReport.read(List.of(before)), RunReport.read(List.of(after)));
    }

    private static RunComparison.Phase message(RunComparison c) {
        return c.phases().stream().filter(p -> p.tag().equals("message")).findFirst().orElseThrow();
    }

    @Test
    void aRunTwentyPercentSlowerIsSlowerAndTheReverseFaster() throws Exception {
        Path before = log(12, 300, i -> 10, 1);
        Path after = log(12, 300, i -> 12, 2);
        RunComparison.Phase slower = message(compare(before, after));
        assertThat(slower.verdict()).isEqualTo(Verdict.SLOWER);
        assertThat(slower.changes()).allSatisfy(c -> assertThat(Verdict.of(c)).isEqualTo(Verdict.SLOWER));
        Bootstrap.Change p50 = slower.changes().get(0);
        assertThat(p50.difference()).isBetween(p50.low(), p50.high()).isBetween(1500L, 2500L);
        assertThat(message(compare(after, before)).verdict()).isEqualTo(Verdict.FASTER);
    }

    @Test
    void twoRunsOfOneDistributionAreWithinNoise() throws Exception {
        RunComparison.Phase same = message(compare(log(12, 300, i -> 10, 3), log(12, 300, i -> 10, 4)));
        assertThat(same.verdict()).isEqualTo(Verdict.NOISE);
        assertThat(same.changes()).allSatisfy(c -> assertThat(c.low()).isNegative())
                .allSatisfy(c -> assertThat(c.high()).isPositive());
    }

    @Test
    void aChangeSmallerThanTheIntervalsSpreadIsNoiseButOverSteadyIntervalsItIsNot() throws Exception {
        // Intervals alternate between 8 and 14 ms medians (a busy neighbour every other 10 s);
        // after the change everything is 4% slower. 3,000 samples per interval would make 4% look
        // certain if every sample counted as independent.
        IntToDoubleFunction wavy = i -> i % 2 == 0 ? 8 : 14;
        RunComparison.Phase noisy = message(compare(log(12, 3000, wavy, 5),
                log(11, 3000, i -> wavy.applyAsDouble(i) * 1.04, 6)));
        assertThat(noisy.verdict()).isEqualTo(Verdict.NOISE);
        RunComparison.Phase steady = message(compare(log(12, 3000, i -> 11, 7), log(11, 3000, i -> 11 * 1.04, 8)));
        assertThat(steady.verdict()).isEqualTo(Verdict.SLOWER);
    }

    @Test
    void thePointEstimatesAreThoseOfTheMergedHistograms() throws Exception {
        Path before = log(6, 200, i -> 5 + i, 9);
        Path after = log(7, 100, i -> 9, 10);
        RunReport b = RunReport.read(List.of(before));
        RunReport a = RunReport.read(List.of(after));
        Histogram merged = b.total().get("message");
        List<Bootstrap.Change> changes = message(new RunComparison(b, a)).changes();
        assertThat(changes).extracting(Bootstrap.Change::before).containsExactly(merged.getValueAtPercentile(50),
                merged.getValueAtPercentile(90), merged.getValueAtPercentile(99));
        assertThat(changes.get(2).after()).isEqualTo(a.total().get("message").getValueAtPercentile(99));
    }

    @Test
    void manyIntervalsAreAddedIntoBlocksOfConsecutiveOnesWithNothingLost() throws Exception {
        RunReport run = RunReport.read(List.of(log(250, 20, i -> 1 + i, 17)));
        List<IntervalCounts> intervals = run.intervals().get("message");
        List<IntervalCounts> blocks = Bootstrap.blocks(intervals);
        assertThat(blocks).hasSize(Bootstrap.MAX_BLOCKS);
        assertThat(blocks.stream().mapToLong(IntervalCounts::total).sum()).isEqualTo(250 * 20);
        // Block 0 holds intervals 0 and 1 (medians 1 and 2 ms), the last block 248 and 249.
        assertThat(blocks.get(0).total()).isEqualTo(intervals.get(0).total() + intervals.get(1).total());
        assertThat(blocks.get(99).values()[0]).isGreaterThan(100_000);
        RunComparison.Phase slower = message(new RunComparison(run, RunReport.read(List.of(log(250, 20,
                i -> 1.5 * (1 + i), 18)))));
        assertThat(slower.verdict()).isEqualTo(Verdict.SLOWER);
    }

    @Test
    void tooFewIntervalsOrAPhaseOfOneRunGiveNoVerdict() throws Exception {
        assertThat(message(compare(log(4, 300, i -> 10, 11), log(12, 300, i -> 20, 12))).verdict())
                .isEqualTo(Verdict.FEW);
        Path other = dir.resolve("lag.hlog");
        java.nio.file.Files.writeString(other, java.nio.file.Files.readString(log(6, 10, i -> 1, 13))
                .replace("Tag=message", "Tag=schedule-lag"));
        RunComparison c = compare(log(6, 10, i -> 1, 14), other);
        assertThat(c.phases()).extracting(RunComparison.Phase::verdict)
                .containsExactly(Verdict.ONLY_BEFORE, Verdict.ONLY_AFTER);
    }

    @Test
    void theCommandPrintsTheRuleAndTheVerdicts() throws Exception {
        Path before = log(8, 200, i -> 10, 15);
        Path after = log(8, 200, i -> 15, 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(ReportMain.run(new String[] {"--before", before.toString(), after.toString()}, print, print))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("before: 1 logs, after: 1 logs;")
                .contains("leaves out 0").containsPattern("\nmessage +n +1600 +1600 +slower\n")
                .containsPattern("\n +p50 +10\\.\\d{3} +14\\.\\d{3} +\\+4\\.\\d{3} +\\[\\+\\d+\\.\\d{3}, \\+\\d+\\.\\d{3}\\]  slower\n");
        out.reset();
        assertThat(ReportMain.run(new String[] {"--json", "--before", before.toString(), after.toString()}, print,
                print)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{\"rule\":{\"interval\":")
                .contains("\"message\":{\"before_count\":1600,\"after_count\":1600,\"verdict\":\"slower\","
                        + "\"percentiles\":{\"p50\":{\"before\":");
    }
}
