// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.LongAdder;

/**
 * Adds up the octets a pipeline reads or writes, for 0.76's data(K) column: bhm and rabid count
 * what they read, postal what it writes. Stateless but for the shared counter, so one instance
 * serves every channel of a program; it sits at the socket end, so TLS records count as sent.
 *
 * <p>A counter of reads is an inbound handler only and a counter of writes an outbound one, so
 * Netty passes the other direction's events by it without a call.
 */
public final class ByteCounter {

    private ByteCounter() {
    }

    /** Counts what is read. */
    public static ChannelHandler reads(LongAdder bytes) {
        return new Reads(bytes);
    }

    /** Counts what is written. */
    public static ChannelHandler writes(LongAdder bytes) {
        return new Writes(bytes);
    }

    @Sharable
    private static final class Reads extends ChannelInboundHandlerAdapter {
        private final LongAdder bytes;

        Reads(LongAdder bytes) {
            this.bytes = bytes;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                bytes.add(buf.readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }

    @Sharable
    private static final class Writes extends ChannelOutboundHandlerAdapter {
        private final LongAdder bytes;

        Writes(LongAdder bytes) {
            this.bytes = bytes;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf buf) {
                bytes.add(buf.readableBytes());
            }
            ctx.write(msg, promise);
        }
    }
}
