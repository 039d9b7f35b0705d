// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The noise rule of postal-report's comparison, for one phase: the difference after − before of
 * each percentile, with a bootstrap interval over whole interval histograms (Efron's percentile
 * bootstrap, resampling blocks as a block bootstrap does). Each resample draws as many intervals as
 * a run has, with replacement, from each run separately, adds them and takes the percentiles, so
 * how much the intervals of one run differ from each other (warm caches, a neighbour's cron job,
 * queue flushes) is what the interval measures, not only how many samples there were.
 *
 * <p>The resamples use a fixed seed: the same logs always give the same report.
 */
final class Bootstrap {

    /** Resamples drawn: 10 in each tail of a 99% interval. */
    static final int RESAMPLES = 2000;
    /** The interval's coverage: 99%, since a report makes about a dozen comparisons at once. */
    static final double COVERAGE = 0.99;
    /** Fewer intervals than this in either run give no verdict. */
    static final int MIN_INTERVALS = 5;
    /**
     * More intervals than this are added, consecutive ones together, into this many blocks first:
     * a resample costs a pass over every block, and a day of 10 s rows from ten machines is
     * 86,400 intervals.
     */
    static final int MAX_BLOCKS = 100;
    private static final long SEED = 0x706f7374616cL;

    /** A percentile's change: point estimates of both runs and the interval of the difference, in µs. */
    record Change(double percentile, long before, long after, long low, long high) {
        Change {
            if (low > high) {
                throw new IllegalArgumentException("interval " + low + ".." + high);
            }
        }

        long difference() {
            return after - before;
        }
    }

    private final long[] values;
    private final int[][] beforeIndex;
    private final long[][] beforeCounts;
    private final int[][] afterIndex;
    private final long[][] afterCounts;

    Bootstrap(List<IntervalCounts> beforeIntervals, List<IntervalCounts> afterIntervals) {
        List<IntervalCounts> before = blocks(beforeIntervals);
        List<IntervalCounts> after = blocks(afterIntervals);
        TreeSet<Long> all = new TreeSet<>();
        before.forEach(i -> Arrays.stream(i.values()).forEach(all::add));
        after.forEach(i -> Arrays.stream(i.values()).forEach(all::add));
        values = all.stream().mapToLong(Long::longValue).toArray();
        beforeIndex = index(before);
        beforeCounts = before.stream().map(IntervalCounts::counts).toArray(long[][]::new);
        afterIndex = index(after);
        afterCounts = after.stream().map(IntervalCounts::counts).toArray(long[][]::new);
    }

    /** The intervals as they are, or added into {@value #MAX_BLOCKS} blocks of consecutive ones. */
    static List<IntervalCounts> blocks(List<IntervalCounts> intervals) {
        int n = intervals.size();
        if (n <= MAX_BLOCKS) {
            return intervals;
        }
        List<IntervalCounts> blocks = new java.util.ArrayList<>(MAX_BLOCKS);
        for (int b = 0; b < MAX_BLOCKS; b++) {
            blocks.add(IntervalCounts.sum(intervals.subList(b * n / MAX_BLOCKS, (b + 1) * n / MAX_BLOCKS)));
        }
        return blocks;
    }

    private int[][] index(List<IntervalCounts> intervals) {
        return intervals.stream().map(i -> Arrays.stream(i.values())
                .mapToInt(v -> Arrays.binarySearch(values, v)).toArray()).toArray(int[][]::new);
    }

    /** Each of {@code percentiles} (ascending) compared, with its interval. */
    Change[] compare(double... percentiles) {
        long[] before = percentiles(sum(beforeIndex, beforeCounts, null), percentiles);
        long[] after = percentiles(sum(afterIndex, afterCounts, null), percentiles);
        long[][] differences = new long[percentiles.length][RESAMPLES];
        SplittableRandom random = new SplittableRandom(SEED);
        for (int r = 0; r < RESAMPLES; r++) {
            long[] b = percentiles(sum(beforeIndex, beforeCounts, random), percentiles);
            long[] a = percentiles(sum(afterIndex, afterCounts, random), percentiles);
            for (int p = 0; p < percentiles.length; p++) {
                differences[p][r] = a[p] - b[p];
            }
        }
        Change[] changes = new Change[percentiles.length];
        int tail = (int) Math.round(RESAMPLES * (1 - COVERAGE) / 2);
        for (int p = 0; p < percentiles.length; p++) {
            Arrays.sort(differences[p]);
            changes[p] = new Change(percentiles[p], before[p], after[p], differences[p][tail],
                    differences[p][RESAMPLES - 1 - tail]);
        }
        return changes;
    }

    /** The counts of all intervals added (random null) or of as many drawn with replacement. */
    private long[] sum(int[][] index, long[][] counts, SplittableRandom random) {
        long[] dense = new long[values.length];
        for (int k = 0; k < index.length; k++) {
            int i = random == null ? k : random.nextInt(index.length);
            for (int j = 0; j < index[i].length; j++) {
                dense[index[i][j]] += counts[i][j];
            }
        }
        return dense;
    }

    /** The value at each percentile as HdrHistogram's getValueAtPercentile counts it. */
    private long[] percentiles(long[] dense, double[] percentiles) {
        long total = Arrays.stream(dense).sum();
        long[] at = new long[percentiles.length];
        long seen = 0;
        int i = -1;
        for (int p = 0; p < percentiles.length; p++) {
            long rank = Math.max(1, (long) Math.ceil(percentiles[p] / 100 * total));
            while (seen < rank) {
                seen += dense[++i];
            }
            at[p] = values[i];
        }
        return at;
    }
}
