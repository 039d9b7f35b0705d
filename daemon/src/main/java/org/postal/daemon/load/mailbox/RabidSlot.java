// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.load.ClientPipeline;
import org.postal.daemon.load.Counter;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.RateSchedule;
import org.postal.daemon.load.SlotTimers;
import org.postal.daemon.load.UserPool.User;
import org.postal.daemon.message.Verdict;

/**
 * One of rabid's -p session slots: takes the next session from the schedule, waits for a free
 * account, connects over POP3 or IMAP (drawn by -i), lets the session run, then gives the account
 * back. The protocol is the session's; this class owns the connection, the timeout, the
 * schedule, the message checks and the counting.
 */
final class RabidSlot {

    /** Listed messages kept per session; a mailbox with more is worked through in later sessions. */
    static final int MAX_LISTED = 1 << 20;

    /** Room for a window of pipelined RETR and DELE lines; the buffer grows if a line is longer. */
    private static final int BATCH_CAPACITY = 256;
    private static final short CRLF = ('\r' << 8) | '\n';
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RabidLoad load;
    private final int number;
    private final EventLoop loop;
    private final SplittableRandom random;
    private final MessageCheck check;
    private Channel channel;
    private MailboxSession session;
    private User account;
    private int connections;
    private long connectedAt;
    private long backoff = MIN_BACKOFF_NANOS;
    private boolean troubled;
    private boolean corruptSeen;
    private final SlotTimers timers;
    private boolean finished;
    private boolean flushPending;
    /** Commands written since the last flush, gathered in one buffer: one write, one iovec. */
    private ByteBuf batch;

    RabidSlot(RabidLoad load, int number, EventLoop loop, SplittableRandom random) {
        this.load = load;
        this.number = number;
        this.loop = loop;
        this.random = random;
        this.check = new MessageCheck(load.config().session().hash(), ByteBufAllocator.DEFAULT);
        this.timers = new SlotTimers(loop, load.timeoutNanos(), () -> session != null,
                () -> protocolError(session.awaiting(), "timeout"));
    }

    void start() {
        loop.execute(this::next);
    }

