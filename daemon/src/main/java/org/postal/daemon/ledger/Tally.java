// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** The match's counts for one run or for all, with latency and fan-out distributions in ms. */
final class Tally {
    /** The classes a message and recipient ends up in; the bad ones get examples. */
    enum Kind {
        DELIVERED_ONCE(false), LOST(true), DUPLICATED(true), CORRUPTED(true), MISDELIVERED(true),
        UNEXPECTED(true), UNRECORDED(false), REFUSED(true), DEFERRED(true), IN_FLIGHT(false),
        /** Received more than once, no more often than postal sent it after lost replies. */
        REDELIVERED(true),
        /** postal's replies after the data were all lost and it never arrived: nobody knows. */
        UNANSWERED(true);

        final boolean bad;

        Kind(boolean bad) {
            this.bad = bad;
        }

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One example of a bad class; rcpt and reply are filled from the postal ledger afterwards. */
    static final class Example {
        final long run;
        final long sequence;
        final int rcptHash;
        String rcpt;
        String reply;

        Example(long run, long sequence, int rcptHash, String rcpt, String reply) {
            this.run = run;
            this.sequence = sequence;
            this.rcptHash = rcptHash;
            this.rcpt = rcpt;
            this.reply = reply;
        }

        String id() {
            return sequence < 0 ? "(no identity)" : Identity.runText(run) + "." + sequence;
        }
    }

    private static final long MAX_MILLIS = 7L * 24 * 3600 * 1000;

    final long[] counts = new long[Kind.values().length];
    final Map<Kind, List<Example>> examples = new EnumMap<>(Kind.class);
    final Histogram latency = new Histogram(MAX_MILLIS, 3);
    /** The same latencies by the minute the server accepted the message (epoch minute), for per-minute rows. */
    final NavigableMap<Long, Histogram> minutes = new TreeMap<>();
    final Histogram fanReached = new Histogram(1L << 24, 3);
    final Histogram fanFirst = new Histogram(MAX_MILLIS, 3);
    final Histogram fanLast = new Histogram(MAX_MILLIS, 3);
    long accepted;
    long posts;
    /** List members reached, each (post, member) once. */
    long memberDeliveries;

    void count(Kind kind, long n) {
        counts[kind.ordinal()] += n;
    }

    long get(Kind kind) {
        return counts[kind.ordinal()];
    }

    /** Keeps the example if fewer than {@code limit} of its kind are kept. */
    void example(Kind kind, int limit, Example e) {
        List<Example> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
        if (list.size() < limit) {
            list.add(e);
        }
    }

    /** One delivery: accepted at {@code acceptedAt} (epoch ms), received {@code millis} later. */
    void delivered(long acceptedAt, long millis) {
        record(latency, millis);
        // An auto-sizing histogram per minute grows only as far as that minute's latencies reach.
        record(minutes.computeIfAbsent(Math.floorDiv(acceptedAt, 60_000L), m -> new Histogram(3)), millis);
    }

    static void record(Histogram h, long millis) {
        long highest = h.isAutoResize() ? MAX_MILLIS : h.getHighestTrackableValue();
        h.recordValue(Math.max(0, Math.min(highest, millis)));
    }

    void add(Tally other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        accepted += other.accepted;
        posts += other.posts;
        memberDeliveries += other.memberDeliveries;
        latency.add(other.latency);
        other.minutes.forEach((minute, h) -> minutes.computeIfAbsent(minute, m -> new Histogram(3)).add(h));
        fanReached.add(other.fanReached);
        fanFirst.add(other.fanFirst);
        fanLast.add(other.fanLast);
    }

    /** True when something was lost, duplicated (by the server or a retry) or corrupted: the exit status's question. */
    boolean failed() {
        return get(Kind.LOST) + get(Kind.DUPLICATED) + get(Kind.REDELIVERED) + get(Kind.CORRUPTED) > 0;
    }
}
