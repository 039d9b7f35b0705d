// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.postal.daemon.service.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Running totals of one bhm, updated from every event loop; rows are differences of snapshots.
 * Troubles that a hostile client or a full disk can repeat without end are counted and logged at
 * most once a minute each.
 */
final class SinkStats {

    private static final Logger LOG = LoggerFactory.getLogger(SinkStats.class);

    final LongAdder messages = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder connections = new LongAdder();
    final LongAdder tlsConnections = new LongAdder();
    final LongAdder verified = new LongAdder();
    final LongAdder corrupt = new LongAdder();
    final LongAdder unsigned = new LongAdder();
    /** Recipients a message came for again (same run id and sequence in its Message-ID). */
    final LongAdder duplicates = new LongAdder();
    /** Distinct client addresses (announced ones where a PROXY header gave them). */
    final ClientCount clients = new ClientCount();
    /** Sessions closed at their deadline while their client left the replies unread. */
    final RateLimitedLog stalled = RateLimitedLog.perMinute(LOG, "closed a session whose replies were not read");
    /** Messages accepted but not written to the -a log (full or failing disk). */
    final RateLimitedLog messageLogFailures = RateLimitedLog.perMinute(LOG, "cannot write to the -a message log");
    /** Sessions whose -z/-Z transcript failed (logged here; counted by the transcripts' WriteFailures). */
    final RateLimitedLog transcriptFailures = RateLimitedLog.perMinute(LOG, "cannot write a transcript");
    /** Connections closed because the client started a TLS renegotiation. */
    final RateLimitedLog renegotiations = RateLimitedLog.perMinute(LOG, "refused TLS renegotiation");
    private final AtomicLongArray rejects = new AtomicLongArray(600);
    private final AtomicLongArray fired = new AtomicLongArray(Fired.values().length);

    /** Counts one firing of a rule. */
    void fired(Fired rule) {
        fired.incrementAndGet(rule.ordinal());
    }

    /** Counts one 4xx or 5xx answer that refused a client's request, by reply code. */
    void reject(int code) {
        rejects.incrementAndGet(code);
    }

    /** A consistent-enough copy of every counter (each read once). */
    Snapshot snapshot() {
        Map<Integer, Long> codes = new TreeMap<>();
        for (int code = 400; code < 600; code++) {
            long n = rejects.get(code);
            if (n != 0) {
                codes.put(code, n);
            }
        }
        Map<Fired, Long> rules = new EnumMap<>(Fired.class);
        for (Fired rule : Fired.values()) {
            rules.put(rule, fired.get(rule.ordinal()));
        }
        return new Snapshot(messages.sum(), bytes.sum(), errors.sum(), connections.sum(),
                tlsConnections.sum(), verified.sum(), corrupt.sum(), unsigned.sum(), duplicates.sum(), codes, rules);
    }

    /** Counter values at one moment. */
    record Snapshot(long messages, long bytes, long errors, long connections, long tlsConnections,
                    long verified, long corrupt, long unsigned, long duplicates, Map<Integer, Long> rejects,
                    Map<Fired, Long> fired) {

        static final Snapshot ZERO = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of());

        Snapshot {
            rejects = java.util.Collections.unmodifiableMap(new TreeMap<>(rejects));
            Map<Fired, Long> all = new EnumMap<>(Fired.class);
            for (Fired rule : Fired.values()) {
                all.put(rule, fired.getOrDefault(rule, 0L));
            }
            fired = java.util.Collections.unmodifiableMap(all);
        }

        /** How often one rule fired. */
        long fired(Fired rule) {
            return fired.get(rule);
        }

        /** What happened between {@code earlier} and this snapshot; kilobytes keep their remainder. */
        Snapshot minus(Snapshot earlier) {
            Map<Integer, Long> codes = new TreeMap<>();
            rejects.forEach((code, n) -> {
                long delta = n - earlier.rejects.getOrDefault(code, 0L);
                if (delta != 0) {
                    codes.put(code, delta);
                }
            });
            Map<Fired, Long> rules = new EnumMap<>(Fired.class);
            fired.forEach((rule, n) -> rules.put(rule, n - earlier.fired(rule)));
            return new Snapshot(messages - earlier.messages, bytes - earlier.bytes, errors - earlier.errors,
                    connections - earlier.connections, tlsConnections - earlier.tlsConnections,
                    verified - earlier.verified, corrupt - earlier.corrupt, unsigned - earlier.unsigned,
                    duplicates - earlier.duplicates, codes, rules);
        }

        long rejected(int klass) {
            return rejects.entrySet().stream().filter(e -> e.getKey() / 100 == klass)
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }
}
