// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

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
    /**
     * SHORT for a run the command line bounds as said above, else LONG: the launcher reads
     * {@code --count} and {@code --duration} itself, since a JVM started only to parse them would
     * cost about a quarter of a second of CPU on every start.
     */
    AUTO
}
