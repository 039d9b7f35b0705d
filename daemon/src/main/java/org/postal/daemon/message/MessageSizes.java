// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import java.util.SplittableRandom;

/**
 * The body size range of {@code -M min} and {@code -m max}, in KiB as postal 0.76 takes them.
 *
 * <p>A body is uniform in {@code [min*1024, max*1024-1]} bytes, or exactly {@code max*1024} when
 * the two are equal; {@code -m 0} sends headers only (doc/POSTAL-0.76.md §3.1, §6.3).
 *
 * @param minKib smallest body in KiB, at least 0
 * @param maxKib largest body in KiB, from {@code minKib} to {@value #LIMIT_KIB} as in 0.76
 */
public record MessageSizes(int minKib, int maxKib) {
    /** postal 0.76 rejects {@code -m} above this (40 MiB). */
    public static final int LIMIT_KIB = 40960;

    /** postal's defaults, {@code -M 0 -m 10}. */
    public static final MessageSizes DEFAULT = new MessageSizes(0, 10);

    public MessageSizes {
        if (minKib < 0) {
            throw new IllegalArgumentException("minimum size " + minKib + " KiB is negative");
        }
        if (maxKib > LIMIT_KIB) {
            throw new IllegalArgumentException("maximum size " + maxKib + " KiB is above " + LIMIT_KIB);
        }
        if (maxKib < minKib) {
            throw new IllegalArgumentException(
                    "maximum size " + maxKib + " KiB is below the minimum " + minKib + " KiB");
        }
    }

    /** The largest body this range can draw, in bytes. */
    public int maxBytes() {
        return maxKib * 1024;
    }

    /** Draws one body size in bytes. */
    public int draw(SplittableRandom random) {
        if (minKib == maxKib) {
            return maxBytes();
        }
        return random.nextInt(minKib * 1024, maxBytes());
    }
}
