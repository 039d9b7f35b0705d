// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.load.ClientPipeline;
import org.postal.daemon.load.Counter;
import org.postal.daemon.load.MailboxDraws;
import org.postal.daemon.load.MailboxLimits;
import org.postal.daemon.load.MailboxPlan;
import org.postal.daemon.load.MailboxSession;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.source.BindFault;
import org.postal.daemon.load.RateSchedule;
import org.postal.daemon.load.SessionHost;
import org.postal.daemon.load.SlotTimers;
import org.postal.daemon.load.UserPool.User;
import org.postal.daemon.load.imap.ImapSession;
import org.postal.daemon.load.pop3.Pop3Session;

/**
 * One of rabid's -p session slots: takes the next session from the schedule, waits for a free
 * account, connects over POP3 or IMAP (drawn by -i), lets the session run, then gives the account
 * back. The protocol is the session's ({@link Pop3Session}, {@link ImapSession}); this class is
 * its {@link SessionHost}: it owns the connection, the timeouts, the schedule, the message checks
 * and the counting.
 */
final class RabidSlot implements SessionHost {

    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RabidLoad load;
    private final int number;
    private final EventLoop loop;
    private final MailboxDraws draws;
    private final MessageTally tally;
    private final CommandBatch batch = new CommandBatch();
    private final SlotTimers timers;
    private Channel channel;
    private MailboxSession session;
    private User account;
    private int connections;
    private long connectedAt;
    private long backoff = MIN_BACKOFF_NANOS;
    private boolean finished;
    private ScheduledFuture<?> cutOff;

    RabidSlot(RabidLoad load, int number, EventLoop loop, SplittableRandom random) {
        this.load = load;
        this.number = number;
        this.loop = loop;
        RabidConfig.Workload workload = load.config().workload();
        this.draws = new MailboxDraws(random, workload.imapPercent(), load.config().session().tlsPercent(),
                workload.download(), workload.delete());
        this.tally = new MessageTally(load);
        this.timers = new SlotTimers(loop, load.timeoutNanos(), () -> session != null,
                () -> cut(session.awaiting(), "timeout"));
    }

    void start() {
        loop.execute(this::next);
    }

    /**
     * The run is stopping: a slot waiting for its next session stops waiting; a running session
     * may finish its message and log out, but is cut off after {@link MailboxLimits#STOP_GRACE}
     * (or the timeout, if shorter), whatever the server keeps sending.
     */
    void wake() {
        timers.wake(this::finish);
        loop.execute(() -> {
            if (session != null && cutOff == null) {
                MailboxSession running = session;
                long grace = Math.min(MailboxLimits.STOP_GRACE.toNanos(), load.timeoutNanos());
                cutOff = loop.schedule(() -> {
                    cutOff = null;
                    if (session == running) {
                        cut(running.awaiting(), "stopped");
                    }
                }, grace, TimeUnit.NANOSECONDS);
            }
        });
    }

    private void next() {
        if (load.stopping()) {
            finish();
            return;
        }
        long due = load.schedule().claim(System.nanoTime());
        if (due == RateSchedule.PAUSED) {
            load.schedule().whenResumed(() -> loop.execute(this::next));
            return;
        }
        if (due == RateSchedule.DONE) {
            finish();
            return;
        }
        timers.at(due, this::acquire);
    }

    private void acquire() {
        load.accounts().acquire(loop, draws.random(), this::connect);
    }

    private void connect(User user) {
        if (user == null) {
            finish();
            return;
        }
        if (load.stopping()) {
            load.accounts().release(user);
            finish();
            return;
        }
        account = user;
        RabidConfig config = load.config();
        boolean imap = draws.imap();
        boolean implicitTls = imap ? config.target().imaps() : config.target().pop3s();
        boolean wantTls = !implicitTls && draws.tls();
        InetSocketAddress remote;
        InetSocketAddress local;
        try {
            remote = config.target().servers().pick(draws.random());
            if (imap) {
                remote = new InetSocketAddress(remote.getAddress(), config.target().imapPort());
            }
            local = config.target().local() == null ? null : config.target().local().bind(remote);
        } catch (UnknownHostException e) {
            failed(Phase.CONNECT, "dns");
            done(true);
            return;
        }
        connectedAt = System.nanoTime();
        RabidLoad.Connection c = load.connect(loop, remote, local, imap, implicitTls, new Handler(), number,
                connections++);
        channel = c.future().channel();
        MailboxPlan plan = new MailboxPlan(loginName(user), user.password(), implicitTls, wantTls,
                config.session().saslPlain(), config.workload().perConnection(), draws);
        session = imap ? new ImapSession(this, plan) : new Pop3Session(this, c.pop3(), plan);
        ChannelFuture future = c.future();
        future.addListener(f -> {
            if (channel != future.channel()) {
                return;
            }
            if (f.isSuccess()) {
                load.stats().connections.increment();
                if (imap) {
                    load.stats().counter(Counter.IMAP_CONNECTIONS).increment();
                }
                load.stats().latency(Phase.CONNECT, System.nanoTime() - connectedAt);
                session.start();
                flushBatch();
            } else {
                failed(Phase.CONNECT, f.cause() instanceof io.netty.channel.ConnectTimeoutException ? "timeout"
                        : BindFault.code(f.cause(), "refused"));
                done(true);
            }
        });
    }

