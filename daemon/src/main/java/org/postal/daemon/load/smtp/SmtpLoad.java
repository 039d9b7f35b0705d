// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import org.postal.daemon.load.ClientPipeline;
import org.postal.daemon.dns.NameLookup;
import org.postal.daemon.load.ClientTls;
import org.postal.daemon.service.Transports;
import org.postal.daemon.report.ByteCounter;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.load.LoadEngine;
import org.postal.daemon.load.LoadKind;
import org.postal.daemon.load.LoadStats;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.RateSchedule;
import org.postal.daemon.load.UserPool;
import org.postal.daemon.ledger.LedgerWriter;
import org.postal.daemon.ledger.SendRecord;
import org.postal.daemon.load.source.SourceBinding;
import org.postal.daemon.message.MessageSource;
import org.postal.daemon.message.RunId;
import org.postal.daemon.smtp.Reply;
import org.postal.daemon.smtp.SmtpReplyDecoder;
import org.postal.daemon.report.TranscriptSwitch;
import org.postal.daemon.report.Transcripts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One postal run: the event loops, the -t slots, the schedule and what they share. */
public final class SmtpLoad implements LoadEngine {

    /** postal in the shared engine: it starts messages and measures the SMTP/LMTP phases. */
    public static final LoadKind KIND = new LoadKind("postal", "messages", EnumSet.of(Phase.RESOLVE, Phase.CONNECT, Phase.BANNER, Phase.EHLO,
            Phase.TLS, Phase.AUTH, Phase.MAIL, Phase.RCPT, Phase.DATA, Phase.END_OF_DATA, Phase.QUIT, Phase.MESSAGE),
            List.of(), "");

    private static final Logger LOG = LoggerFactory.getLogger(SmtpLoad.class);

    private final SmtpLoadConfig config;
    private final UserPool recipients;
    private final UserPool senders;
    private final LoadStats stats = new LoadStats(KIND);
    private final RateSchedule schedule;
    private final EventLoopGroup group;
    private final ClientTls clientTls;
    private final NameLookup lookup;
    private final SourceBinding binding;
    private final ChannelHandler counter;
    private final PostalLog log;
    private final TranscriptSwitch transcripts;
    private final MessageSource messages;
    /** The --ledger file, or null. */
    private final LedgerWriter ledger;
    private final CountDownLatch slotsDone;
    private final List<SmtpSlot> slots = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    private volatile boolean sizeRefused;
    private volatile Offer lastOffer;

    /** An EHLO reply's lines and what they offer. */
    private record Offer(List<String> lines, Capabilities capabilities) {
    }

    /** Prepares a run; {@link #start} begins it. */
    SmtpLoad(SmtpLoadConfig config, UserPool recipients, UserPool senders) throws IOException {
        this.config = config;
        Objects.requireNonNull(config.target().servers(), "servers (the embedded bhm's when none were given)");
        this.recipients = recipients;
        this.senders = senders;
        this.messages = new MessageSource(config.workload().message(), config.workload().seed(),
                RunId.random(config.target().runTag()),
                Clock.systemUTC());
        SmtpLoadConfig.Workload work = config.workload();
        this.schedule = new RateSchedule(work.rate(), work.count(), System.nanoTime());
        this.group = Transports.group(work.ioThreads());
        this.clientTls = new ClientTls(config.session().tlsVerify(), config.session().timeout());
        // Only a +name server needs a resolver of our own; a run without one makes none.
        this.lookup = config.target().servers().entries().stream().anyMatch(e -> e.reresolve())
                ? new NameLookup(config.target().resolver(), config.session().timeout()) : null;
        this.binding = new SourceBinding(config.target().local());
        this.counter = ByteCounter.writes(stats.bytes);
        this.log = new PostalLog(config.output().log(), config.output().logAll());
        this.transcripts = new TranscriptSwitch(config.output().transcript(),
                config.output().transcriptPerConnection(), config.output().transcriptBase());
        this.slotsDone = new CountDownLatch(work.connections());
        this.ledger = config.output().ledger() == null ? null : LedgerWriter.open(config.output().ledger(),
                "postal", config.output().name(), "run=" + messages.run());
    }

    /** A per-connection recorder of the server's answers, or null without --ledger. */
    SendRecord sendRecord() {
        return ledger == null ? null : new SendRecord(ledger, config.target().lmtp());
    }

    /** How many event loops carry the slots (--io-threads). */
    int eventLoops() {
        return Transports.size(group);
    }

    @Override
    public void start() {
        // The rate clock starts here, not at construction: set-up time must not count as overdue mail.
        schedule.begin(System.nanoTime());
        SplittableRandom seeds = new SplittableRandom(config.workload().seed());
        for (int i = 1; i <= config.workload().connections(); i++) {
            EventLoop loop = group.next();
            SplittableRandom random = seeds.split();
            SmtpSlot slot = new SmtpSlot(this, i, loop, random, messages.generator(i, ByteBufAllocator.DEFAULT));
            slots.add(slot);
            slot.start();
        }
    }

