// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import io.netty.handler.codec.dns.DnsRecordType;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The DNS load's counters: questions sent, answers by query type and response code (RFC 1035
 * section 4.1.1 RCODE: NOERROR, NXDOMAIN, SERVFAIL...), timeouts, and latency from each question's
 * intended time to its answer per query type, in HdrHistogram recorders (lock-free for the event
 * loops; {@link #interval} swaps them, so memory stays fixed however long the run).
 */
public final class DnsStats {

    /** Highest latency tracked exactly: one minute, in microseconds (the longest --timeout). */
    static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);
    /** The outcome of a question that got no answer in time. */
    public static final String TIMEOUT = "TIMEOUT";
    /** The outcome of a question whose TCP connection the server closed before answering. */
    public static final String CLOSED = "CLOSED";

    public final LongAdder sent = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Recorder> recorders = new ConcurrentHashMap<>();
    private final Map<String, Histogram> totals = new TreeMap<>();

    /** Counts an answer to a question of {@code type}, and its latency from the intended time. */
    public void answer(DnsRecordType type, String rcode, long nanos) {
        count(type, rcode);
        recorders.computeIfAbsent(type.name(), k -> new Recorder(MAX_MICROS, 3))
                .recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
    }

    /** Counts a question that got no answer: {@link #TIMEOUT}, or {@link #CLOSED} with its TCP connection. */
    public void lost(DnsRecordType type, String why) {
        count(type, why);
    }

    /** True for a response code, false for {@link #TIMEOUT} and {@link #CLOSED}. */
    public static boolean isAnswer(String outcome) {
        return !TIMEOUT.equals(outcome) && !CLOSED.equals(outcome);
    }

    private void count(DnsRecordType type, String outcome) {
        outcomes.computeIfAbsent(type.name() + " " + outcome, k -> new LongAdder()).increment();
    }

    /** Counts by "TYPE RCODE", sorted. */
    public Map<String, Long> outcomes() {
        Map<String, Long> out = new TreeMap<>();
        outcomes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Counts by response code (or TIMEOUT) over every type. */
    public Map<String, Long> rcodes() {
        Map<String, Long> out = new TreeMap<>();
        outcomes.forEach((k, v) -> out.merge(k.substring(k.indexOf(' ') + 1), v.sum(), Long::sum));
        return out;
    }

    /** Answers and timeouts so far. */
    public long done() {
        return outcomes.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Latency by type since the previous call (also added to the totals); one caller at a time. */
    public synchronized Map<String, Histogram> interval() {
        Map<String, Histogram> out = new TreeMap<>();
        recorders.forEach((type, recorder) -> {
            Histogram h = recorder.getIntervalHistogram();
            totals.computeIfAbsent(type, k -> new Histogram(MAX_MICROS, 3)).add(h);
            if (h.getTotalCount() > 0) {
                out.put(type, h);
            }
        });
        return out;
    }

    /** Forgets the latencies recorded so far (the end of a warm-up). */
    public synchronized void resetTotals() {
        interval();
        totals.clear();
    }

    /** The run's latency by type, including everything recorded until now. */
    public synchronized Map<String, Histogram> totals() {
        interval();
        Map<String, Histogram> out = new TreeMap<>();
        totals.forEach((type, h) -> out.put(type, h.copy()));
        return out;
    }

    /** All types merged into one histogram. */
    public static Histogram all(Map<String, Histogram> byType) {
        Histogram all = new Histogram(MAX_MICROS, 3);
        byType.values().forEach(all::add);
        return all;
    }
}
