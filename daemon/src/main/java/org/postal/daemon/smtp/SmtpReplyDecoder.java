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
            int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            in.readerIndex(lf + 1);
            Reply reply = line(in.toString(start, end - start, StandardCharsets.UTF_8));
            if (reply != null) {
                out.add(reply);
                return;
            }
        }
    }

    private Reply line(String line) {
        if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' '
                && line.charAt(3) != '-')) {
            throw fail("not an SMTP reply line: \"" + abbreviate(line) + "\"");
        }
        int lineCode = (line.charAt(0) - '0') * 100 + (line.charAt(1) - '0') * 10 + (line.charAt(2) - '0');
        if (lineCode < 200 || lineCode > 599 || (!lines.isEmpty() && lineCode != code)) {
            throw fail("bad reply code in \"" + abbreviate(line) + "\"");
        }
        code = lineCode;
        lines.add(line.length() > 4 ? line.substring(4) : "");
        if (lines.size() > MAX_LINES) {
            throw fail("reply of more than " + MAX_LINES + " lines");
        }
        if (line.length() > 3 && line.charAt(3) == '-') {
            return null;
        }
        Reply reply = new Reply(code, lines);
        lines.clear();
        return reply;
    }

    private static DecoderException fail(String why) {
        return new DecoderException(why);
    }

    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 60) + "...";
    }
}
