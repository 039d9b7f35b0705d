// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits an SMTP server's input into command lines, DATA bodies and BDAT chunks.
 *
 * <p>In command mode it emits {@link CommandLine} or {@link LineError}. The session handler
 * switches modes as it answers: {@link #expectData} after a 354, {@link #expectChunk} for BDAT,
 * {@link #discardInput} after STARTTLS. Content is emitted as retained {@link ByteBuf} slices
 * (DATA bodies dot-unstuffed, never more than the octet budget), then one {@link ContentEnd}.
 * The handler runs synchronously between two decode calls, so a mode switch applies to the very
 * next byte, including bytes a client pipelined behind the command.
 *
 * <p>{@link #pause} stops decoding between two messages, so a client that pipelines commands
 * without reading the replies gets no more answers queued than the handler allows; what it sent
 * stays buffered (the handler stops reading the socket too) until {@link #resume}.
 */
public final class SmtpServerDecoder extends ByteToMessageDecoder {

    /** Octets tolerated beyond the configured line length before a line counts as too long. */
    static final int LINE_SLACK = 24;

    private enum Mode { COMMAND, DISCARD_LINE, DATA, CHUNK }

    private final int lineLimit;
    private Mode mode = Mode.COMMAND;
    private long budget;
    private long octets;
    private long chunkRemaining;
    private boolean lineTooLong;
    private boolean bareLf;
    private boolean midLine;
    private boolean lastWasCr;
    private boolean afterCrLf;
    private boolean paused;
    private ChannelHandlerContext context;

    /** @param maxLine longest line in octets, CRLF included (RFC 5321 section 4.5.3.1.6: 1000) */
    public SmtpServerDecoder(int maxLine) {
        if (maxLine < 80) {
            throw new IllegalArgumentException("line limit below 80 octets: " + maxLine);
        }
        this.lineLimit = maxLine + LINE_SLACK;
    }

    /** Reads a DATA body next, emitting at most {@code maxOctets} of content. */
    public void expectData(long maxOctets) {
        startContent(Mode.DATA, maxOctets);
    }

    /** Reads a BDAT chunk of exactly {@code size} octets next (size above zero). */
    public void expectChunk(long size, long maxOctets) {
        if (size <= 0) {
            throw new IllegalArgumentException("BDAT chunk size must be positive: " + size);
        }
        startContent(Mode.CHUNK, maxOctets);
        chunkRemaining = size;
    }

    /** Drops every byte received so far: what a client pipelined behind STARTTLS (CVE-2011-0411). */
    public void discardInput() {
        ByteBuf buffered = internalBuffer();
        buffered.skipBytes(buffered.readableBytes());
    }

    /** Decodes nothing more until {@link #resume}; what is buffered, and what still arrives, waits. */
    public void pause() {
        paused = true;
    }

    public boolean paused() {
        return paused;
    }

    /** Decodes again, starting with what was buffered, on a later turn of the event loop. */
    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        ChannelHandlerContext ctx = context;
        if (ctx != null && internalBuffer().isReadable()) {
            // Not now: the caller may itself run inside a decode call.
            ctx.executor().execute(() -> decodeBuffered(ctx));
        }
    }

    private void decodeBuffered(ChannelHandlerContext ctx) {
        if (paused || ctx.isRemoved() || !ctx.channel().isActive()) {
            return;
        }
        try {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
            channelReadComplete(ctx);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        context = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (paused) {
            // ByteToMessageDecoder would ask for another read when a read decoded nothing, and
            // the buffer would grow with every read while the client leaves its replies unread.
            ctx.fireChannelReadComplete();
            return;
        }
        super.channelReadComplete(ctx);
    }

    private void startContent(Mode next, long maxOctets) {
        mode = next;
        budget = Math.max(0, maxOctets);
        octets = 0;
        lineTooLong = false;
        bareLf = false;
        midLine = false;
        lastWasCr = false;
        afterCrLf = true;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (paused) {
            return;
        }
        switch (mode) {
            case COMMAND -> decodeCommand(in, out);
            case DISCARD_LINE -> discardLine(in);
            case DATA -> decodeData(in, out);
            case CHUNK -> decodeChunk(in, out);
        }
    }

    private void decodeCommand(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int lf = in.indexOf(start, start + Math.min(readable, lineLimit), (byte) '\n');
        if (lf < 0) {
            if (readable >= lineLimit) {
                // Skip only the line's first lineLimit octets: its LF, and any commands pipelined
                // behind it, may already be in the buffer for DISCARD_LINE to find.
                in.skipBytes(lineLimit);
                mode = Mode.DISCARD_LINE;
                out.add(LineError.TOO_LONG);
            }
            return;
        }
        in.readerIndex(lf + 1);
        if (lf == start || in.getByte(lf - 1) != '\r') {
            out.add(LineError.BARE_LF);
            return;
        }
        int end = lf - 1;
        if (in.indexOf(start, end, (byte) 0) >= 0) {
            out.add(LineError.NUL);
            return;
        }
        if (in.indexOf(start, end, (byte) '\r') >= 0) {
            out.add(LineError.BARE_CR);
            return;
        }
        out.add(CommandLine.parse(in.toString(start, end - start, StandardCharsets.UTF_8)));
    }

    private void discardLine(ByteBuf in) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            in.skipBytes(in.readableBytes());
        } else {
            in.readerIndex(lf + 1);
            mode = Mode.COMMAND;
        }
    }

    // RFC 5321 section 4.1.1.4: the body ends at CRLF "." CRLF; a leading "." is removed from
    // every other line (section 4.5.2). Only a "." CRLF line right after a CRLF ends it, so a
    // "smuggled" LF "." CRLF or CRLF "." LF stays content.
    private void decodeData(ByteBuf in, List<Object> out) {
        int runStart = in.readerIndex();
        int pos = runStart;
        int end = in.writerIndex();
        while (pos < end) {
            int lf = in.indexOf(pos, end, (byte) '\n');
            if (lf < 0) {
                if (end - pos > lineLimit || midLine) {
                    lineTooLong |= end - pos > lineLimit;
                    lastWasCr = in.getByte(end - 1) == '\r';
                    midLine = true;
                    pos = end;
                }
                break;
            }
            boolean crlf = lf > pos ? in.getByte(lf - 1) == '\r' : midLine && lastWasCr;
            bareLf |= !crlf;
            if (!midLine && in.getByte(pos) == '.') {
                if (afterCrLf && crlf && lf == pos + 2) {
                    emit(in, runStart, pos, out);
                    in.readerIndex(lf + 1);
                    mode = Mode.COMMAND;
                    out.add(new ContentEnd(octets, lineTooLong, bareLf));
                    return;
                }
                emit(in, runStart, pos, out);
                runStart = pos + 1;
            }
            lineTooLong |= !midLine && lf + 1 - pos > lineLimit;
            afterCrLf = crlf;
            midLine = false;
            pos = lf + 1;
        }
        emit(in, runStart, pos, out);
        in.readerIndex(pos);
    }

    private void decodeChunk(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(in.readableBytes(), chunkRemaining);
        int start = in.readerIndex();
        emit(in, start, start + n, out);
        in.readerIndex(start + n);
        chunkRemaining -= n;
        if (chunkRemaining == 0) {
            mode = Mode.COMMAND;
            out.add(new ContentEnd(octets, false, false));
        }
    }

    private void emit(ByteBuf in, int from, int to, List<Object> out) {
        int length = to - from;
        if (length <= 0) {
            return;
        }
        long room = budget - octets;
        octets += length;
        if (room > 0) {
            out.add(in.retainedSlice(from, (int) Math.min(length, room)));
        }
    }
}
