// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.postal.daemon.load.MailboxLimits;

/**
 * A POP3 client's view of the server (RFC 1939, 2449, 2595): status lines and multi-line bodies.
 *
 * <p>The bytes do not say whether a body follows a status line, so the session handler queues one
 * {@link Expect} per command, in the order it writes them (pipelined ones included, RFC 2449
 * section 6.6), and {@link Expect#SINGLE} for the greeting before it connects. Each response
 * takes the head of the queue. Output per response:
 * <ul>
 * <li>{@code SINGLE}: one {@link Pop3Status};</li>
 * <li>{@code MULTI} (RETR, TOP): the {@link Pop3Status}; after {@code +OK} the dot-unstuffed body
 *     as retained {@link ByteBuf} slices, emitted as they arrive, then one {@link Pop3End};</li>
 * <li>{@code LINES} (CAPA, LIST, UIDL without argument): the status; after {@code +OK} one
 *     {@link Pop3Line} per body line, then one {@link Pop3End}.</li>
 * </ul>
 * A {@code -ERR} ends the response at once: it never has a body. Lines may end in a bare LF.
 * A response nobody queued for, a status line that is neither {@code +OK} nor {@code -ERR}, an
 * overlong status line or listing line is a protocol error ({@link DecoderException}); an overlong
 * {@code MULTI} body line is kept and flagged in {@link Pop3End#lineTooLong()}, as in SMTP DATA.
 * A {@code MULTI} body longer than the decoder's body limit (a server streaming without end) is
 * a {@link TooLongFrameException}, raised once the limit is passed.
 *
 * <p><b>qmail quirk.</b> qmail-pop3d ends every RETR and TOP body with an extra CRLF before the
 * "." CRLF terminator ({@code blast()} writes {@code "\r\n.\r\n"} after the last line's own CRLF;
 * its man page: "appends an extra blank line to every message to work around serious bugs in
 * certain clients"), so the body read is one empty line longer than the message. With
 * {@code qmailBlankLine} on, one empty line (CRLF or LF) directly before the terminator of a
 * {@code MULTI} body is dropped, if present; a body without it is passed on unchanged. The
 * price: a message that really ends in an empty line loses it, so keep the option off for
 * other servers. Listings are never touched (qmail ends them with a plain "." CRLF).
 */
public final class Pop3ResponseDecoder extends ByteToMessageDecoder {

    /** What the session handler expects in answer to one command. */
    public enum Expect {
        /** A status line only: greeting, USER, PASS, STAT, DELE, NOOP, QUIT, LIST n, UIDL n. */
        SINGLE,
        /** A status line and, after {@code +OK}, a message streamed as ByteBufs: RETR, TOP. */
        MULTI,
        /** A status line and, after {@code +OK}, a listing as {@link Pop3Line}s: CAPA, LIST, UIDL. */
        LINES
    }

    /** Longest status line, CRLF included: 512 octets (RFC 2449 section 4) plus slack for lax servers. */
    static final int STATUS_LIMIT = 1024;
    /** Octets tolerated beyond the configured body line length before a line counts as too long. */
    static final int LINE_SLACK = 24;

    private enum State { STATUS, BODY, FAILED }

    private final ArrayDeque<Expect> expected = new ArrayDeque<>();
    private final int lineLimit;
    private final long bodyLimit;
    private final boolean qmailBlankLine;
    private final Pop3Body body = new Pop3Body();
    private State state = State.STATUS;
    private Expect current;

    /**
     * @param maxLine        longest body line in octets, CRLF included (RFC 5322 section 2.1.1: 1000)
     * @param qmailBlankLine drop the empty line qmail-pop3d adds before a body's terminator
     */
    public Pop3ResponseDecoder(int maxLine, boolean qmailBlankLine) {
        this(maxLine, qmailBlankLine, MailboxLimits.MAX_MESSAGE);
    }

