// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.RateSchedule;
import org.postal.daemon.load.SlotTimers;
import org.postal.daemon.load.UserPool.User;
import org.postal.daemon.load.smtp.SmtpStep.Pending;
import org.postal.daemon.message.Message;
import org.postal.daemon.message.MessageGenerator;
import org.postal.daemon.smtp.Reply;

/**
 * One of postal's -t connection slots: claims messages from the schedule, waits until each is
 * due, keeps a connection to a server, and retries after errors with a back-off.
 *
 * <p>The dialogue itself is {@link SmtpConversation}'s; this class owns the connection, the
 * queue of awaited replies, the reply timeout and the schedule. Everything runs on the slot's
 * event loop. A claimed message that never went out keeps its intended time across reconnects,
 * so an outage shows up as latency.
 */
final class SmtpSlot {

    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final SmtpLoad load;
    private final int number;
    private final EventLoop loop;
    private final SplittableRandom random;
    private final MessageGenerator generator;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    private Channel channel;
    private SmtpConversation conversation;
    private Pending current;
    private int connections;
    private long connectedAt;
    private long token = RateSchedule.DONE;
    private boolean tokenUsed = true;
    private boolean troubled;
    private long leftOnConnection;
    private long backoff = MIN_BACKOFF_NANOS;
    private final SlotTimers timers;
    private long sequence;
    private boolean finished;

    SmtpSlot(SmtpLoad load, int number, EventLoop loop, SplittableRandom random, MessageGenerator generator) {
        this.load = load;
        this.number = number;
        this.loop = loop;
        this.random = random;
        this.generator = generator;
        this.timers = new SlotTimers(loop, load.timeoutNanos(), () -> !pending.isEmpty(), this::timedOut);
    }

    void start() {
        loop.execute(this::next);
    }

    /** The run is stopping: a slot that waits for a later message or a retry stops waiting. */
    void wake() {
        timers.wake(this::quitOrFinish);
    }

    // ---- the schedule: claim, wait until due, connect if needed, send ----

    private void next() {
        if (load.stopping()) {
            quitOrFinish();
            return;
        }
        token = load.schedule().claim(System.nanoTime());
        if (token == RateSchedule.PAUSED) {
            token = RateSchedule.DONE;
            load.schedule().whenResumed(() -> loop.execute(this::next));
            return;
        }
        tokenUsed = false;
        if (token == RateSchedule.DONE) {
            quitOrFinish();
            return;
        }
        timers.at(token, this::go);
    }

    private void go() {
        if (load.stopping()) {
            quitOrFinish();
        } else if (channel == null) {
            connect();
        } else if (leftOnConnection == 0) {
            conversation.quit();
        } else {
            tokenUsed = true;
            conversation.send(token);
        }
    }

    private void connect() {
        InetSocketAddress remote;
        InetSocketAddress local;
        try {
            remote = load.config().target().servers().pick(random);
            local = load.config().target().local() == null ? null : load.config().target().local().pick(random);
        } catch (UnknownHostException e) {
            failed(Phase.CONNECT, "dns");
            retry();
            return;
        }
        User account = load.config().session().auth() == SmtpLoadConfig.Auth.NONE ? null
                : load.senders().pick(random);
        conversation = new SmtpConversation(this, load, remote, account);
        leftOnConnection = messagesForConnection();
        connectedAt = System.nanoTime();
        // The connect timeout is the reply timeout's clock, not a timer of Netty's per connection.
        pending(SmtpStep.CONNECT, Phase.CONNECT);
        ChannelFuture future = load.connect(loop, remote, local, new Handler(), number, connections++);
        channel = future.channel();
        future.addListener(f -> {
            if (channel != future.channel()) {
                return;
            }
            pending.poll();
            if (f.isSuccess()) {
                load.stats().connections.increment();
                load.stats().latency(Phase.CONNECT, System.nanoTime() - connectedAt);
                pending(SmtpStep.BANNER, Phase.BANNER);
            } else {
                timers.disarm();
                channel = null;
                conversation = null;
                failed(Phase.CONNECT, "refused");
                retry();
            }
        });
    }

    private long messagesForConnection() {
        int c = load.config().workload().perConnection();
        return c == -1 ? Long.MAX_VALUE : c == 0 ? 0 : 1 + random.nextInt(c);
    }

    /** After an error: the same message again after a growing pause, or the next if it was sent. */
    private void retry() {
        long delay = backoff;
        backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
        if (load.stopping()) {
            finish();
        } else {
            timers.after(delay, tokenUsed ? this::next : this::go);
        }
    }

    // ---- called by the conversation ----

    /** Set-up is done (EHLO, STARTTLS, AUTH): send the claimed message, or QUIT under -c 0. */
    void ready() {
        backoff = MIN_BACKOFF_NANOS;
        troubled = false;
        if (leftOnConnection == 0) {
            tokenUsed = true; // with -c 0 the connection is what the schedule counts
            conversation.quit();
        } else {
            go();
        }
    }

    void messageDone(SmtpTransaction tx) {
        if (tx.again()) {
            tx.clear();
            conversation.send(token);
            return;
        }
        if (!tx.delivered().isEmpty()) {
            load.delivered(tx, System.nanoTime());
        }
        tx.clear();
        leftOnConnection--;
        if (!conversation.quitSent()) {
            next(); // else the QUIT sent with the data is answered next, and connectionDone goes on
        }
    }

    /** True when the message being sent is the connection's last (-c): QUIT may follow it at once. */
    boolean lastOnConnection() {
        return leftOnConnection == 1;
    }

