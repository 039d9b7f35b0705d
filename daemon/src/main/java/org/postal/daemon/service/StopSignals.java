// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM for a foreground program: the first asks for a clean stop, the second (a
 * second or more later) for an immediate one.
 *
 * <p>The JVM's own handling turns both signals into a shutdown whose hooks cannot tell a second
 * signal from the first, and exits with 128+signal even after a clean stop; so the programs take
 * the signals themselves (through {@code sun.misc.Signal}, the supported way in {@code jdk.unsupported}).
 * 0.76 ignored the first SIGINT in bhm and hung on the second in postal.
 */
public final class StopSignals {

    /** Signals this close to the first are the same request (timeout(1) signals the process and its group). */
    private static final long SAME_REQUEST_NANOS = 1_000_000_000L;

    private final AtomicInteger received = new AtomicInteger();
    private volatile long firstNanos;
    private final Runnable graceful;
    private final Runnable immediate;

    private StopSignals(Runnable graceful, Runnable immediate) {
        this.graceful = graceful;
        this.immediate = immediate;
    }

    /** Installs handlers for SIGINT and SIGTERM; safe to call once per program. */
    public static StopSignals install(Runnable graceful, Runnable immediate) {
        StopSignals signals = new StopSignals(graceful, immediate);
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), s -> signals.received());
        }
        return signals;
    }

    private synchronized void received() {
        long now = System.nanoTime();
        if (received.get() > 0 && now - firstNanos < SAME_REQUEST_NANOS) {
            return;
        }
        int n = received.incrementAndGet();
        if (n == 1) {
            firstNanos = now;
            graceful.run();
        } else if (n == 2) {
            immediate.run();
        }
    }

    /** How many stop signals have arrived. */
    public int count() {
        return received.get();
    }
}
