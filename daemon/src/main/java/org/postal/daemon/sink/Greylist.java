// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Greylisting by (client address, sender, recipient) triplet, as postgrey does it.
 *
 * <p>The first attempt of a triplet is deferred; attempts before the delay has passed stay
 * deferred; later ones pass. The table is bounded: the least recently used triplet goes first.
 */
final class Greylist {

    private record Triplet(String client, String sender, String recipient) {
    }

    private final long delayNanos;
    private final LongSupplier clock;
    private final Map<Triplet, Long> firstSeen;

    Greylist(java.time.Duration delay, int capacity, LongSupplier nanoClock) {
        this.delayNanos = delay.toNanos();
        this.clock = nanoClock;
        this.firstSeen = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Triplet, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records an attempt and says whether it may pass. */
    synchronized boolean admit(String client, String sender, String recipient) {
        long now = clock.getAsLong();
        Triplet key = new Triplet(client, sender.toLowerCase(java.util.Locale.ROOT),
                recipient.toLowerCase(java.util.Locale.ROOT));
        Long seen = firstSeen.putIfAbsent(key, now);
        return seen != null && now - seen >= delayNanos;
    }

    synchronized int size() {
        return firstSeen.size();
    }
}
