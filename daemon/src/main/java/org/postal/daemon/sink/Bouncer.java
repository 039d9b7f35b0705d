// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.service.Transports;
import org.postal.daemon.smtp.SmtpReplyDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends bounces to the relay, asynchronously on an event loop of its own: sessions only queue them.
 *
 * <p>The queue holds at most {@link SinkConfig.Bounces#queue()} bounces; one more is dropped and
 * counted. At most {@link #IN_FLIGHT} hand-overs run at once. A hand-over that fails for now (4xx,
 * a relay that is down or silent) is tried again after the retry delay, doubled each time, up to
 * the configured attempts; a 5xx, or the last failed attempt, drops the bounce. Every step is
 * counted ({@link Fired}): queued, sent, retried, dropped.
 */
final class Bouncer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Bouncer.class);
    /** Relay sessions open at once. */
    static final int IN_FLIGHT = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_RETRY = TimeUnit.HOURS.toNanos(1);

    private record Pending(DeliveryStatus bounce, int attempt) {
    }

    private final SinkConfig.Bounces config;
    private final SinkStats stats;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Bounces held by the queue, by a running hand-over or by a retry timer; guarded by the loop. */
    private int held;
    private int running;
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();

    Bouncer(SinkConfig.Bounces config, SinkStats stats) {
        this.config = config;
        this.stats = stats;
        this.group = config.relay() == null ? null : Transports.group(1);
        this.loop = group == null ? null : group.next();
    }

    /** A number for the next bounce's Message-ID, unique within this bhm. */
    long nextSequence() {
        return sequence.incrementAndGet();
    }

    /** Queues a bounce from any thread; without a relay, or with the queue full, it is dropped. */
    void offer(DeliveryStatus bounce) {
        if (loop == null) {
            stats.fired(Fired.BOUNCES_DROPPED);
            return;
        }
        loop.execute(() -> {
            if (held >= config.queue()) {
                stats.fired(Fired.BOUNCES_DROPPED);
                LOG.debug("bounce queue full ({}): bounce to {} dropped", config.queue(), bounce.sender());
                return;
            }
            held++;
            stats.fired(Fired.BOUNCES_QUEUED);
            queue.add(new Pending(bounce, 1));
            next();
        });
    }

    /** Starts hand-overs while there is room; runs on the loop. */
    private void next() {
        while (running < IN_FLIGHT && !queue.isEmpty()) {
            Pending pending = queue.poll();
            running++;
            deliver(pending);
        }
    }

    private void deliver(Pending pending) {
        InetSocketAddress relay = config.relay();
        new Bootstrap().group(loop).channel(Transports.client())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TIMEOUT.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                                new SmtpReplyDecoder(), new RelaySession(pending.bounce(), o -> done(pending, o)));
                    }
                })
                .connect(relay)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        done(pending, RelaySession.Outcome.FAILED);
                    }
                });
    }

    private void done(Pending pending, RelaySession.Outcome outcome) {
        running--;
        switch (outcome) {
            case DELIVERED -> {
                held--;
                stats.fired(Fired.BOUNCES_SENT);
            }
            case REFUSED -> drop(pending, "refused by the relay");
            case FAILED -> {
                if (pending.attempt() >= config.attempts()) {
                    drop(pending, "relay " + config.relay() + " failed " + pending.attempt() + " times");
                } else {
                    stats.fired(Fired.BOUNCES_RETRIED);
                    long delay = Math.min(config.retry().toNanos() << Math.min(pending.attempt() - 1, 20), MAX_RETRY);
                    loop.schedule(() -> {
                        queue.add(new Pending(pending.bounce(), pending.attempt() + 1));
                        next();
                    }, delay, TimeUnit.NANOSECONDS);
                }
            }
        }
        next();
    }

    private void drop(Pending pending, String why) {
        held--;
        stats.fired(Fired.BOUNCES_DROPPED);
        LOG.debug("bounce to {} dropped: {}", pending.bounce().sender(), why);
    }

    /** Stops at once: bounces still queued or waiting for a retry are lost (bhm is stopping). */
    @Override
    public void close() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
