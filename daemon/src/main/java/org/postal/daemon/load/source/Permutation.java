// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An order of 0..n-1 that visits every number exactly once per cycle of n draws without storing
 * anything but a counter, so 2^24 (or 2^62) source addresses cost sixteen bytes.
 *
 * <p>The random order is a keyed bijection of the k-bit numbers, k the bits of n rounded up to a
 * power of two, applied to a counter: rounds of "add a key, xor-shift, multiply by an odd key" (each
 * step is invertible modulo 2^k, so the whole is a permutation of 0..2^k-1). Values at or above n are
 * skipped (cycle walking): fewer than half of all values, so a draw costs under two rounds on
 * average, and each of 0..n-1 still comes exactly once per 2^k counter steps. The sequential order
 * is the counter itself modulo n.
 */
public final class Permutation {

    /** Sequential or random (by option). */
    public enum Order { SEQUENTIAL, RANDOM }

    private static final int ROUNDS = 3;

    private final long n;
    private final int bits;
    private final long mask;
    private final long[] adds = new long[ROUNDS];
    private final long[] multipliers = new long[ROUNDS];
    private final boolean random;
    private final AtomicLong counter = new AtomicLong();

    /** An order of 0..n-1; the seed keys the random order (the sequential one starts at 0). */
    public Permutation(long n, Order order, long seed) {
        if (n < 1 || n > AddressRange.MAX_COUNT) {
            throw new IllegalArgumentException("a permutation covers 1..2^62 numbers, not " + n);
        }
        this.n = n;
        this.bits = Math.max(1, 64 - Long.numberOfLeadingZeros(n - 1));
        this.mask = bits == 64 ? -1L : (1L << bits) - 1;
        this.random = order == Order.RANDOM;
        SplittableRandom keys = new SplittableRandom(seed);
        for (int i = 0; i < ROUNDS; i++) {
            adds[i] = keys.nextLong() & mask;
            multipliers[i] = keys.nextLong() | 1;
        }
    }

    /** How many numbers one cycle visits. */
    public long size() {
        return n;
    }

    /** The next number; safe from any thread. */
    public long next() {
        if (!random) {
            return Math.floorMod(counter.getAndIncrement(), n);
        }
        while (true) {
            long value = scramble(counter.getAndIncrement() & mask);
            if (value < n) {
                return value;
            }
        }
    }

    /** The keyed bijection on k-bit numbers. */
    private long scramble(long x) {
        int shift = Math.max(1, bits / 2);
        for (int i = 0; i < ROUNDS; i++) {
            x = (x + adds[i]) & mask;
            if (bits > 1) {
                x ^= x >>> shift;
            }
            x = (x * multipliers[i]) & mask;
        }
        return x;
    }
}
