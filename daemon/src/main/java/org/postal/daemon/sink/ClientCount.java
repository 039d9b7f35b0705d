// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many distinct client addresses bhm has seen, exactly, in fixed memory: one bit per IPv4
 * address in a 2 MiB bitmap per /8, allocated when the first client of that /8 arrives, at most
 * {@link #BITMAPS} of them (32 MiB; a 127/8 or 10/8 sweep of 2^24 clients needs one). IPv6 clients
 * and IPv4 clients of further /8s go into a set of at most {@link #OTHERS} addresses. Past that set
 * the count stops growing for new addresses of that kind and says it is a lower bound
 * ({@link #exact} false): an exact count of arbitrary IPv6 clients cannot fit in fixed memory.
 */
final class ClientCount {

    /** The most /8 bitmaps (2 MiB each). */
    static final int BITMAPS = 16;
    /** The most addresses counted outside the bitmaps. */
    static final int OTHERS = 65_536;

    private static final int LONGS_PER_SLASH8 = (1 << 24) / 64;

    private final AtomicReferenceArray<AtomicLongArray> slash8s = new AtomicReferenceArray<>(256);
    private final AtomicInteger allocated = new AtomicInteger();
    private final Set<InetAddress> others = ConcurrentHashMap.newKeySet();
    private final LongAdder distinct = new LongAdder();
    private volatile boolean exact = true;

    /** Counts {@code address} if it was not seen before. */
    void add(InetAddress address) {
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            AtomicLongArray bits = bitmap(b[0] & 0xff);
            if (bits != null) {
                int low = (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
                long bit = 1L << (low & 63);
                long before = bits.getAndAccumulate(low >>> 6, bit, (old, set) -> old | set);
                if ((before & bit) == 0) {
                    distinct.increment();
                }
                return;
            }
        }
        if (others.size() >= OTHERS && !others.contains(address)) {
            exact = false;
        } else if (others.add(address)) {
            distinct.increment();
        }
    }

    private AtomicLongArray bitmap(int slash8) {
        AtomicLongArray bits = slash8s.get(slash8);
        if (bits != null) {
            return bits;
        }
        if (allocated.incrementAndGet() > BITMAPS) {
            allocated.decrementAndGet();
            return null;
        }
        if (slash8s.compareAndSet(slash8, null, new AtomicLongArray(LONGS_PER_SLASH8))) {
            return slash8s.get(slash8);
        }
        allocated.decrementAndGet(); // another thread allocated it first
        return slash8s.get(slash8);
    }

    /** Distinct client addresses so far. */
    long distinct() {
        return distinct.sum();
    }

    /** False once an address went uncounted for want of room: {@link #distinct} is then a lower bound. */
    boolean exact() {
        return exact;
    }
}
