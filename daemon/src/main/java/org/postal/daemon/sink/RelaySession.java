// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.postal.daemon.smtp.Reply;

/**
 * One hand-over of a bounce to the relay: greeting, EHLO, {@code MAIL FROM:<>}, RCPT to the
 * original sender, DATA, QUIT (RFC 5321 section 3.3; the null reverse-path of section 4.5.5).
 * The outcome is reported once: delivered, refused for good (5xx) or failed for now (4xx, a
 * closed or silent connection).
 */
final class RelaySession extends ChannelInboundHandlerAdapter {

    /** How a hand-over ended. */
    enum Outcome { DELIVERED, REFUSED, FAILED }

    private enum Step { GREETING, EHLO, MAIL, RCPT, DATA, CONTENT, QUIT }

    private final DeliveryStatus bounce;
    private final Consumer<Outcome> done;
    private Step step = Step.GREETING;
    private boolean reported;

    RelaySession(DeliveryStatus bounce, Consumer<Outcome> done) {
        this.bounce = bounce;
        this.done = done;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Reply reply)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        boolean expected = step == Step.DATA ? reply.code() == 354 : reply.code() / 100 == 2;
        if (step == Step.QUIT) {
            ctx.close();
            return;
        }
        if (!expected) {
            report(reply.code() >= 500 ? Outcome.REFUSED : Outcome.FAILED);
            ctx.close();
            return;
        }
        switch (step) {
            case GREETING -> send(ctx, Step.EHLO, "EHLO " + bounce.reportingHost());
            case EHLO -> send(ctx, Step.MAIL, "MAIL FROM:<>");
            case MAIL -> send(ctx, Step.RCPT, "RCPT TO:<" + bounce.sender() + ">");
            case RCPT -> send(ctx, Step.DATA, "DATA");
            case DATA -> {
                step = Step.CONTENT;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(bounce.data()));
            }
            case CONTENT -> {
                report(Outcome.DELIVERED);
                send(ctx, Step.QUIT, "QUIT");
            }
            default -> throw new IllegalStateException("no reply expected after " + step);
        }
    }

    private void send(ChannelHandlerContext ctx, Step next, String command) {
        step = next;
        ctx.writeAndFlush(Unpooled.copiedBuffer(command + "\r\n", StandardCharsets.UTF_8));
    }

    private void report(Outcome outcome) {
        if (!reported) {
            reported = true;
            done.accept(outcome);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        report(Outcome.FAILED);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Closed before the message was accepted: a relay going down, or one that timed out.
        report(Outcome.FAILED);
        ctx.fireChannelInactive();
    }
}
