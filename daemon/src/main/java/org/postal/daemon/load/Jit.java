// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.time.Duration;

/**
 * Which JIT compilers a load generator's JVM runs with ({@code --jit}), a choice the launcher makes
 * before the JVM starts (bench/RESULTS.md, sessions 4 and 5 measured both).
 *
 * <p>A run bounded to fewer than 200,000 messages or sessions, or to less than 30 s, ends before
 * C2's compiles repay their CPU on a machine that also runs the server under test: C1 alone,
 * compiling after a quarter of the usual calls, runs compiled code sooner (20,000 messages, one per
 * connection: 3.7 s against 5.1 s with C2). Longer and unbounded runs, and the services, keep the
 * JVM's tiered compilation: in steady state C2's code needs a third less CPU per message (300,000
 * messages: 32 s against 41 s with C1 alone).
 */
public enum Jit {
    /** C1 alone, early compiles. */
    SHORT,
    /** The JVM's tiered compilers (C1, then C2). */
    LONG,
    /** SHORT for a run bounded as the class comment says, else LONG. */
    AUTO;

    private static final long SHORT_COUNT = 200_000;
    private static final Duration SHORT_DURATION = Duration.ofSeconds(30);

    /** SHORT or LONG: this choice, or for AUTO the one the run's bounds call for. */
    public Jit resolve(long count, Duration duration) {
        if (this != AUTO) {
            return this;
        }
        boolean fewCount = count > 0 && count < SHORT_COUNT;
        boolean brief = duration != null && !duration.isZero() && duration.compareTo(SHORT_DURATION) < 0;
        return fewCount || brief ? SHORT : LONG;
    }
}
