// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM for a foreground program: the first asks for a clean stop, the second for
 * an immediate one.
 *
 * <p>The JVM's own handling turns both signals into a shutdown whose hooks cannot tell a second
 * signal from the first, and exits with 128+signal even after a clean stop; so the programs take
 * the signals themselves (through {@code sun.misc.Signal}, the supported way in {@code jdk.unsupported}).
 * 0.76 ignored the first SIGINT in bhm and hung on the second in postal.
 */
public final class StopSignals {

    private final AtomicInteger received = new AtomicInteger();
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

    private void received() {
        int n = received.incrementAndGet();
        if (n == 1) {
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
