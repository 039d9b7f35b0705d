// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The --probe transcript: each line the client sends ("C:") and the server answers ("S:"), with
 * the milliseconds since the probe began; passwords are masked and message bodies summed up, so
 * the output can be pasted into a ticket ("How to Debug POP", as one command).
 */
@Sharable
final class ProbeRecorder extends ChannelDuplexHandler {

    private static final int SHOWN_PER_READ = 40;

    private final PrintStream out;
    private final long start = System.nanoTime();

    ProbeRecorder(PrintStream out) {
        this.out = out;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            print("S", buf);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            print("C", buf);
        }
        ctx.write(msg, promise);
    }

    private void print(String who, ByteBuf buf) {
        String text = buf.toString(buf.readerIndex(), buf.readableBytes(), StandardCharsets.UTF_8);
        String[] lines = text.split("\r?\n", -1);
        double ms = (System.nanoTime() - start) / 1e6;
        int shown = 0;
        for (String line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            if (shown++ == SHOWN_PER_READ) {
                out.printf(Locale.ROOT, "%9.1f ms %s: ... (%d more lines, %d octets in this read)%n", ms, who,
                        lines.length - SHOWN_PER_READ, buf.readableBytes());
                break;
            }
            out.printf(Locale.ROOT, "%9.1f ms %s: %s%n", ms, who, who.equals("C") ? mask(line) : line);
        }
    }

    /** A client line with its secret replaced: PASS, IMAP LOGIN's second argument, SASL PLAIN responses. */
    static String mask(String line) {
        String upper = line.toUpperCase(Locale.ROOT);
        if (upper.startsWith("PASS ")) {
            return "PASS ********";
        }
        if (upper.startsWith("AUTH PLAIN ") || upper.contains(" AUTHENTICATE PLAIN ")) {
            return line.substring(0, upper.indexOf("PLAIN ") + 6) + "********";
        }
        int login = upper.indexOf(" LOGIN ");
        if (login > 0 && line.indexOf(' ') == login) {
            // tag SP "LOGIN" SP userid SP password: keep the user name, whatever its quoting.
            int user = login + 7;
            int end = user;
            if (end < line.length() && line.charAt(end) == '"') {
                for (end++; end < line.length() && line.charAt(end) != '"'; end++) {
                    if (line.charAt(end) == '\\') {
                        end++;
                    }
                }
                end++;
            } else {
                while (end < line.length() && line.charAt(end) != ' ') {
                    end++;
                }
            }
            return line.substring(0, Math.min(end, line.length())) + " ********";
        }
        return line;
    }
}