    /**
     * QUIT answered: close, then carry an unsent message to a new connection or claim the next.
     * The session is over, so the socket is closed as smtp-source closes it: SO_LINGER 0, a reset
     * instead of a FIN exchange, and no TIME_WAIT left holding a local port on either side.
     */
    void connectionDone() {
        if (channel != null && channel.isActive()) {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        closeChannel();
        if (finished || load.stopping()) {
            finish();
        } else if (token != RateSchedule.DONE && !tokenUsed) {
            if (troubled) {
                retry();
            } else {
                go();
            }
        } else if (load.schedule().stopped()) {
            finish();
        } else {
            next();
        }
    }

    void quitAfterError() {
        leftOnConnection = 0;
        troubled = true;
        conversation.quit();
    }

    /** Drops the connection after an error and carries on with a new one. */
    void abandon() {
        closeChannel();
        retry();
    }

    void startTls(SslHandler tls) {
        channel.pipeline().addAfter(SmtpLoad.BYTES, SmtpLoad.TLS, tls);
        pending.add(new Pending(SmtpStep.HANDSHAKE, Phase.TLS, current.startNanos()));
        arm();
    }

    Message generate(String sender, String recipient) {
        return generator.next(sender, recipient, sequence++);
    }

    Channel channel() {
        return channel;
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    SplittableRandom random() {
        return random;
    }

    void send(ByteBuf out, SmtpStep step, Phase phase) {
        pending(step, phase);
        write(out, true);
    }

    void write(ByteBuf out, boolean flush) {
        if (flush) {
            channel.writeAndFlush(out, channel.voidPromise());
        } else {
            channel.write(out, channel.voidPromise());
        }
    }

    void pending(SmtpStep step, Phase phase) {
        pending.add(new Pending(step, phase, System.nanoTime()));
        arm();
    }

    /** Adds {@code n} more entries like the last one (same start), for replies learnt of late. */
    void morePending(SmtpStep step, int n) {
        Pending last = pending.peekLast();
        for (int i = 0; i < n && last != null; i++) {
            pending.add(new Pending(step, last.phase(), last.startNanos()));
        }
    }

    /** True when the next reply awaited answers {@code step}. */
    boolean awaits(SmtpStep step) {
        Pending head = pending.peek();
        return head != null && head.step() == step;
    }

    void failed(Phase phase, Reply reply) {
        load.stats().failure(phase, Integer.toString(reply.code()));
        load.serverError(reply);
    }

    void failed(Phase phase, String what) {
        load.stats().failure(phase, what);
    }

    // ---- ending ----

    private void quitOrFinish() {
        if (channel != null && pending.isEmpty() && conversation != null) {
            leftOnConnection = 0;
            conversation.quit();
        } else if (channel == null) {
            finish();
        }
    }

    /** Closes the connection now, from any thread (the second signal); the slot does nothing more. */
    void abort() {
        loop.execute(() -> {
            finished = true;
            closeChannel();
        });
    }

    private void finish() {
        if (!finished) {
            finished = true;
            load.slotFinished();
        }
    }

    private void closeChannel() {
        pending.clear();
        timers.disarm();
        if (conversation != null) {
            conversation.release();
            conversation = null;
        }
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    // ---- replies, timeouts, channel events ----

    private void onReply(Reply reply) {
        current = pending.poll();
        if (current == null || (current.step() == SmtpStep.HANDSHAKE || current.step() == SmtpStep.CONNECT)
                && reply != null) {
            // Nothing was asked (typically a 421 to an idle connection): the connection is over.
            failed(Phase.QUIT, reply == null ? "unexpected" : "unexpected " + reply.code());
            closeChannel();
            if (!timers.waiting()) {
                retry();
            }
            return;
        }
        if (current.phase() != null) {
            load.stats().latency(current.phase(), System.nanoTime() - current.startNanos());
        }
        timers.rearm(!pending.isEmpty());
        if (reply.code() == 421 && current.step() != SmtpStep.QUIT) {
            failed(current.phase() == null ? Phase.MAIL : current.phase(), reply);
            abandon();
            return;
        }
        conversation.onReply(current.step(), reply);
    }

    private void handshake(boolean success) {
        if (load.config().target().smtps()) {
            if (success) {
                load.stats().tlsConnections.increment();
                load.stats().latency(Phase.TLS, System.nanoTime() - connectedAt);
            } else {
                failed(Phase.TLS, "handshake");
                abandon();
            }
            return;
        }
        current = pending.poll();
        if (current == null || current.step() != SmtpStep.HANDSHAKE) {
            failed(Phase.TLS, "unexpected handshake");
            abandon();
            return;
        }
        load.stats().latency(Phase.TLS, System.nanoTime() - current.startNanos());
        timers.rearm(!pending.isEmpty());
        conversation.handshake(success);
    }

    private void closed() {
        Pending head = pending.peek();
        if (head == null) {
            closeChannel(); // idle: the waiting schedule opens a new connection when it is time
        } else if (head.step() == SmtpStep.QUIT) {
            connectionDone();
        } else {
            failed(head.phase() == null ? Phase.MAIL : head.phase(), "closed");
            abandon();
        }
    }

    private void arm() {
        timers.arm();
    }

    private void timedOut() {
        Pending head = pending.peek();
        failed(head.phase() == null ? Phase.MAIL : head.phase(), "timeout");
        abandon();
    }

    /** Forwards one channel's events to the slot while it is the slot's channel. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (ctx.channel() == channel && msg instanceof Reply reply) {
                onReply(reply);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (ctx.channel() == channel && evt instanceof SslHandshakeCompletionEvent done) {
                handshake(done.isSuccess());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel) {
                closed();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel) {
                Pending head = pending.peek();
                failed(head == null || head.phase() == null ? Phase.MAIL : head.phase(), "protocol");
                abandon();
            } else {
                ctx.close();
            }
        }
    }
}
