// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.handler.codec.dns.TcpDnsResponseDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.load.RateSchedule;
import org.postal.daemon.service.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One postal-dns run: the event loops, the sockets, the shared schedule and question source. */
public final class DnsLoad implements AutoCloseable {

    private static final int SOCKET_BUFFER = 4 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(DnsLoad.class);

    private final DnsLoadConfig config;
    private final QuerySource source;
    private final DnsStats stats = new DnsStats();
    private final RateSchedule schedule;
    private final EventLoopGroup group;
    private final CountDownLatch socketsDone;
    private final List<DnsSocket> sockets = new CopyOnWriteArrayList<>();
    private final long timeoutNanos;
    /** --duration as a point on the schedule: a question due then or later is not sent. */
    private volatile long endNanos = Long.MAX_VALUE;
    private final java.util.Set<String> errorsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public DnsLoad(DnsLoadConfig config, QuerySource source) {
        this.config = config;
        this.source = source;
        this.schedule = new RateSchedule(config.rate(), config.count(), System.nanoTime());
        this.group = Transports.group(config.ioThreads());
        this.socketsDone = new CountDownLatch(config.sockets());
        this.timeoutNanos = config.timeout().toNanos();
    }

    /**
     * Opens every socket, waits (at most --timeout) for the answer to each one's probe question,
     * then starts the clock. Fails when a socket cannot be opened; a server that does not answer
     * the probe is reported and measured all the same (its questions will time out).
     */
    public void start() throws InterruptedException {
        SplittableRandom ids = new SplittableRandom();
        List<io.netty.util.concurrent.Future<Void>> probes = new java.util.ArrayList<>();
        for (int i = 0; i < config.sockets(); i++) {
            EventLoop loop = group.next();
            // The in-flight limit shared out, the first sockets taking the remainder.
            int limit = config.outstanding() / config.sockets() + (i < config.outstanding() % config.sockets() ? 1 : 0);
            DnsSocket socket = new DnsSocket(this, loop, limit, ids.nextInt(1 << 16));
            sockets.add(socket);
            Channel channel = open(loop, socket).sync().channel();
            probes.add(loop.submit(() -> socket.probe(channel)).sync().getNow());
        }
        for (io.netty.util.concurrent.Future<Void> probe : probes) {
            if (!probe.await(config.timeout().toMillis())) {
                LOG.warn("no answer from {} within {} ms to a probe question (. NS); starting all the same",
                        config.server(), config.timeout().toMillis());
                break;
            }
        }
        long begin = System.nanoTime();
        endNanos = config.duration() == null ? Long.MAX_VALUE : begin + config.duration().toNanos();
        schedule.begin(begin);
        sockets.forEach(s -> s.loop().execute(s::begin));
    }

    private ChannelFuture open(EventLoop loop, DnsSocket socket) {
        Bootstrap b = new Bootstrap().group(loop);
        if (config.tcp()) {
            b.channel(Transports.client()).option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new TcpDnsQueryEncoder(), new TcpDnsResponseDecoder(), socket);
                        }
                    });
        } else {
            // Room for a burst of answers: a full receive buffer drops them, and they count as timeouts.
            b.channel(Transports.datagram()).option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                    .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER).handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new DatagramDnsQueryEncoder(), new DatagramDnsResponseDecoder(), socket);
                }
            });
        }
        return b.connect(config.server());
    }

    /** Stops claiming questions; those in flight are answered or time out. */
    public void stop() {
        schedule.stop();
        sockets.forEach(DnsSocket::wake);
    }

    /** Waits until every socket has finished; false on timeout. */
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return socketsDone.await(timeout, unit);
    }

    @Override
    public void close() {
        schedule.stop();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    void socketFinished() {
        socketsDone.countDown();
    }

    /** Logs a socket's error, each kind once: a refusing server would otherwise log one per question. */
    void socketError(Throwable cause) {
        if (errorsSeen.add(cause.getClass().getName())) {
            LOG.warn("socket error (each kind is logged once): {}", cause.toString());
        }
    }

    public DnsStats stats() {
        return stats;
    }

    public RateSchedule schedule() {
        return schedule;
    }

    public DnsLoadConfig config() {
        return config;
    }

    QuerySource source() {
        return source;
    }

    boolean tcp() {
        return config.tcp();
    }

    InetSocketAddress server() {
        return config.server();
    }

    /** True for a question due at or after the end of a --duration run (which this stops). */
    boolean pastEnd(long dueNanos) {
        if (endNanos != Long.MAX_VALUE && dueNanos - endNanos >= 0) {
            stop();
            return true;
        }
        return false;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }
}
