// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One kind of warning that a hostile client or a full disk could repeat thousands of times a
 * second: the first is logged at once, later ones at most once per period, each with how many
 * were left unlogged since; every one is counted. Safe to call from every event loop.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final String kind;
    private final long periodNanos;
    private final LongSupplier clock;
    private final AtomicLong next;
    private final AtomicLong suppressed = new AtomicLong();
    private final java.util.concurrent.atomic.LongAdder count = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param kind        what went wrong, the start of every line (e.g. "cannot write bhm.log")
     * @param periodNanos the least time between two lines
     */
    public RateLimitedLog(Logger log, String kind, long periodNanos, LongSupplier clock) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive: " + periodNanos);
        }
        this.log = log;
        this.kind = kind;
        this.periodNanos = periodNanos;
        this.clock = clock;
        this.next = new AtomicLong(clock.getAsLong());
    }

    /** A warning at most once per minute. */
    public static RateLimitedLog perMinute(Logger log, String kind) {
        return new RateLimitedLog(log, kind, 60_000_000_000L, System::nanoTime);
    }

    /**
     * Logs {@code detail} under this kind now, or counts it when a line went out less than a period ago.
     *
     * @return true when a line was logged
     */
    public boolean warn(String detail) {
        count.increment();
        long now = clock.getAsLong();
        long due = next.get();
        if (now - due < 0 || !next.compareAndSet(due, now + periodNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long more = suppressed.getAndSet(0);
        log.warn("{}: {}{}", kind, detail, more == 0 ? "" : " (and " + more + " more since the last such line)");
        return true;
    }

    /** How many warnings of this kind there were, logged or not. */
    public long count() {
        return count.sum();
    }
}
