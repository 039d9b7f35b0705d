// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A pregreet trap, as Postfix's postscreen sets it: the greeting is held back for the greeting delay,
 * optionally after a teaser ({@code 220-}, the first line of a multi-line greeting), and a client
 * that sends anything before the greeting is complete is an early talker (a spambot that does not
 * wait for the server). It is counted; with {@link Pregreet#REJECT} it gets
 * {@value #REJECTION_TEXT} and is disconnected, with {@link Pregreet#COUNT} its input waits until
 * the greeting has gone and the session goes on.
 *
 * <p>It sits in front of the decoder, so it sees the client's octets (after TLS, after a PROXY
 * header) before any line is complete, and the greeting the session writes, encoded; once the
 * greeting is out it leaves the pipeline. Nothing blocks: the delay is an event-loop timer.
 */
final class GreetingGate extends ChannelDuplexHandler {

    /** What happens to an early talker. */
    enum Pregreet { REJECT, COUNT }

    static final String NAME = "greeting-gate";
    static final String REJECTION_TEXT = "554 5.5.1 Protocol error: talked before the greeting";
    /** Early input kept for a client that is only counted; past it the socket is not read. */
    private static final int MAX_EARLY = 64 * 1024;

    private final long delayNanos;
    private final boolean teaser;
    private final Pregreet action;
    private final SinkStats stats;
    private ByteBuf greeting;
    private ChannelPromise greetingPromise;
    private ScheduledFuture<?> timer;
    private final ArrayDeque<Object> early = new ArrayDeque<>();
    private int earlyOctets;
    private boolean talkedFirst;

    GreetingGate(long delayNanos, boolean teaser, Pregreet action, SinkStats stats) {
        this.delayNanos = delayNanos;
        this.teaser = teaser;
        this.action = action;
        this.stats = stats;
    }

    /** The first write is the session's greeting: the teaser goes now, the greeting after the delay. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (greeting != null || timer != null || !(msg instanceof ByteBuf line)) {
            ctx.write(msg, promise);
            return;
        }
        greeting = line;
        greetingPromise = promise;
        if (teaser && line.readableBytes() > 4) {
            // 220-text CRLF, then later 220 text CRLF: one reply of two lines (RFC 5321 section 4.2).
            ByteBuf tease = line.copy();
            tease.setByte(3, '-');
            ctx.writeAndFlush(tease, ctx.voidPromise());
        }
        timer = ctx.executor().schedule(() -> release(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (greeting == null) {
            ctx.flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!talkedFirst) {
            talkedFirst = true;
            stats.fired(Fired.PREGREET);
            if (action == Pregreet.REJECT) {
                ReferenceCountUtil.release(msg);
                reject(ctx);
                return;
            }
        }
        if (action == Pregreet.REJECT) {
            ReferenceCountUtil.release(msg);
            return;
        }
        early.add(msg);
        earlyOctets += msg instanceof ByteBuf b ? b.readableBytes() : 0;
        if (earlyOctets >= MAX_EARLY) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // The session flushes when a read batch ends; nothing of this batch has reached it.
    }

    private void reject(ChannelHandlerContext ctx) {
        timer.cancel(false);
        greeting.release();
        greeting = null;
        greetingPromise.trySuccess();
        stats.reject(554);
        ctx.writeAndFlush(Unpooled.copiedBuffer(REJECTION_TEXT + "\r\n", StandardCharsets.US_ASCII))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** The delay is over: the greeting goes, held input follows it, and the gate leaves. */
    private void release(ChannelHandlerContext ctx) {
        ByteBuf line = greeting;
        greeting = null;
        timer = null;
        ctx.writeAndFlush(line, greetingPromise);
        java.util.List<Object> held = new java.util.ArrayList<>(early);
        early.clear();
        ctx.pipeline().remove(this);
        ctx.channel().config().setAutoRead(true);
        for (Object msg : held) {
            ctx.fireChannelRead(msg);
        }
        if (!held.isEmpty()) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        if (greeting != null) {
            greeting.release();
            greeting = null;
        }
        for (Object msg; (msg = early.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }
}
