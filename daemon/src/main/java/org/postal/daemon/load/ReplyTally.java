// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many replies of each {@link ReplyClass} every tallied phase got, written from every event
 * loop. A snapshot is a flat array, phase by phase and class by class in declaration order, so
 * rows and the summary subtract two snapshots as they do the other counters.
 */
public final class ReplyTally {

    private static final ReplyClass[] CLASSES = ReplyClass.values();

    private final List<Phase> phases;
    private final LongAdder[] counts;
    /** Each phase's first cell in {@link #counts} by ordinal, -1 for a phase not tallied. */
    private final int[] first = new int[Phase.values().length];

    ReplyTally(List<Phase> phases) {
        this.phases = List.copyOf(phases);
        Arrays.fill(first, -1);
        for (int p = 0; p < this.phases.size(); p++) {
            first[this.phases.get(p).ordinal()] = p * CLASSES.length;
        }
        this.counts = new LongAdder[this.phases.size() * CLASSES.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one reply; a phase that is not tallied (or null) is ignored. */
    public void count(Phase phase, ReplyClass replyClass) {
        int cell = phase == null ? -1 : first[phase.ordinal()];
        if (cell >= 0) {
            counts[cell + replyClass.ordinal()].increment();
        }
    }

    /** Every count now, in column order. */
    long[] snapshot() {
        long[] out = new long[counts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts[i].sum();
        }
        return out;
    }

    /** Column titles, in the order of {@link #snapshot}: "rcpt 4xx". */
    static List<String> columns(List<Phase> phases) {
        List<String> out = new ArrayList<>(phases.size() * CLASSES.length);
        for (Phase phase : phases) {
            for (ReplyClass c : CLASSES) {
                out.add(phase.label() + " " + c.label());
            }
        }
        return out;
    }

    /** The counts of a snapshot (or a difference of two) by phase and class, phases with none left out. */
    Map<String, Map<String, Long>> byPhase(long[] snapshot) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (int p = 0; p < phases.size(); p++) {
            Map<String, Long> row = new LinkedHashMap<>();
            long sum = 0;
            for (ReplyClass c : CLASSES) {
                long n = snapshot[p * CLASSES.length + c.ordinal()];
                row.put(c.label(), n);
                sum += n;
            }
            if (sum > 0) {
                out.put(phases.get(p).label(), row);
            }
        }
        return out;
    }
}
