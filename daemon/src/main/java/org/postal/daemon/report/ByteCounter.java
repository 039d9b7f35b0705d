// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.LongAdder;

/**
 * Adds up the octets a pipeline reads or writes, for 0.76's data(K) column: bhm and rabid count
 * what they read, postal what it writes. Stateless but for the shared counter, so one instance
 * serves every channel of a program; it sits at the socket end, so TLS records count as sent.
 */
@Sharable
public final class ByteCounter extends ChannelDuplexHandler {

    private final LongAdder bytes;
    private final boolean inbound;

    private ByteCounter(LongAdder bytes, boolean inbound) {
        this.bytes = bytes;
        this.inbound = inbound;
    }

    /** Counts what is read. */
    public static ByteCounter reads(LongAdder bytes) {
        return new ByteCounter(bytes, true);
    }

    /** Counts what is written. */
    public static ByteCounter writes(LongAdder bytes) {
        return new ByteCounter(bytes, false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (inbound && msg instanceof ByteBuf buf) {
            bytes.add(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!inbound && msg instanceof ByteBuf buf) {
            bytes.add(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
