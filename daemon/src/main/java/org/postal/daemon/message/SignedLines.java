// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import java.util.Arrays;

/**
 * The first header line of each signed prefix, held until the blank line shows whether the
 * message carries an {@code X-PostalHash} at all (the hash line follows the signed lines).
 */
final class SignedLines {
    private static final int SLOTS = PostalHash.SIGNED_PREFIXES.size();

    private final int maxLine;
    private final int[] start = new int[SLOTS];
    private final int[] length = new int[SLOTS];
    private byte[] bytes = new byte[256];
    private int used;
    private boolean overlong;

    SignedLines(int maxLine) {
        this.maxLine = maxLine;
        reset();
    }

    /**
     * Remembers {@code line} for {@code slot} unless an earlier line took it. An overlong first
     * line still takes the slot, as it would in rabid, but can no longer match any signature.
     */
    void remember(int slot, byte[] line, int lineLength, boolean truncated) {
        if (length[slot] >= 0) {
            return;
        }
        if (truncated) {
            overlong = true;
            length[slot] = 0;
            return;
        }
        if (used + lineLength > bytes.length) {
            // Bounded: at most one line of maxLine bytes per slot.
            int grown = Math.max(used + lineLength, bytes.length * 2);
            bytes = Arrays.copyOf(bytes, Math.min(grown, SLOTS * maxLine));
        }
        System.arraycopy(line, 0, bytes, used, lineLength);
        start[slot] = used;
        length[slot] = lineLength;
        used += lineLength;
    }

    /** True when a remembered line was longer than the line bound. */
    boolean overlong() {
        return overlong;
    }

    /** Feeds the remembered lines in {@link PostalHash#SIGNED_PREFIXES} order, skipping gaps. */
    void feed(PostalDigest digest) {
        for (int slot = 0; slot < SLOTS; slot++) {
            if (length[slot] > 0) {
                digest.update(bytes, start[slot], length[slot]);
            }
        }
    }

    void reset() {
        Arrays.fill(length, -1);
        used = 0;
        overlong = false;
    }

    int capacity() {
        return bytes.length;
    }
}