    private String loginName(User user) {
        String name = user.address();
        int at = name.indexOf('@');
        return load.config().session().stripDomain() && at >= 0 ? name.substring(0, at) : name;
    }

    /** Ends the session from outside it (timeout, close, stop, a decoder's protocol error). */
    private void cut(Phase phase, String what) {
        failed(phase == null ? Phase.QUIT : phase, what);
        done(true);
    }

    /** The session is over (QUIT answered, or an error): close, give the account back, go on. */
    @Override
    public void done(boolean trouble) {
        timers.disarm();
        if (cutOff != null) {
            cutOff.cancel(false);
            cutOff = null;
        }
        if (session != null) {
            session.release();
            session = null;
        }
        tally.abandon();
        batch.discard();
        if (channel != null) {
            channel.close();
            channel = null;
        }
        if (account != null) {
            load.accounts().release(account);
            account = null;
        }
        if (load.stopping()) {
            finish();
        } else if (trouble) {
            // 0.76 slept 10 s after any error; here the pause starts short and doubles.
            long delay = backoff;
            backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
            timers.after(delay, this::next);
        } else {
            backoff = MIN_BACKOFF_NANOS;
            next();
        }
    }

    private void finish() {
        if (!finished) {
            finished = true;
            load.slotFinished();
        }
    }

    // ---- SessionHost ----

    @Override
    public void send(CharSequence line) {
        batch.add(channel, line);
    }

    /** Sends what the session queued, once it has handled the event in hand. */
    private void flushBatch() {
        if (channel != null) {
            batch.flush(channel);
        }
    }

    @Override
    public void await() {
        timers.arm();
    }

    @Override
    public void measured(Phase phase, long startNanos) {
        load.stats().latency(phase, System.nanoTime() - startNanos);
        timers.rearm(session != null && session.awaiting() != null);
    }

    @Override
    public void failed(Phase phase, String what) {
        load.stats().failure(phase, what);
    }

    @Override
    public void startTls() {
        ClientPipeline.startTls(channel.pipeline(),
                load.tlsHandler(channel, (InetSocketAddress) channel.remoteAddress()));
        timers.arm();
    }

    @Override
    public void tlsUp() {
        load.stats().tlsConnections.increment();
    }

    @Override
    public boolean stopping() {
        return load.stopping();
    }

    @Override
    public void messageBegin(boolean again) {
        tally.begin(again);
    }

    @Override
    public void content(ByteBuf piece) {
        tally.content(piece);
    }

    @Override
    public void messageAbandoned() {
        tally.abandon();
    }

    @Override
    public boolean messageEnd(Phase phase, long startNanos, boolean again) {
        return tally.end(phase, startNanos, again, account.address());
    }

    /** Forwards one channel's events to the slot while it is the slot's channel. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (ctx.channel() == channel && session != null) {
                if (tally.open() && msg instanceof ByteBuf && timers.armed()) {
                    // A message's text is arriving: the timeout bounds silence, and MAX_MESSAGE the text.
                    timers.arm();
                }
                session.read(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel) {
                flushBatch();
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (ctx.channel() == channel && session != null && evt instanceof SslHandshakeCompletionEvent done) {
                if (load.implicitTls(channel)) {
                    if (done.isSuccess()) {
                        load.stats().tlsConnections.increment();
                        load.stats().latency(Phase.TLS, System.nanoTime() - connectedAt);
                    } else {
                        cut(Phase.TLS, "handshake");
                    }
                } else {
                    session.handshake(done.isSuccess());
                    flushBatch();
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel && session != null) {
                cut(session.awaiting(), "closed");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel && session != null) {
                cut(session.awaiting(), cause instanceof TooLongFrameException ? "too large" : "protocol");
            } else {
                ctx.close();
            }
        }
    }
}
