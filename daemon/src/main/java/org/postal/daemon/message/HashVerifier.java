// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Checks the {@code X-PostalHash} of received messages the way rabid 0.76 does
 * (doc/POSTAL-0.76.md §6.6), one instance per SMTP session.
 *
 * <p>Feed the message content after dot-unstuffing and without the end-of-data line, in chunks
 * split anywhere, then call {@link #finish()}. Header lines are scanned and at most
 * {@value #MAX_LINE} bytes of each are kept. The body is digested straight from the chunks only
 * when the headers carried an {@code X-PostalHash}; otherwise it is not even looked at. In AUTO
 * mode only the variant that matched last is computed; the body's slices are retained until the
 * verdict, and the other variant is computed over them only when the first does not match. Not
 * thread-safe; meant for one channel's event loop.
 */
public final class HashVerifier {
    /** RFC 5322 §2.1.1: a line is at most 998 characters plus CRLF. */
    static final int MAX_LINE = 1000;
    /** Bound on the kept Message-ID and X-PostalHash values; a valid signature has 32. */
    static final int MAX_VALUE = 256;

    private static final byte[] MESSAGE_ID = "message-id:".getBytes(StandardCharsets.US_ASCII);

    private enum Phase { HEADERS, SIGNED_BODY, SKIPPED_BODY }

    private final HashMode mode;
    private final SignedLines signed = new SignedLines(MAX_LINE);
    /** The digest of the current message: in AUTO mode, of the variant that matched last. */
    private PostalDigest digest;
    private PostalDigest md5Digest;
    private PostalDigest lp64Digest;
    private HashMode preferred = HashMode.MD5;
    /** AUTO only: the body as fed, kept (as retained slices) for the other digest if the first fails. */
    private final java.util.List<ByteBuf> body = new java.util.ArrayList<>();
    private Phase phase = Phase.HEADERS;
    private byte[] line = new byte[128];
    private int lineLength;
    private boolean lineTruncated;
    private String expected;
    private String messageId;

    /** Creates a verifier that accepts the digests {@code mode} allows. */
    public HashVerifier(HashMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /**
     * Reads the readable bytes of {@code chunk}. Its reader index stays where it was and it is
     * not released, so the caller can still count, store or forward the same bytes.
     */
    public void update(ByteBuf chunk) {
        int index = chunk.readerIndex();
        int end = chunk.writerIndex();
        while (index < end && phase == Phase.HEADERS) {
            int lf = chunk.indexOf(index, end, (byte) '\n');
            int stop = lf < 0 ? end : lf + 1;
            append(chunk, index, stop - index);
            index = stop;
            if (lf >= 0) {
                endOfLine();
            }
        }
        if (phase == Phase.SIGNED_BODY && index < end) {
            digestBody(chunk, index, end - index);
        }
    }

    /** Returns the verdict on the message fed so far and resets for the next one. */
    public Verdict finish() {
        if (phase == Phase.HEADERS) {
            // Content that ends inside the header section: a header-only message, empty body.
            if (lineLength > 0 || lineTruncated) {
                header();
            }
            endOfHeaders();
        }
        Verdict verdict = verdict();
        reset();
        return verdict;
    }

    /** Forgets a partly fed message, for RSET or an aborted DATA. */
    public void reset() {
        phase = Phase.HEADERS;
        lineLength = 0;
        lineTruncated = false;
        signed.reset();
        expected = null;
        messageId = null;
        if (digest != null) {
            digest.reset();
        }
        releaseBody();
    }

    private void releaseBody() {
        for (ByteBuf piece : body) {
            piece.release();
        }
        body.clear();
    }

    int lineCapacity() {
        return line.length;
    }

    int signedCapacity() {
        return signed.capacity();
    }

    private void append(ByteBuf chunk, int index, int length) {
        int room = MAX_LINE - lineLength;
        if (length > room) {
            lineTruncated = true;
            length = room;
        }
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(lineLength + length, line.length * 2)));
        }
        chunk.getBytes(index, line, lineLength, length);
        lineLength += length;
    }

    private void endOfLine() {
        if (!lineTruncated && lineLength == 2 && line[0] == '\r' && line[1] == '\n') {
            endOfHeaders();
        } else {
            header();
        }
        lineLength = 0;
        lineTruncated = false;
    }

    private void header() {
        int slot = PostalHash.signedSlot(line, lineLength);
        if (slot >= 0) {
            signed.remember(slot, line, lineLength, lineTruncated);
        } else if (expected == null) {
            int valueStart = PostalHash.hashValueStart(line, lineLength);
            if (valueStart >= 0) {
                expected = value(valueStart);
            }
        }
        if (messageId == null && isMessageId()) {
            messageId = value(MESSAGE_ID.length);
        }
    }

    private void endOfHeaders() {
        if (expected == null || signed.overlong()) {
            phase = Phase.SKIPPED_BODY;
            return;
        }
        digest = digestFor(mode == HashMode.AUTO ? preferred : mode);
        digest.reset();
        signed.feed(digest);
        phase = Phase.SIGNED_BODY;
    }

    private PostalDigest digestFor(HashMode variant) {
        if (variant == HashMode.MD5_LP64) {
            if (lp64Digest == null) {
                lp64Digest = new PostalDigest(HashMode.MD5_LP64);
            }
            return lp64Digest;
        }
        if (md5Digest == null) {
            md5Digest = new PostalDigest(HashMode.MD5);
        }
        return md5Digest;
    }

    private void digestBody(ByteBuf chunk, int index, int length) {
        if (mode == HashMode.AUTO) {
            body.add(chunk.retainedSlice(index, length));
        }
        feed(digest, chunk, index, length);
    }

    private void feed(PostalDigest target, ByteBuf chunk, int index, int length) {
        if (chunk.hasArray()) {
            target.update(chunk.array(), chunk.arrayOffset() + index, length);
        } else if (chunk.nioBufferCount() == 1) {
            target.update(chunk.nioBuffer(index, length));
        } else if (chunk.nioBufferCount() > 1) {
            for (ByteBuffer part : chunk.nioBuffers(index, length)) {
                target.update(part);
            }
        } else {
            // No NIO view (nioBufferCount() == -1): copy through the line buffer, idle in the body.
            for (int n; length > 0; index += n, length -= n) {
                n = Math.min(line.length, length);
                chunk.getBytes(index, line, 0, n);
                target.update(line, 0, n);
            }
        }
    }

    private Verdict verdict() {
        if (expected == null) {
            return new Verdict(Verdict.Status.UNSIGNED, messageId, null, null, null);
        }
        if (signed.overlong()) {
            return new Verdict(Verdict.Status.CORRUPT, messageId, expected, null, null);
        }
        digest.finish();
        String md5 = digest.md5();
        String md5Lp64 = digest.md5Lp64();
        boolean match = expected.equalsIgnoreCase(md5) || expected.equalsIgnoreCase(md5Lp64);
        if (!match && mode == HashMode.AUTO) {
            // The other variant, over the same bytes: computed only when the usual one fails.
            HashMode other = preferred == HashMode.MD5 ? HashMode.MD5_LP64 : HashMode.MD5;
            PostalDigest second = digestFor(other);
            second.reset();
            signed.feed(second);
            for (ByteBuf piece : body) {
                feed(second, piece, piece.readerIndex(), piece.readableBytes());
            }
            second.finish();
            md5 = md5 != null ? md5 : second.md5();
            md5Lp64 = md5Lp64 != null ? md5Lp64 : second.md5Lp64();
            match = expected.equalsIgnoreCase(md5) || expected.equalsIgnoreCase(md5Lp64);
            if (match) {
                preferred = other;
            }
        }
        releaseBody();
        return new Verdict(match ? Verdict.Status.VERIFIED : Verdict.Status.CORRUPT,
                messageId, expected, md5, md5Lp64);
    }

    // RFC 5322 §3.6.4: msg-id = "Message-ID:" msg-id CRLF; field names are case-insensitive.
    private boolean isMessageId() {
        if (lineLength < MESSAGE_ID.length) {
            return false;
        }
        for (int i = 0; i < MESSAGE_ID.length; i++) {
            int b = line[i];
            if ((b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b) != MESSAGE_ID[i]) {
                return false;
            }
        }
        return true;
    }

    /** The header value from {@code from}, cut at the first CR or LF, trimmed and bounded. */
    private String value(int from) {
        int end = from;
        while (end < lineLength && line[end] != '\r' && line[end] != '\n') {
            end++;
        }
        String value = new String(line, from, end - from, StandardCharsets.ISO_8859_1).trim();
        return value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) : value;
    }
}
