// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.TimeUnit;

/**
 * Stops reading a socket for a while: after each read when a read pause is set, and once for a
 * stall. Reading is stopped by turning autoRead off and started again by a timer on the
 * channel's event loop, so nothing blocks; while a pause runs, read requests from other handlers
 * are held back (the way Netty's traffic shaping handlers do it), and the data waits in the
 * kernel's receive buffer, whose fill shrinks the window the client sees.
 */
final class ReadPause extends ChannelDuplexHandler {

    static final String NAME = "read-pause";

    private final long pauseNanos;
    private final SinkStats stats;
    private ChannelHandlerContext ctx;
    private boolean paused;
    private long pausedUntil;

    ReadPause(long pauseNanos, SinkStats stats) {
        this.pauseNanos = pauseNanos;
        this.stats = stats;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (pauseNanos > 0 && !paused && context.channel().config().isAutoRead()) {
            stats.fired(Fired.READS_SLOWED);
            pause(pauseNanos);
        }
        context.fireChannelReadComplete();
    }

    /** Stops reading for {@code nanos} (a running pause is lengthened, never shortened). */
    void pause(long nanos) {
        long until = ctx.executor().ticker().nanoTime() + nanos;
        if (paused) {
            pausedUntil = Math.max(pausedUntil, until);
            return;
        }
        paused = true;
        pausedUntil = until;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(this::resume, nanos, TimeUnit.NANOSECONDS);
    }

    private void resume() {
        long left = pausedUntil - ctx.executor().ticker().nanoTime();
        if (left > 0) {
            ctx.executor().schedule(this::resume, left, TimeUnit.NANOSECONDS);
            return;
        }
        paused = false;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (ctx.channel().config().isAutoRead()) {
            // Another handler turned reading on during the pause; its read request was held back here.
            ctx.read();
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void read(ChannelHandlerContext context) {
        if (!paused) {
            context.read();
        }
    }

    boolean paused() {
        return paused;
    }
}
