// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.util.Arrays;

/**
 * One bit per sequence number of one run: postal numbers a run's messages densely from 0, so a
 * bit per number is the whole memory a duplicate check needs (10 million messages: 1.2 MiB).
 * Pages of {@value #PAGE_BITS} bits are made when first touched, so a run whose numbers start
 * high or have gaps costs only the pages it uses. Not thread-safe.
 */
final class SeenBitmap {
    static final int PAGE_SHIFT = 16;
    static final int PAGE_BITS = 1 << PAGE_SHIFT;
    /** Sequences at or past this are not tracked (2^36 messages: more than any run sends). */
    static final long LIMIT = 1L << 36;

    private long[][] pages = new long[4][];
    private int pageCount;

    /** Marks {@code sequence} seen; returns true if it had been seen before. */
    boolean mark(long sequence) {
        if (sequence < 0 || sequence >= LIMIT) {
            return false;
        }
        int page = (int) (sequence >>> PAGE_SHIFT);
        if (page >= pages.length) {
            pages = Arrays.copyOf(pages, Math.max(page + 1, pages.length * 2));
        }
        long[] words = pages[page];
        if (words == null) {
            words = new long[PAGE_BITS / 64];
            pages[page] = words;
            pageCount++;
        }
        int bit = (int) (sequence & (PAGE_BITS - 1));
        long mask = 1L << (bit & 63);
        boolean seen = (words[bit >>> 6] & mask) != 0;
        words[bit >>> 6] |= mask;
        return seen;
    }

    /** Bytes held by the pages. */
    long bytes() {
        return (long) pageCount * (PAGE_BITS / 8) + pages.length * 8L;
    }
}
