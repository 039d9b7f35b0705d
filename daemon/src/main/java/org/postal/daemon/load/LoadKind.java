// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What sets one load generator apart in the shared engine, as data: its name, the word for what its
 * schedule starts, the phases it measures and the counters it keeps beyond the common ones. The
 * statistics, reports and control answers read this, never the program's name.
 *
 * @param program      postal or rabid: the prefix of its messages and its default instance name
 * @param unit         what the rate schedule starts: messages (postal) or sessions (rabid)
 * @param phases       the phases whose latencies are recorded; no recorder is made for any other
 * @param counters     the extra counters, in the order of the JSON keys
 * @param summaryExtra format of the summary's extra figures, one {@code %d} per counter in order
 * @param replyPhases  the phases whose replies are counted by {@link ReplyClass}, in column order
 */
public record LoadKind(String program, String unit, Set<Phase> phases, List<Counter> counters, String summaryExtra,
                       List<Phase> replyPhases) {

    /** 0.76's six columns, which every kind starts with. */
    private static final String CSV_COMMON = "time,messages,data(K),errors,connections,SSL connections";
    private static final String CSV_RATE = "rate/s,p50 ms,p90 ms,p99 ms,max ms";

    public LoadKind {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(unit, "unit");
        phases = Collections.unmodifiableSet(EnumSet.copyOf(phases));
        counters = List.copyOf(counters);
        replyPhases = List.copyOf(replyPhases);
        if (!phases.contains(Phase.MESSAGE)) {
            throw new IllegalArgumentException("every kind measures " + Phase.MESSAGE.label());
        }
        long specifiers = summaryExtra.chars().filter(c -> c == '%').count();
        if (specifiers != counters.size()) {
            throw new IllegalArgumentException("summaryExtra needs one %d per counter: " + summaryExtra);
        }
    }

    /** A kind that counts no reply classes. */
    public LoadKind(String program, String unit, Set<Phase> phases, List<Counter> counters, String summaryExtra) {
        this(program, unit, phases, counters, summaryExtra, List.of());
    }

    /**
     * The CSV header: 0.76's columns, the kind's own, the rate and latency columns, the rest of its
     * own, then the reply classes by phase (last, so that earlier columns keep their places).
     */
    public String csvHeader() {
        return Stream.of(Stream.of(CSV_COMMON), columns(true), Stream.of(CSV_RATE), columns(false),
                ReplyTally.columns(replyPhases).stream()).flatMap(s -> s).collect(Collectors.joining(","));
    }

    private Stream<String> columns(boolean beforeRate) {
        return counters.stream().filter(c -> c.beforeRate() == beforeRate).map(Counter::column);
    }

    /** The summary's extra figures for the counts (one per counter, in order), or "" when the kind has none. */
    public String summaryExtra(long... counts) {
        return String.format(Locale.ROOT, summaryExtra, (Object[]) Arrays.stream(counts).boxed()
                .toArray(Long[]::new));
    }
}
