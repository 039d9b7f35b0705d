// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's view of the server: gathers reply lines into whole {@link Reply} objects.
 *
 * <pre>
 * Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF  ; RFC 5321 4.2
 * </pre>
 * Lines may end in a bare LF (some servers send one); a line without a three-digit code, a code
 * that changes inside a reply, an overlong line or a reply of too many lines is a protocol error.
 */
public final class SmtpReplyDecoder extends ByteToMessageDecoder {

    static final int MAX_LINE = 4096;
    static final int MAX_LINES = 256;

    private final List<String> lines = new ArrayList<>(4);
    /**
     * The line being parsed, copied out of the buffer at once: read from an array, not byte by
     * byte through ByteBuf calls. Most replies fit the first size; an EHLO line may grow it.
     */
    private byte[] line = new byte[128];
    private int code;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            int start = in.readerIndex();
            int readable = in.readableBytes();
            int lf = in.indexOf(start, start + Math.min(readable, MAX_LINE), (byte) '\n');
            if (lf < 0) {
                if (readable >= MAX_LINE) {
                    throw fail("reply line longer than " + MAX_LINE + " octets");
                }
                return;
            }
            int length = lf - start;
            if (length > line.length) {
                line = new byte[MAX_LINE];
            }
            in.getBytes(start, line, 0, length);
            in.readerIndex(lf + 1);
            Reply reply = line(length > 0 && line[length - 1] == '\r' ? length - 1 : length);
            if (reply != null) {
                // One reply per call: the handler after this one may change the pipeline (STARTTLS)
                // before the bytes that follow are decoded.
                out.add(reply);
                return;
            }
        }
    }

    /** The line of {@code length} octets in {@link #line}; a whole reply once its last line is in, else null. */
    private Reply line(int length) {
        byte[] b = line;
        byte separator = length > 3 ? b[3] : (byte) ' ';
        if (length < 3 || !digit(b[0]) || !digit(b[1]) || !digit(b[2]) || (separator != ' ' && separator != '-')) {
            throw fail("not an SMTP reply line: \"" + abbreviate(length) + "\"");
        }
        int lineCode = (b[0] - '0') * 100 + (b[1] - '0') * 10 + (b[2] - '0');
        if (lineCode < 200 || lineCode > 599 || (!lines.isEmpty() && lineCode != code)) {
            throw fail("bad reply code in \"" + abbreviate(length) + "\"");
        }
        code = lineCode;
        String text = length > 4 ? new String(b, 4, length - 4, StandardCharsets.UTF_8) : "";
        boolean last = separator == ' ';
        if (last && lines.isEmpty()) {
            return new Reply(code, List.of(text)); // the usual one-line reply: no list to copy
        }
        lines.add(text);
        if (lines.size() > MAX_LINES) {
            throw fail("reply of more than " + MAX_LINES + " lines");
        }
        if (!last) {
            return null;
        }
        Reply reply = new Reply(code, lines);
        lines.clear();
        return reply;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static DecoderException fail(String why) {
        return new DecoderException(why);
    }

    private String abbreviate(int length) {
        String text = new String(line, 0, Math.min(length, 60), StandardCharsets.UTF_8);
        return length <= 60 ? text : text + "...";
    }
}
