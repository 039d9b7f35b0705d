// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.postal.daemon.message.HashMode;
import org.postal.daemon.message.HashVerifier;
import org.postal.daemon.message.Verdict;

/**
 * Checks one retrieved message at a time, as it streams in: the X-PostalHash verdict and, when
 * asked (-a, or the second fetch after a mismatch), the text itself, kept up to a bound.
 */
final class MessageCheck {

    /** The most of one message kept for the log: 0.76's largest message, 40 MiB. */
    static final int MAX_KEPT = 40 << 20;

    private final HashVerifier verifier;
    private final ByteBufAllocator alloc;
    private CompositeByteBuf kept;
    private boolean cut;
    private long octets;

    MessageCheck(HashMode mode, ByteBufAllocator alloc) {
        this.verifier = new HashVerifier(mode);
        this.alloc = alloc;
    }

    /** Starts a message; {@code keep} says whether its text is wanted. */
    void begin(boolean keep) {
        clear();
        octets = 0;
        cut = false;
        if (keep) {
            kept = alloc.compositeBuffer(Integer.MAX_VALUE);
        }
    }

    /** Takes a piece of the message and releases it (or keeps it). */
    void content(ByteBuf piece) {
        octets += piece.readableBytes();
        verifier.update(piece);
        cut |= kept != null && kept.readableBytes() + piece.readableBytes() > MAX_KEPT;
        if (kept != null && !cut) {
            kept.addComponent(true, piece);
        } else {
            piece.release();
        }
    }

    long octets() {
        return octets;
    }

    Verdict finish() {
        return verifier.finish();
    }

    /** The kept text (empty when none was kept); valid until the next {@link #begin} or {@link #clear}. */
    ByteBuf kept() {
        return kept == null ? Unpooled.EMPTY_BUFFER : kept;
    }

    void clear() {
        verifier.reset();
        if (kept != null) {
            kept.release();
            kept = null;
        }
    }
}