    /**
     * Opens a connection on {@code loop}: a channel of the remote's address family, registered,
     * then given its handlers and connected. No Bootstrap or initializer per connection: with one
     * message per connection these are a cost per message.
     */
    ChannelFuture connect(EventLoop loop, InetSocketAddress remote, InetSocketAddress local, ChannelHandler slot,
                          int number, int connection) {
        Channel ch = Transports.newClient(remote);
        ch.config().setConnectTimeoutMillis(0); // the slot times the connect with its reply deadline
        ChannelPromise connected = ch.newPromise();
        loop.register(ch).addListener(registered -> {
            if (!registered.isSuccess()) {
                ch.unsafe().closeForcibly();
                connected.setFailure(registered.cause());
                return;
            }
            Transcripts now = transcripts.current();
            ClientPipeline.countOpen(ch, stats.open);
            ClientPipeline.build(ch.pipeline(), counter, config.target().smtps() ? tlsHandler(ch, remote) : null,
                    now == null ? null : now.open(number, connection), new SmtpReplyDecoder(), slot);
            binding.prepare(ch, local);
            binding.watch(connected, local);
            if (local == null) {
                ch.connect(remote, connected);
            } else {
                ch.connect(remote, local, connected);
            }
        });
        return connected;
    }

    /** A client TLS handler; with --tls-verify it checks the certificate against the server's name. */
    io.netty.handler.ssl.SslHandler tlsHandler(Channel ch, InetSocketAddress remote) {
        return clientTls.handler(ch, remote);
    }

    void delivered(SmtpTransaction tx, long nowNanos) {
        stats.messages.increment();
        stats.latency(Phase.MESSAGE, nowNanos - tx.intendedNanos());
        log.delivered(tx.hash(), tx.sender(), tx.delivered());
    }

    void serverError(Reply reply) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Server error: {}", reply.wire().strip());
        }
    }

    boolean wantsTls(SplittableRandom random) {
        int percent = config.session().tlsPercent();
        return percent == 100 || (percent > 0 && random.nextInt(100) < percent);
    }

    /**
     * What an EHLO reply offers. A server answers every connection alike, so the last reply's
     * parse is kept and reused when the next reply has the same lines.
     */
    Capabilities capabilities(List<String> lines) {
        Offer last = lastOffer;
        if (last != null && last.lines().equals(lines)) {
            return last.capabilities();
        }
        Capabilities parsed = Capabilities.parse(lines);
        lastOffer = new Offer(lines, parsed);
        return parsed;
    }

    boolean pipelining(Capabilities caps) {
        return switch (config.session().pipelining()) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> caps.pipelining();
        };
    }

    int recipientCount(SplittableRandom random) {
        SmtpLoadConfig.Workload w = config.workload();
        return w.minRecipients() == w.maxRecipients() ? w.minRecipients()
                : w.minRecipients() + random.nextInt(w.maxRecipients() - w.minRecipients() + 1);
    }

    long timeoutNanos() {
        return config.session().timeout().toNanos();
    }

    void slotFinished() {
        slotsDone.countDown();
    }

    /** Stops starting messages; those in flight finish, then each slot says QUIT. */
    @Override
    public void stop() {
        stopping = true;
        schedule.stop();
        slots.forEach(SmtpSlot::wake);
    }

    boolean stopping() {
        return stopping;
    }

    /** True once a server has refused MAIL's SIZE= parameter although it offered SIZE. */
    boolean sizeRefused() {
        return sizeRefused;
    }

    /** Stops sending SIZE= (0.76's bhm offers SIZE but answers 501 to the parameter). */
    void refuseSize(Reply reply) {
        if (!sizeRefused) {
            sizeRefused = true;
            LOG.warn("the server offers SIZE but refused MAIL FROM with SIZE= ({}); sending MAIL without it",
                    reply.wire().strip());
        }
    }

    /** Waits until every slot has finished; false on timeout. */
    @Override
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return slotsDone.await(timeout, unit);
    }

    /** Closes every connection and the event loops at once (the second signal). */
    @Override
    public void close() {
        stopping = true;
        schedule.stop();
        slots.forEach(SmtpSlot::abort);
        if (lookup != null) {
            lookup.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        log.close();
        if (ledger != null) {
            ledger.close();
        }
        messages.close();
    }

    public SmtpLoadConfig config() {
        return config;
    }

    @Override
    public LoadStats stats() {
        return stats;
    }

    @Override
    public TranscriptSwitch transcripts() {
        return transcripts;
    }

    /** What systemd's STATUS= and watchdog look at. */
    @Override
    public org.postal.daemon.service.Monitored monitored() {
        return new org.postal.daemon.service.Monitored(group, config.output().interval(), stats.messages::sum,
                () -> String.format("%d messages sent, %d connections, %d errors", stats.messages.sum(),
                        stats.connections.sum(), stats.errors.sum()));
    }

    @Override
    public RateSchedule schedule() {
        return schedule;
    }

    /** Looks up {@code +name} servers before each connection; null when the server list has none. */
    NameLookup lookup() {
        return lookup;
    }

    UserPool recipients() {
        return recipients;
    }

    UserPool senders() {
        return senders;
    }

    @Override
    public PostalLog log() {
        return log;
    }
}
