// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * One interval histogram of a log kept as its recorded buckets only (value and count, values
 * ascending): a full Histogram spans an hour in microseconds and holds tens of thousands of
 * counters, and a long run has thousands of intervals.
 *
 * @param values each recorded bucket's highest equivalent value (microseconds), ascending
 * @param counts how many samples fell in each
 */
record IntervalCounts(long[] values, long[] counts) {

    IntervalCounts {
        if (values.length != counts.length || values.length == 0) {
            throw new IllegalArgumentException("an interval needs as many counts as values, at least one");
        }
    }

    static IntervalCounts of(Histogram h) {
        long[] values = new long[16];
        long[] counts = new long[values.length];
        int n = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
                counts = Arrays.copyOf(counts, n * 2);
            }
            values[n] = h.highestEquivalentValue(v.getValueIteratedTo());
            counts[n++] = v.getCountAtValueIteratedTo();
        }
        return new IntervalCounts(Arrays.copyOf(values, n), Arrays.copyOf(counts, n));
    }

    /** The intervals added into one. */
    static IntervalCounts sum(List<IntervalCounts> intervals) {
        TreeMap<Long, Long> all = new TreeMap<>();
        for (IntervalCounts i : intervals) {
            for (int k = 0; k < i.values.length; k++) {
                all.merge(i.values[k], i.counts[k], Long::sum);
            }
        }
        return new IntervalCounts(all.keySet().stream().mapToLong(Long::longValue).toArray(),
                all.values().stream().mapToLong(Long::longValue).toArray());
    }

    long total() {
        return Arrays.stream(counts).sum();
    }
}
