// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.postal.daemon.load.MailboxLimits;

/**
 * An IMAP4rev1 client's view of the server (RFC 3501 section 7): responses as records, literals streamed.
 *
 * <p>Emits {@link Tagged}, {@link Untagged} and {@link Continuation}. A literal in an untagged
 * response (a {@code {n}} or {@code ~{n}} marker ending a line, RFC 3501 section 4.3) is emitted
 * as {@link LiteralStart}, its content as retained {@link ByteBuf} slices while it arrives (never
 * gathered: a {@code BODY[]} may be 40 MiB), and {@link LiteralEnd}; the response then goes on and
 * ends in its {@link Untagged}, whose {@code rest} keeps each literal as its marker. So
 * {@code * 1 FETCH (UID 7 BODY[] {5}CRLF hello)CRLF} gives LiteralStart(5, "FETCH", 1,
 * "(UID 7 BODY[] {5}"), "hello", LiteralEnd(5), Untagged("FETCH", 1, "(UID 7 BODY[] {5})").
 *
 * <p>Lines may end in a bare LF. The text of one response, literal contents excluded, is bounded
 * by {@code maxLine}; a longer one, or a line that is no IMAP response, is a protocol error
 * ({@link DecoderException}) after which the decoder drops all input: the handler closes. So is
 * a literal announced larger than {@code maxLiteral} ({@link TooLongFrameException}): no message
 * rabid reads is that long, and an endless literal must not be read without end.
 */
public final class ImapResponseDecoder extends ByteToMessageDecoder {

    /** Default bound on one response's text: far above any CAPABILITY, FLAGS or FETCH line. */
    public static final int DEFAULT_MAX_LINE = 64 * 1024;

    private enum State { LINE, LITERAL, FAILED }

    private final int maxLine;
    private final long maxLiteral;
    private final StringBuilder response = new StringBuilder(128);
    private State state = State.LINE;
    private ResponseHead head;
    private long literalSize;
    private long literalLeft;
    private int searched;

    /** A decoder bounding each response's text to {@link #DEFAULT_MAX_LINE} octets. */
    public ImapResponseDecoder() {
        this(DEFAULT_MAX_LINE);
    }

    /** @param maxLine longest response text in octets, CRLF and literal contents excluded */
    public ImapResponseDecoder(int maxLine) {
        this(maxLine, MailboxLimits.MAX_MESSAGE);
    }

    /**
     * @param maxLine    longest response text in octets, CRLF and literal contents excluded
     * @param maxLiteral largest literal in octets
     */
    public ImapResponseDecoder(int maxLine, long maxLiteral) {
        if (maxLine < 512) {
            throw new IllegalArgumentException("line limit below 512 octets: " + maxLine);
        }
        if (maxLiteral < 0) {
            throw new IllegalArgumentException("negative literal limit: " + maxLiteral);
        }
        this.maxLine = maxLine;
        this.maxLiteral = maxLiteral;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case LINE -> decodeLine(in, out);
            case LITERAL -> decodeLiteral(in, out);
            case FAILED -> in.skipBytes(in.readableBytes());
        }
    }

    private void decodeLine(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        // Room for the rest of the response's text and its CRLF.
        int room = maxLine - response.length() + 2;
        int lf = in.indexOf(start + searched, start + Math.min(readable, room), (byte) '\n');
        if (lf < 0) {
            if (readable >= room) {
                throw fail(in, "response longer than " + maxLine + " octets");
            }
            searched = readable;
            return;
        }
        searched = 0;
        int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        String line = in.toString(start, end - start, StandardCharsets.UTF_8);
        in.readerIndex(lf + 1);
        if (head == null) {
            try {
                head = ResponseHead.parse(line);
            } catch (IllegalArgumentException e) {
                throw fail(in, e.getMessage() + " in \"" + abbreviate(line) + "\"");
            }
        }
        response.append(line);
        long size = head.literalsAllowed() ? literalSize(in, line) : -1;
        if (size > maxLiteral) {
            in.skipBytes(in.readableBytes());
            state = State.FAILED;
            response.setLength(0);
            throw new TooLongFrameException("literal of " + size + " octets, more than " + maxLiteral);
        }
        if (size >= 0) {
            out.add(new LiteralStart(size, head.keyword(), head.number(), response.substring(head.restStart())));
            literalSize = size;
            literalLeft = size;
            if (size == 0) {
                out.add(new LiteralEnd(0));
            } else {
                state = State.LITERAL;
            }
            return;
        }
        out.add(head.complete(response.toString()));
        response.setLength(0);
        head = null;
    }

    private long literalSize(ByteBuf in, String line) {
        try {
            return ResponseHead.literalAtEnd(line);
        } catch (IllegalArgumentException e) {
            throw fail(in, "literal " + e.getMessage());
        }
    }

    // RFC 3501 section 4.3: the n octets after "{n}" CRLF are taken verbatim, CR and LF included.
    private void decodeLiteral(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(in.readableBytes(), literalLeft);
        out.add(in.readRetainedSlice(n));
        literalLeft -= n;
        if (literalLeft == 0) {
            out.add(new LiteralEnd(literalSize));
            state = State.LINE;
        }
    }

    private DecoderException fail(ByteBuf in, String why) {
        in.skipBytes(in.readableBytes());
        state = State.FAILED;
        response.setLength(0);
        return new DecoderException(why);
    }

    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 60) + "...";
    }
}
