// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.traffic.AbstractTrafficShapingHandler;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import io.netty.util.AttributeKey;

/**
 * Makes one session's link slow, as the rules in force when it connects say: a small receive
 * window, a read rate, pauses between reads and a reply rate. All of it sits at the head of the
 * pipeline, so it sees the octets on the wire (TLS records included).
 *
 * <p>The receive window is the socket's SO_RCVBUF. Linux doubles the value asked for (the other half
 * is its own bookkeeping), keeps at least its floor (SOCK_MIN_RCVBUF, about 2.3 KiB, so 4.5 KiB
 * once doubled) and at most net.core.rmem_max; the window the client sees is what is free of
 * that. The window scale is agreed in the SYN, before this socket exists, from the listener's
 * buffer: bhm asks the listener for the same buffer when the rule is set at start, so a small window
 * set later at run time still caps the window but keeps the scale agreed before.
 *
 * <p>Rates are kept by Netty's traffic shaping handler: reading stops while the octets read are
 * ahead of the rate, and replies wait in its queue until the rate allows them out.
 */
final class SlowLink {

    static final String NAME = "slow-link";
    /** How often the shaper's counters restart; shorter follows a rate more closely. */
    private static final long CHECK_INTERVAL_MILLIS = 250;

    private SlowLink() {
    }

    /** Asks a listener for the receive window, so the window scale agreed in each SYN suits it. */
    static void listen(io.netty.bootstrap.ServerBootstrap bootstrap, SlowRules rules) {
        if (rules.window() > 0) {
            bootstrap.option(ChannelOption.SO_RCVBUF, rules.window());
        }
    }

    /** Sets the receive window and adds the handlers the rules need; returns the read pause, or null. */
    static ReadPause install(Channel ch, SlowRules rules, SinkStats stats) {
        if (rules.window() > 0) {
            ch.config().setOption(ChannelOption.SO_RCVBUF, rules.window());
        }
        if (!rules.slowsTheLink()) {
            return null;
        }
        ReadPause pause = new ReadPause(rules.readPause().toNanos(), stats);
        ch.pipeline().addFirst(ReadPause.NAME, pause);
        if (rules.readRate() > 0 || rules.replyRate() > 0) {
            ch.pipeline().addFirst(NAME, new Shaper(rules.replyRate(), rules.readRate(), stats));
        }
        return pause;
    }

    /** Netty's shaper, counting the times it stopped reading. */
    private static final class Shaper extends ChannelTrafficShapingHandler {
        /** The shaper's own mark of a channel whose reading it stopped (same name, same key). */
        private static final AttributeKey<Boolean> SUSPENDED =
                AttributeKey.valueOf(AbstractTrafficShapingHandler.class.getName() + ".READ_SUSPENDED");
        private final SinkStats stats;

        Shaper(long writeLimit, long readLimit, SinkStats stats) {
            super(writeLimit, readLimit, CHECK_INTERVAL_MILLIS, FaultPlan.MAX_DELAY.toMillis());
            this.stats = stats;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            boolean before = Boolean.TRUE.equals(ctx.channel().attr(SUSPENDED).get());
            super.channelRead(ctx, msg);
            if (!before && Boolean.TRUE.equals(ctx.channel().attr(SUSPENDED).get())) {
                stats.fired(Fired.READS_SLOWED);
            }
        }
    }
}
