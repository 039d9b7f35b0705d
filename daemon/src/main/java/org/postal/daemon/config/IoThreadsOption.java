// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import picocli.CommandLine.Option;

/** --io-threads, the same in bhm, postal and rabid: how many event-loop threads carry the connections. */
public final class IoThreadsOption {

    /** The most event loops a program may ask for. */
    public static final int MAX = 256;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "0",
            description = "Event-loop threads; 0 for half the CPUs, at least one (default: ${DEFAULT-VALUE}).")
    int threads;

    /** The number asked for, 0 meaning the default. */
    public int threads() {
        return check(threads);
    }

    /** {@code threads} if it lies within 0..{@value #MAX}; else a message naming the option. */
    public static int check(int threads) {
        if (threads < 0 || threads > MAX) {
            throw new IllegalArgumentException("--io-threads out of range 0.." + MAX + ": " + threads);
        }
        return threads;
    }
}