    /** The run is stopping: a slot waiting for its next session stops waiting. */
    void wake() {
        timers.wake(this::finish);
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
        load.accounts().acquire(loop, random, this::connect);
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
        boolean imap = config.workload().imapPercent() > 0 && random.nextInt(100) < config.workload().imapPercent();
        boolean implicitTls = imap ? config.target().imaps() : config.target().pop3s();
        boolean wantTls = !implicitTls && config.session().tlsPercent() > 0
                && (config.session().tlsPercent() == 100 || random.nextInt(100) < config.session().tlsPercent());
        InetSocketAddress remote;
        InetSocketAddress local;
        try {
            remote = config.target().servers().pick(random);
            if (imap) {
                remote = new InetSocketAddress(remote.getAddress(), config.target().imapPort());
            }
            local = config.target().local() == null ? null : config.target().local().pick(random);
        } catch (UnknownHostException e) {
            failed(Phase.CONNECT, "dns");
            sessionDone(true);
            return;
        }
        connectedAt = System.nanoTime();
        RabidLoad.Connection c = load.connect(loop, remote, local, imap, implicitTls, new Handler(), number,
                connections++);
        channel = c.future().channel();
        session = imap ? new ImapSession(this, account, implicitTls, wantTls)
                : new Pop3Session(this, c.pop3(), account, implicitTls, wantTls);
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
            } else {
                failed(Phase.CONNECT, f.cause() instanceof io.netty.channel.ConnectTimeoutException ? "timeout"
                        : "refused");
                sessionDone(true);
            }
        });
    }

    /** The session is over (QUIT answered, or an error): close, give the account back, go on. */
    void sessionDone(boolean trouble) {
        troubled |= trouble;
        timers.disarm();
        if (session != null) {
            session.release();
            session = null;
        }
        if (batch != null) {
            batch.release();
            batch = null;
        }
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
        } else if (troubled) {
            // 0.76 slept 10 s after any error; here the pause starts short and doubles.
            troubled = false;
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

    // ---- for the sessions ----

    MessageCheck check() {
        return check;
    }

    boolean logAll() {
        return load.log().full();
    }

    /** Adds a command line (CRLF appended) to the batch; {@code flush} sends the batch at once. */
    void command(CharSequence line, boolean flush) {
        if (batch == null) {
            batch = channel.alloc().buffer(BATCH_CAPACITY);
        }
        ByteBufUtil.writeUtf8(batch, line);
        batch.writeShort(CRLF);
        if (flush) {
            writeBatch();
            channel.flush();
        }
    }

    private void writeBatch() {
        if (batch != null) {
            ByteBuf out = batch;
            batch = null;
            channel.write(out, channel.voidPromise());
        }
    }

    /** Flushes once the current read batch is handled, so pipelined commands share a system call. */
    void flush() {
        flushPending = true;
    }

    void startTls() {
        ClientPipeline.startTls(channel.pipeline(),
                load.tlsHandler(channel, (InetSocketAddress) channel.remoteAddress()));
        arm();
    }

    void tlsDone() {
        load.stats().tlsConnections.increment();
    }

    void latency(Phase phase, long startNanos) {
        load.stats().latency(phase, System.nanoTime() - startNanos);
        timers.rearm(session != null && session.awaiting() != null);
    }

    void failed(Phase phase, String what) {
        load.stats().failure(phase, what);
    }

    void protocolError(Phase phase, String what) {
        failed(phase == null ? Phase.QUIT : phase, what);
        sessionDone(true);
    }

    void trouble() {
        troubled = true;
    }

    boolean stopping() {
        return load.stopping();
    }

    int perConnection() {
        return load.config().workload().perConnection();
    }

    boolean saslPlain() {
        return load.config().session().saslPlain();
    }

    boolean retrieveDrawn() {
        int d = load.config().workload().download();
        return d == 100 || (d > 0 && random.nextInt(100) < d);
    }

    boolean deleteDrawn() {
        int x = load.config().workload().delete();
        return x == 100 || (x > 0 && random.nextInt(100) < x);
    }

    void deleted() {
        // Deletions are counted by the DELE latency histogram; nothing more to keep.
    }

    String loginName(User user) {
        String name = user.address();
        int at = name.indexOf('@');
        return load.config().session().stripDomain() && at >= 0 ? name.substring(0, at) : name;
    }

    /**
     * A message has been read to its end: count and log it. A corrupt first fetch asks for a
     * second (see {@link #wantsRefetch}); the second goes to rabid.log whole, as 0.76 did.
     */
    void retrieved(Phase phase, long startNanos, boolean refetch, User user) {
        Verdict verdict = check.finish();
        if (refetch) {
            String line = RabidLog.mismatchLine(verdict, user.address());
            load.err().println(line);
            load.log().mismatch(verdict, user.address(), check.kept());
            check.clear();
            return;
        }
        load.stats().latency(Phase.MESSAGE, System.nanoTime() - startNanos);
        switch (verdict.status()) {
            case VERIFIED -> {
                load.stats().counter(Counter.VERIFIED).increment();
                load.log().verified(verdict);
            }
            case CORRUPT -> {
                load.stats().counter(Counter.CORRUPT).increment();
                load.stats().failure(phase, "corrupt");
                corruptSeen = true;
            }
            case UNSIGNED -> {
                // Mail postal did not send: nothing to check.
            }
        }
        if (load.log().full()) {
            load.log().message(check.kept());
        }
        check.clear();
        load.counted();
    }

    /** True once after a corrupt first fetch: the session fetches that message again. */
    boolean wantsRefetch() {
        boolean again = corruptSeen;
        corruptSeen = false;
        return again;
    }

    void arm() {
        timers.arm();
    }

    /** Forwards one channel's events to the slot while it is the slot's channel. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (ctx.channel() == channel && session != null) {
                if (msg instanceof ByteBuf && timers.armed()) {
                    // A message body is arriving: the timeout bounds silence, not the transfer.
                    timers.arm();
                }
                session.read(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (flushPending) {
                flushPending = false;
                if (ctx.channel() == channel) {
                    writeBatch();
                }
                ctx.channel().flush();
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
                        protocolError(Phase.TLS, "handshake");
                    }
                } else {
                    session.handshake(done.isSuccess());
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel && session != null) {
                protocolError(session.awaiting(), "closed");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel && session != null) {
                protocolError(session.awaiting(), "protocol");
            } else {
                ctx.close();
            }
        }
    }
}
