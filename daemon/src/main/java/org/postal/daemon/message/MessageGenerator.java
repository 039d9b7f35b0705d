// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Builds postal's messages (doc/POSTAL-0.76.md §6.1–6.4) for one event loop or connection.
 *
 * <p>Per message it draws, as 0.76 does, a body size from the {@code -M}/{@code -m} range, a
 * Subject of 0–57 random characters and a Date up to 539 s before or 60 s after now. The body is
 * a slice of the shared {@link RandomPool} starting on a random line, cut where 0.76's line
 * rule would end it, plus a last line sliced from the end of one of the pool's long lines, so
 * its size is exact and nothing is copied. The only exception to exact sizes is a 1-byte body:
 * it cannot end in CRLF (0.72 wrote its CRLF before the buffer), so it is sent as one empty line
 * of 2 bytes. {@code X-PostalHash} is computed over the five signed lines and the body bytes as
 * sent. Not thread-safe.
 */
public final class MessageGenerator {
    /** The version in the first {@code X-Postal} line, where 0.76 wrote {@code 0.75}. */
    static final String VERSION = "1.0.0";

    private static final byte[] FROM = ascii("From: <");
    private static final byte[] TO = ascii(">\r\nTo: <");
    private static final byte[] SUBJECT = ascii(">\r\nSubject: ");
    private static final byte[] DATE = ascii("\r\nDate: ");
    private static final byte[] MESSAGE_ID = ascii("\r\nMessage-Id: ");
    private static final byte[] HASH = ascii(PostalHash.HEADER_PREFIX);
    private static final byte[] TRAILER = ascii("\r\n"
            + "X-Postal: " + VERSION + " - the mad postman.\r\n"
            + "X-Postal: http://www.coker.com.au/postal/\r\n"
            + "X-Postal: This is not a real email.\r\n"
            + "\r\n");
    private static final int HASH_HEX = 32;
    /** 0.76 picks a Subject length L in [2,59] and writes L−2 characters. */
    private static final int SUBJECT_BOUND = 58;
    /** 0.76's Date offset is {@code 60 − random() % 600} seconds. */
    private static final int SKEW_AHEAD = 60;
    private static final int SKEW_SPAN = 600;

    private final MessageSource source;
    private final RandomPool pool;
    private final MessageSizes sizes;
    private final byte[] subjectPrefix;
    private final int stream;
    private final ByteBufAllocator alloc;
    private final SplittableRandom random;
    private final PostalDigest digest;
    private final ByteBuffer view;
    private final HeaderWriter out = new HeaderWriter(4096);

    MessageGenerator(MessageSource source, int stream, long seed, ByteBufAllocator alloc) {
        this.source = source;
        this.pool = source.pool();
        this.sizes = source.spec().sizes();
        this.subjectPrefix = ascii(source.spec().subject().prefix());
        this.stream = stream;
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.random = new SplittableRandom(seed);
        this.digest = new PostalDigest(source.spec().signingMode());
        this.view = pool.view();
    }

    /**
     * The next message from {@code sender} to {@code recipient}, addresses without brackets.
     * {@code sequence} is the Message-ID's second part: with a run-wide counter, or one per
     * generator, ids do not repeat within the run.
     *
     * @throws IllegalArgumentException if an address holds CR, LF or NUL or exceeds
     *         {@value HeaderWriter#MAX_ADDRESS} bytes, or {@code sequence} is negative
     */
    public Message next(String sender, String recipient, long sequence) {
        return next(sender, recipient, sequence, -1);
    }

    /**
     * The next message, numbered from the run-wide sequence the source keeps: the Message-ID's
     * run and sequence parts then name it uniquely within and across runs, densely from 0, which
     * is what ledgers and bhm's duplicate bitmap key on.
     */
    public Message next(String sender, String recipient) {
        return next(sender, recipient, source.nextSequence(), -1);
    }

    /** {@link #next(String, String, long)} with a body of {@code bodySize} bytes, or a drawn one if negative. */
    Message next(String sender, String recipient, long sequence, int bodySize) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence " + sequence + " is negative");
        }
        if (bodySize > pool.maxBody()) {
            throw new IllegalArgumentException("body of " + bodySize + " bytes is above the pool's " + pool.maxBody());
        }
        // Addresses first: a rejected one leaves the random sequence untouched.
        out.length = 0;
        out.ascii(FROM).address(sender).ascii(TO).address(recipient).ascii(SUBJECT).ascii(subjectPrefix);
        subject();
        out.ascii(DATE).date(Math.floorDiv(source.clock().millis(), 1000L) + SKEW_AHEAD - random.nextInt(SKEW_SPAN));
        out.ascii(MESSAGE_ID);
        MessageIds.write(out, source.run(), stream, sequence, sender);
        out.ascii("\r\n");
        int signed = out.length;
        digest.update(out.bytes, 0, signed);

        int size = bodySize >= 0 ? bodySize : sizes.draw(random);
        ByteBuf lines;
        ByteBuf lastLine;
        if (size == 0) {
            lines = pool.slice(0, 0);
            lastLine = pool.slice(0, 0);
        } else {
            size = Math.max(size, 2);
            int start = pool.lineStart(random.nextInt(pool.lineCount()));
            // 0.76 ends the body with the line that would leave fewer than 2 bytes after it,
            // which is the last line starting at or before size − 2.
            int end = pool.lineStartAtOrBefore(start + size - 2);
            int rest = start + size - end;
            int tailEnd = pool.tailLineEnd(random.nextInt(RandomPool.TAIL_LINES));
            digestPool(start, end);
            digestPool(tailEnd - rest, tailEnd);
            lines = pool.slice(start, end - start);
            lastLine = pool.slice(tailEnd - rest, rest);
        }
        String hash = digest.finish();

        ByteBuf header = alloc.buffer(signed + HASH.length + HASH_HEX + TRAILER.length);
        header.writeBytes(out.bytes, 0, signed).writeBytes(HASH);
        ByteBufUtil.writeAscii(header, hash);
        header.writeBytes(TRAILER);
        return new Message(header, lines, lastLine, hash, sender, recipient, source.run(), stream, sequence);
    }

    private void subject() {
        int length = random.nextInt(SUBJECT_BOUND);
        int line = random.nextInt(RandomPool.TAIL_LINES);
        int column = random.nextInt(RandomPool.TAIL_LINE - 2 - length + 1);
        pool.copyCharacters(line, column, out.bytes, out.length, length);
        out.length += length;
    }

    private void digestPool(int from, int to) {
        view.clear().position(from).limit(to);
        digest.update(view);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