    /**
     * @param maxLine        longest body line in octets, CRLF included (RFC 5322 section 2.1.1: 1000)
     * @param qmailBlankLine drop the empty line qmail-pop3d adds before a body's terminator
     * @param maxBody        longest {@code MULTI} body in octets (after dot-unstuffing)
     */
    public Pop3ResponseDecoder(int maxLine, boolean qmailBlankLine, long maxBody) {
        if (maxLine < 80) {
            throw new IllegalArgumentException("line limit below 80 octets: " + maxLine);
        }
        if (maxBody < 1) {
            throw new IllegalArgumentException("body limit below 1 octet: " + maxBody);
        }
        this.bodyLimit = maxBody;
        this.lineLimit = maxLine + LINE_SLACK;
        this.qmailBlankLine = qmailBlankLine;
    }

    /** Queues the kind of response the next unanswered command gets; call it before writing the command. */
    public void expect(Expect kind) {
        expected.add(Objects.requireNonNull(kind, "kind"));
    }

    /** Responses queued and not yet complete, the one being read included. */
    public int pending() {
        return expected.size() + (current == null ? 0 : 1);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case STATUS -> decodeStatus(in, out);
            case BODY -> decodeBody(in, out);
            case FAILED -> in.skipBytes(in.readableBytes());
        }
    }

    // RFC 1939 section 3: status = ("+OK" / "-ERR") [SP text] CRLF
    private void decodeStatus(ByteBuf in, List<Object> out) {
        String line = line(in, STATUS_LIMIT, "status line");
        if (line == null) {
            return;
        }
        current = expected.poll();
        if (current == null) {
            throw fail(in, "response without a command: \"" + abbreviate(line) + "\"");
        }
        Pop3Status status = parseStatus(line);
        if (status == null) {
            throw fail(in, "not a POP3 status line: \"" + abbreviate(line) + "\"");
        }
        out.add(status);
        if (status.ok() && current != Expect.SINGLE) {
            body.start(lineLimit, current == Expect.MULTI && qmailBlankLine);
            state = State.BODY;
        } else {
            current = null;
        }
    }

    private void decodeBody(ByteBuf in, List<Object> out) {
        boolean ended;
        if (current == Expect.LINES) {
            ended = decodeListing(in, out);
        } else {
            ended = body.decode(in, out);
            if (body.octets() > bodyLimit) {
                in.skipBytes(in.readableBytes());
                state = State.FAILED;
                throw new TooLongFrameException("message longer than " + bodyLimit + " octets");
            }
        }
        if (ended) {
            out.add(body.end());
            state = State.STATUS;
            current = null;
        }
    }

    // RFC 1939 section 3: a line "." CRLF ends the listing; a leading "." of any other line goes.
    private boolean decodeListing(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        String line = line(in, lineLimit, "listing line");
        if (line == null) {
            return false;
        }
        if (line.equals(".")) {
            return true;
        }
        boolean stuffed = line.startsWith(".");
        int consumed = in.readerIndex() - start;
        body.count(consumed - (stuffed ? 1 : 0), consumed < 2 || in.getByte(in.readerIndex() - 2) != '\r');
        out.add(new Pop3Line(stuffed ? line.substring(1) : line));
        return false;
    }

    /** The next line without its CRLF or LF, or null when it is not complete yet. */
    private String line(ByteBuf in, int limit, String what) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int lf = in.indexOf(start, start + Math.min(readable, limit), (byte) '\n');
        if (lf < 0) {
            if (readable >= limit) {
                throw fail(in, what + " longer than " + limit + " octets");
            }
            return null;
        }
        int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        in.readerIndex(lf + 1);
        return in.toString(start, end - start, StandardCharsets.UTF_8);
    }

    private static Pop3Status parseStatus(String line) {
        String upper = line.substring(0, Math.min(4, line.length())).toUpperCase(Locale.ROOT);
        if (upper.startsWith("+OK") && (line.length() == 3 || line.charAt(3) == ' ')) {
            return new Pop3Status(true, line.length() > 4 ? line.substring(4) : "");
        }
        if (upper.equals("-ERR") && (line.length() == 4 || line.charAt(4) == ' ')) {
            return new Pop3Status(false, line.length() > 5 ? line.substring(5) : "");
        }
        return null;
    }

    /** After a protocol error nothing more is parsed: the handler is expected to close the channel. */
    private DecoderException fail(ByteBuf in, String why) {
        in.skipBytes(in.readableBytes());
        state = State.FAILED;
        return new DecoderException(why);
    }

    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 60) + "...";
    }
}
