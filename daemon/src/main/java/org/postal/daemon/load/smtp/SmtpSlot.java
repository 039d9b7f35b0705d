// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.load.ClientPipeline;
import org.postal.daemon.load.Counter;
import org.postal.daemon.dns.NameLookup;
import org.postal.daemon.load.Endpoints;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.source.BindFault;
import org.postal.daemon.load.RateSchedule;
import org.postal.daemon.load.SlotTimers;
import org.postal.daemon.load.UserPool.User;
import org.postal.daemon.message.Message;
import org.postal.daemon.message.MessageGenerator;

/**
 * One of postal's -t connection slots: claims messages from the schedule, waits until each is
 * due, keeps a connection to a server, and retries after errors with a back-off.
 *
 * <p>The dialogue itself is {@link SmtpConversation}'s, and what each reply answers, by when it
 * must come and how long it took are {@link AwaitedReplies}'; this class owns the connection and
 * the schedule. Everything runs on the slot's event loop. A claimed message that never went out
 * keeps its intended time across reconnects, so an outage shows up as latency.
 */
final class SmtpSlot {

    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final SmtpLoad load;
    private final int number;
    private final EventLoop loop;
    private final SplittableRandom random;
    private final MessageGenerator generator;
    private final AwaitedReplies replies;
    private final SlotTimers timers;

    private Channel channel;
    private SmtpConversation conversation;
    private int connections;
    private long token = RateSchedule.DONE;
    private boolean tokenUsed = true;
    private boolean troubled;
    /** The connection came through set-up (greeting, EHLO, STARTTLS, AUTH) and carries messages. */
    private boolean setUp;
    private long leftOnConnection;
    private long backoff = MIN_BACKOFF_NANOS;
    private boolean finished;
    /** The message whose reply after the data was lost, to send first on the next connection. */
    private Resend resend;
    /** The step after whose reply this connection is abandoned (--abandon), or null. */
    private SmtpStep abandonAt;

