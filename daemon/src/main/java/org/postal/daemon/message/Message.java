// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import io.netty.buffer.ByteBuf;

/**
 * One generated message: the header block, then the body in two parts, each a buffer to write
 * in this order, with the end-of-data line {@code .\r\n} left to the SMTP client.
 *
 * <p>The three buffers are owned by whoever holds the message: writing one to a channel hands it
 * over, and {@link #release()} frees what was not written. {@code lines} and {@code lastLine}
 * are read-only slices of the {@link RandomPool}; the body needs no dot-stuffing.
 *
 * @param header    From, To, Subject, Date, Message-Id, X-PostalHash, three X-Postal lines and
 *                  the blank line (doc/POSTAL-0.76.md §6.1)
 * @param lines     the body's whole lines, possibly empty
 * @param lastLine  the body's last line with its CRLF; empty only when the body is
 * @param hash      the {@code X-PostalHash} value, 32 lowercase hex digits
 * @param sender    the address in {@code From:}, without brackets
 * @param recipient the address in {@code To:}, without brackets
 * @param run       the run the Message-ID names
 * @param stream    the generator's stream number, the third Message-ID part
 * @param sequence  the caller's sequence number, the second Message-ID part
 */
public record Message(ByteBuf header, ByteBuf lines, ByteBuf lastLine, String hash,
                      String sender, String recipient, RunId run, int stream, long sequence) {

    /** Body bytes: what {@code -m}/{@code -M} measure. */
    public int bodySize() {
        return lines.readableBytes() + lastLine.readableBytes();
    }

    /** Header and body bytes, without the end-of-data line; valid until the buffers are written. */
    public int size() {
        return header.readableBytes() + bodySize();
    }

    /** The Message-ID with its angle brackets, rebuilt from the record so it costs nothing unless asked. */
    public String messageId() {
        HeaderWriter out = new HeaderWriter(MessageIds.MAX_LENGTH);
        MessageIds.write(out, run, stream, sequence, sender);
        return out.string(0);
    }

    /**
     * Releases all three buffers, for a message that is dropped before any was written. A slice's
     * reference count is the pool's, so it cannot tell whether the slice itself was released:
     * after a partial write, release only the buffers that were not written.
     */
    public void release() {
        header.release();
        lines.release();
        lastLine.release();
    }
}
