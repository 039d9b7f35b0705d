// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import org.postal.daemon.load.ClientTls;
import org.postal.daemon.service.Transports;
import org.postal.daemon.report.ByteCounter;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import org.postal.daemon.ledger.Arrivals;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.load.ClientPipeline;
import org.postal.daemon.load.Counter;
import org.postal.daemon.load.LoadEngine;
import org.postal.daemon.load.LoadKind;
import org.postal.daemon.load.LoadStats;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.RateSchedule;
import org.postal.daemon.load.UserPool;
import org.postal.daemon.load.source.SourceBinding;
import org.postal.daemon.load.imap.ImapResponseDecoder;
import org.postal.daemon.load.pop3.Pop3ResponseDecoder;
import org.postal.daemon.report.TranscriptSwitch;

/** One rabid run: the event loops, the -p slots, the accounts, the schedule and what they share. */
final class RabidLoad implements LoadEngine {

    /** rabid in the shared engine: it starts sessions, measures the POP3 and IMAP phases, verifies hashes. */
    public static final LoadKind KIND = new LoadKind("rabid", "sessions", EnumSet.of(Phase.CONNECT, Phase.BANNER, Phase.TLS,
            Phase.LOGIN, Phase.STAT, Phase.LIST, Phase.UIDL, Phase.RETR, Phase.DELE, Phase.SELECT, Phase.FETCH,
            Phase.STORE, Phase.EXPUNGE, Phase.LOGOUT, Phase.QUIT, Phase.MESSAGE),
            List.of(Counter.IMAP_CONNECTIONS, Counter.VERIFIED, Counter.CORRUPT), ", %d IMAP; %d verified, %d corrupt");

    /** Longest message line tolerated in a POP3 body before it is flagged: RFC 5322's 1000, generously. */
    private static final int BODY_LINE = 64 * 1024;
    private static final AttributeKey<Boolean> IMPLICIT_TLS = AttributeKey.valueOf("postal.implicitTls");

    /** A new connection and, for POP3, the decoder its session tells what to expect. */
    record Connection(ChannelFuture future, Pop3ResponseDecoder pop3) {
    }

    private final RabidConfig config;
    private final AccountPool accounts;
    private final LoadStats stats = new LoadStats(KIND);
    private final RateSchedule schedule;
    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ClientTls clientTls;
    private final SourceBinding binding;
    private final ChannelHandler counter;
    private final RabidLog log;
    /** The --ledger file (fetched messages by mailbox); it also counts messages fetched twice. */
    private final Arrivals arrivals;
    private final TranscriptSwitch transcripts;
    private final PrintStream err;
    private final CountDownLatch slotsDone;
    private final List<RabidSlot> slots = new CopyOnWriteArrayList<>();
    private final ProbeRecorder probe;
    private volatile boolean stopping;

    RabidLoad(RabidConfig config, UserPool users, PrintStream err, ProbeRecorder probe) throws IOException {
        this.config = config;
        this.probe = probe;
        this.accounts = new AccountPool(users);
        this.err = err;
        this.schedule = new RateSchedule(config.workload().rate(), probe == null ? 0 : 1, System.nanoTime());
        this.group = Transports.group(config.workload().ioThreads());
        this.channelType = Transports.client();
        this.clientTls = new ClientTls(config.session().tlsVerify(), config.session().timeout());
        this.binding = new SourceBinding(config.target().local());
        this.counter = ByteCounter.reads(stats.bytes);
        // A probe leaves the previous run's rabid.log alone.
        this.log = probe != null ? RabidLog.discarding()
                : new RabidLog(config.output().log(), config.output().logAll());
        this.transcripts = new TranscriptSwitch(config.output().transcript(),
                config.output().transcriptPerConnection(), config.output().transcriptBase());
        this.slotsDone = new CountDownLatch(config.workload().connections());
        this.arrivals = Arrivals.open(probe != null ? null : config.output().ledger(), "rabid", config.output().name());
    }

    Arrivals arrivals() {
        return arrivals;
    }

    /** How many event loops carry the sessions (--io-threads). */
    int eventLoops() {
        return Transports.size(group);
    }

    @Override
    public void start() {
        schedule.begin(System.nanoTime());
        SplittableRandom seeds = new SplittableRandom(config.workload().seed());
        for (int i = 1; i <= config.workload().connections(); i++) {
            RabidSlot slot = new RabidSlot(this, i, group.next(), seeds.split());
            slots.add(slot);
            slot.start();
        }
    }

    Connection connect(EventLoop loop, InetSocketAddress remote, InetSocketAddress local, boolean imap,
                       boolean implicitTls, ChannelHandler slot, int number, int connection) {
        Pop3ResponseDecoder pop3 = imap ? null : new Pop3ResponseDecoder(BODY_LINE, config.session().qmailPop());
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.session().timeout().toMillis()))
                .attr(IMPLICIT_TLS, implicitTls)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ClientPipeline.countOpen(ch, stats.open);
                        ClientPipeline.build(ch.pipeline(), counter, implicitTls ? tlsHandler(ch, remote) : null,
                                probe != null ? probe : transcript(number, connection),
                                imap ? new ImapResponseDecoder() : pop3, slot);
                        binding.prepare(ch, local);
                    }
                });
        ChannelFuture future = local == null ? bootstrap.connect(remote) : bootstrap.connect(remote, local);
        binding.watch(future, local);
        return new Connection(future, pop3);
    }

    SslHandler tlsHandler(Channel ch, InetSocketAddress remote) {
        return clientTls.handler(ch, remote);
    }

    boolean implicitTls(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(IMPLICIT_TLS).get());
    }

    /** A message was handled; --count ends the run once reached. */
    void counted() {
        stats.messages.increment();
        long count = config.workload().count();
        if (count > 0 && stats.messages.sum() >= count) {
            stop();
        }
    }

    /** Stops starting sessions; those running finish their current message and log out. */
    @Override
    public void stop() {
        stopping = true;
        schedule.stop();
        accounts.cancelWaiting();
        slots.forEach(RabidSlot::wake);
    }

    boolean stopping() {
        return stopping;
    }

    /** A session slot has ended for good; waiting for the account pool no longer applies to it. */
    void slotFinished() {
        slotsDone.countDown();
    }

    @Override
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return slotsDone.await(timeout, unit);
    }

    @Override
    public void close() {
        stop();
        channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        log.close();
        arrivals.close();
    }

    RabidConfig config() {
        return config;
    }

    /** What systemd's STATUS= and watchdog look at. */
    @Override
    public org.postal.daemon.service.Monitored monitored() {
        return new org.postal.daemon.service.Monitored(group, config.output().interval(), stats.messages::sum,
                () -> String.format("%d messages read (%d corrupt), %d connections, %d errors", stats.messages.sum(),
                        stats.counter(Counter.CORRUPT).sum(), stats.connections.sum(), stats.errors.sum()));
    }

    @Override
    public LoadStats stats() {
        return stats;
    }

    /** A recorder for a new session when transcripts are on, else null. */
    private ChannelHandler transcript(int number, int connection) {
        var now = transcripts.current();
        return now == null ? null : now.open(number, connection);
    }

    @Override
    public TranscriptSwitch transcripts() {
        return transcripts;
    }

    @Override
    public RateSchedule schedule() {
        return schedule;
    }

    AccountPool accounts() {
        return accounts;
    }

    @Override
    public RabidLog log() {
        return log;
    }

    PrintStream err() {
        return err;
    }

    long timeoutNanos() {
        return config.session().timeout().toNanos();
    }
}
