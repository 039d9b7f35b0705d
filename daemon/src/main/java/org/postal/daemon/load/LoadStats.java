// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and per-phase latency histograms of a load generator, written from every event loop.
 *
 * <p>Latencies are recorded in microseconds into HdrHistogram {@link Recorder}s (lock-free for
 * writers); {@link #interval} swaps them out for a report and adds them to the run's totals, so
 * memory stays fixed however long the run.
 */
public final class LoadStats {

    /** Highest latency tracked exactly: one hour, in microseconds. */
    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

    public final LongAdder messages = new LongAdder();
    public final LongAdder bytes = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final LongAdder connections = new LongAdder();
    public final LongAdder tlsConnections = new LongAdder();
    /** Connections open now (being set up or in a session), for the sessions gauge. */
    public final LongAdder open = new LongAdder();
    private final LoadKind kind;
    private final Map<Counter, LongAdder> counters = new EnumMap<>(Counter.class);
    private final Map<Phase, Recorder> recorders = new EnumMap<>(Phase.class);
    private final Map<Phase, Histogram> totals = new EnumMap<>(Phase.class);
    private final Map<Phase, Histogram> spare = new EnumMap<>(Phase.class);
    /** Samples taken out at the end of a warm-up: not in the totals, but still owed to the next interval. */
    private final Map<Phase, Histogram> owed = new EnumMap<>(Phase.class);
    private final ConcurrentHashMap<String, LongAdder> failures = new ConcurrentHashMap<>();
    /** Also sees every sample (the metrics endpoint), or null. */
    private volatile Observer observer;

    /** What the metrics endpoint takes from each sample, as it is recorded. */
    public interface Observer {
        void latency(Phase phase, long nanos);

        void failure(Phase phase, String detail);

        /** How late a message (postal) or session (rabid) started against the schedule's intended time. */
        void lag(long nanos);
    }

    /** Statistics for the phases and counters of {@code kind}, and for nothing else. */
    public LoadStats(LoadKind kind) {
        this.kind = kind;
        kind.counters().forEach(c -> counters.put(c, new LongAdder()));
        for (Phase phase : kind.phases()) {
            recorders.put(phase, new Recorder(MAX_MICROS, 3));
            totals.put(phase, new Histogram(MAX_MICROS, 3));
        }
    }

    /** The kind these statistics are for. */
    public LoadKind kind() {
        return kind;
    }

    /** One of the kind's own counters. */
    public LongAdder counter(Counter counter) {
        LongAdder adder = counters.get(counter);
        if (adder == null) {
            throw new IllegalArgumentException(kind.program() + " keeps no " + counter.key() + " counter");
        }
        return adder;
    }

    /** Hands every later sample to {@code o} as well. */
    public void observe(Observer o) {
        observer = o;
    }

    /** Records how long a phase took; the phase must be one of the kind's. */
    public void latency(Phase phase, long nanos) {
        Recorder recorder = recorders.get(phase);
        if (recorder == null) {
            throw new IllegalArgumentException(kind.program() + " does not measure " + phase.label());
        }
        recorder.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
        Observer o = observer;
        if (o != null) {
            o.latency(phase, nanos);
        }
    }

    /** Records a schedule lag (only the metrics endpoint keeps it). */
    public void lag(long nanos) {
        Observer o = observer;
        if (o != null) {
            o.lag(nanos);
        }
    }

    /** Counts one error in a phase; {@code detail} is a reply code or a short word (timeout, refused). */
    public void failure(Phase phase, String detail) {
        errors.increment();
        failures.computeIfAbsent(phase.label() + " " + detail, k -> new LongAdder()).increment();
        Observer o = observer;
        if (o != null) {
            o.failure(phase, detail);
        }
    }

    /** Errors so far by "phase detail", sorted. */
    public Map<String, Long> failures() {
        Map<String, Long> out = new TreeMap<>();
        failures.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * The latencies recorded since the previous call, by phase (phases with no samples left out),
     * also added to the totals. Call from one thread only.
     */
    public synchronized Map<Phase, Histogram> interval() {
        Map<Phase, Histogram> out = new EnumMap<>(Phase.class);
        for (Phase phase : kind.phases()) {
            Histogram h = recorders.get(phase).getIntervalHistogram(spare.remove(phase));
            totals.get(phase).add(h);
            Histogram row = h.copy();
            Histogram warmup = owed.remove(phase);
            if (warmup != null) {
                row.add(warmup);
            }
            if (row.getTotalCount() > 0) {
                out.put(phase, row);
            }
            spare.put(phase, h);
        }
        return out;
    }

    /**
     * Forgets the latencies and failures recorded so far (the end of a warm-up) for the totals; the
     * samples since the last interval still show in the next one, so that row is whole.
     */
    public synchronized void resetTotals() {
        owed.putAll(interval());
        totals.values().forEach(Histogram::reset);
        failures.clear();
    }

    /** The run's latencies by phase, including everything recorded until now. */
    public synchronized Map<Phase, Histogram> totals() {
        interval();
        Map<Phase, Histogram> out = new EnumMap<>(Phase.class);
        totals.forEach((phase, h) -> {
            if (h.getTotalCount() > 0) {
                out.put(phase, h.copy());
            }
        });
        return out;
    }
}