    SmtpSlot(SmtpLoad load, int number, EventLoop loop, SplittableRandom random, MessageGenerator generator) {
        this.load = load;
        this.number = number;
        this.loop = loop;
        this.random = random;
        this.generator = generator;
        this.replies = new AwaitedReplies(this, load, loop);
        this.timers = replies.timers();
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
        timers.at(token, () -> {
            load.stats().lag(System.nanoTime() - token);
            go();
        });
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

    /** Picks a server; a {@code +name} is looked up now, timed as its own phase, before connecting. */
    private void connect() {
        Endpoints.Entry server = load.config().target().servers().choose(random);
        if (!server.reresolve()) {
            connect(new InetSocketAddress(server.address(), server.port()));
            return;
        }
        long asked = System.nanoTime();
        load.lookup().resolve(loop, server.host(), server.port()).addListener(f -> {
            if (!f.isSuccess()) {
                replies.failed(Phase.RESOLVE, NameLookup.failure(f.cause()));
                retry();
            } else if (load.stopping()) {
                quitOrFinish();
            } else {
                load.stats().latency(Phase.RESOLVE, System.nanoTime() - asked);
                connect((InetSocketAddress) f.getNow());
            }
        });
    }

    private void connect(InetSocketAddress remote) {
        InetSocketAddress local = load.config().target().local() == null ? null
                : load.config().target().local().bind(remote);
        User account = load.config().session().auth() == SmtpLoadConfig.Auth.NONE ? null
                : load.senders().pick(random);
        conversation = new SmtpConversation(this, replies, load, remote, account);
        leftOnConnection = messagesForConnection();
        abandonAt = load.config().slow().abandon().draw(random);
        setUp = false;
        replies.connecting();
        ChannelFuture future = load.connect(loop, remote, local, replies.handler(), number, connections++);
        channel = future.channel();
        future.addListener(f -> {
            if (channel != future.channel()) {
                return;
            }
            if (f.isSuccess()) {
                replies.connected();
            } else {
                replies.notConnected();
                channel = null;
                conversation = null;
                replies.failed(Phase.CONNECT, BindFault.code(f.cause(), "refused"));
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
        if (!setUp) {
            // Counted here, not at the TCP connect: a server that accepts but never greets, greets
            // with 421 or garbage, or never ends its EHLO reply has not given a connection, and a
            // run in which none comes through set-up within --timeout stops (exit 69).
            setUp = true;
            load.stats().connections.increment();
        }
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
        if (conversation.quitSent()) {
            return; // the QUIT sent with the data is answered next, and connectionDone goes on
        }
        long idle = load.config().slow().idle().toNanos();
        if (idle > 0 && leftOnConnection > 0 && !load.stopping()) {
            timers.after(idle, this::next); // a kept connection waits, as a slow client leaves it idle
        } else {
            next();
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
        carryOn();
    }

    /** True when this connection is to be abandoned once {@code step} is answered (--abandon). */
    boolean abandonsAt(SmtpStep step) {
        return step == abandonAt;
    }

    /**
     * Closes the connection without QUIT, as a careless client does (--abandon), and goes on. A
     * message in flight is given up with the session: sent again, it could be abandoned again, and
     * at 100% none would ever end. One claimed for the next connection (at QUIT) goes there.
     */
    void abandonSession() {
        load.stats().counter(Counter.ABANDONED).increment();
        tokenUsed |= abandonAt != SmtpStep.QUIT;
        abandonAt = null;
        closeChannel();
        carryOn();
    }

    /** After a connection: the unsent message on a new one, or the next. */
    private void carryOn() {
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

    /** Drops the connection after an error and carries on with a new one (the unanswered message first). */
    void abandon() {
        Resend again = conversation == null ? null : conversation.unanswered();
        closeChannel();
        if (again != null && again.allowed()) {
            resend = again;
            tokenUsed = false; // the claimed token, with its intended time, goes out again
        }
        retry();
    }

    /** The message to send again, once; null when there is none. */
    Resend takeResend() {
        Resend again = resend;
        resend = null;
        return again;
    }

    /**
     * Drops a connection the server ended unasked; a slot waiting for its next message connects
     * again when that is due, any other retries.
     */
    void dropUnasked() {
        closeChannel();
        if (!timers.waiting()) {
            retry();
        }
    }

    void startTls(SslHandler tls) {
        ClientPipeline.startTls(channel.pipeline(), tls);
        replies.expectHandshake();
    }

    Message generate(String sender, String recipient) {
        return generator.next(sender, recipient);
    }

    /** A fresh copy under an earlier message's sequence, so it carries the same identity. */
    Message generate(String sender, String recipient, long sequence) {
        return generator.next(sender, recipient, sequence);
    }

    Channel channel() {
        return channel;
    }

    /** The dialogue on the current connection, or null between connections. */
    SmtpConversation conversation() {
        return conversation;
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    SplittableRandom random() {
        return random;
    }

    /** Writes a command whose reply is awaited as {@code step}, measured as {@code phase}. */
    void send(ByteBuf out, SmtpStep step, Phase phase) {
        replies.expect(step, phase);
        write(out, true);
    }

    /** Writes a message's content, which a slow client paces by its own pause (--data-pause). */
    void writeContent(ByteBuf content, boolean flush) {
        write(load.config().slow().pacesWrites() ? new PacedWriter.Content(content) : content, flush);
    }

    /** Writes a buffer, or a {@link PacedWriter.Content}. */
    void write(Object out, boolean flush) {
        if (flush) {
            channel.writeAndFlush(out, channel.voidPromise());
        } else {
            channel.write(out, channel.voidPromise());
        }
    }

    // ---- ending ----

    private void quitOrFinish() {
        if (channel != null && !setUp) {
            // Still waiting for the greeting or set-up: nothing a QUIT would complete was sent, and
            // a server that never becomes ready would hold the stop for a whole reply timeout.
            replies.unanswered();
            closeChannel();
            finish();
        } else if (channel != null && replies.idle() && conversation != null) {
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

    /** Closes the connection, if any, and forgets what it was asked. */
    void closeChannel() {
        replies.clear();
        if (conversation != null) {
            conversation.release();
            conversation = null;
        }
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
