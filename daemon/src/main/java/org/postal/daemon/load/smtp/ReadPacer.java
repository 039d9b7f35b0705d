// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.TimeUnit;

/**
 * Reads a slow client's replies late: automatic reading is off, and each socket read is asked
 * for a pause after the previous one ended, so the server's replies wait in the (small) receive
 * buffer and then its send buffer, as they do behind a client that reads slowly.
 */
final class ReadPacer extends ChannelDuplexHandler {

    private final long pauseNanos;
    private boolean asked;

    ReadPacer(long pauseNanos) {
        this.pauseNanos = pauseNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        readLater(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.fireChannelReadComplete();
        readLater(ctx);
    }

    private void readLater(ChannelHandlerContext ctx) {
        if (!asked) {
            asked = true;
            ctx.executor().schedule(() -> {
                asked = false;
                if (ctx.channel().isActive()) {
                    ctx.read();
                }
            }, pauseNanos, TimeUnit.NANOSECONDS);
        }
    }
}
