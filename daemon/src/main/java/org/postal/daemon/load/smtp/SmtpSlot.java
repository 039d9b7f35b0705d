// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.RateSchedule;
import org.postal.daemon.load.UserPool.User;
import org.postal.daemon.message.MessageGenerator;
import org.postal.daemon.smtp.Reply;

/**
 * One of postal's -t connection slots: claims messages from the schedule, keeps a connection to a
 * server, and walks each message through the SMTP or LMTP dialogue.
 *
 * <p>Commands waiting for replies sit in a queue of {@link Pending} entries, so pipelined groups
 * and one-at-a-time dialogue are the same code. Everything runs on the slot's event loop.
 */
final class SmtpSlot {

    /** What a queued reply answers. */
    enum Step { BANNER, EHLO, HELO, STARTTLS, AUTH, AUTH_PASSWORD, MAIL, RCPT, DATA, CONTENT, RSET, QUIT }

    private record Pending(Step step, Phase phase, long startNanos) {
    }

    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final SmtpLoad load;
    private final int number;
    private final EventLoop loop;
    private final SplittableRandom random;
    private final MessageGenerator messages;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final SmtpTransaction tx = new SmtpTransaction();

    private Channel channel;
    private int connections;
    private Capabilities caps = Capabilities.NONE;
    private boolean triedHelo;
    private boolean tlsActive;
    private boolean authenticated;
    private User account;
    private long token = RateSchedule.DONE;
    private boolean tokenUsed = true;
    private boolean troubled;
    private long leftOnConnection;
    private long backoff = MIN_BACKOFF_NANOS;
    private long deadline;
    private ScheduledFuture<?> timer;
    private boolean finished;
    private long sequence;
    private InetSocketAddress remote;

    SmtpSlot(SmtpLoad load, int number, EventLoop loop, SplittableRandom random, MessageGenerator messages) {
        this.load = load;
        this.number = number;
        this.loop = loop;
        this.random = random;
        this.messages = messages;
    }

    /** Starts the slot's loop. */
    void start() {
        loop.execute(this::next);
    }

    // ---- the loop: claim, wait until due, connect if needed, send ----

    private void next() {
        if (load.stopping()) {
            quitOrFinish();
            return;
        }
        token = load.schedule().claim(System.nanoTime());
        tokenUsed = false;
        if (token == RateSchedule.DONE) {
            quitOrFinish();
            return;
        }
        long wait = token - System.nanoTime();
        if (wait > 50_000) {
            loop.schedule(this::go, wait, TimeUnit.NANOSECONDS);
        } else {
            go();
        }
    }

    private void go() {
        if (load.stopping()) {
            quitOrFinish();
        } else if (channel == null) {
            connect();
        } else if (leftOnConnection == 0) {
            quit();
        } else {
            send();
        }
    }

    private void connect() {
        InetSocketAddress local;
        try {
            remote = load.config().target().servers().pick(random);
            local = load.config().target().local() == null ? null : load.config().target().local().pick(random);
        } catch (java.net.UnknownHostException e) {
            failed(Phase.CONNECT, "dns");
            retryLater();
            return;
        }
        long start = System.nanoTime();
        caps = Capabilities.NONE;
        triedHelo = false;
        tlsActive = load.config().target().smtps();
        authenticated = false;
        account = load.config().session().auth() == SmtpLoadConfig.Auth.NONE ? null : load.senders().pick(random);
        leftOnConnection = messagesForConnection();
        int connection = connections++;
        ChannelFuture future = load.connect(loop, remote, local, new Handler(), number, connection);
        channel = future.channel();
        future.addListener(f -> {
            if (f.isSuccess()) {
                load.stats().connections.increment();
                load.stats().latency(Phase.CONNECT, System.nanoTime() - start);
                expect(Step.BANNER, Phase.BANNER);
            } else {
                channel = null;
                failed(Phase.CONNECT, "refused");
                retryLater();
            }
        });
    }

    private long messagesForConnection() {
        int c = load.config().workload().perConnection();
        return c == -1 ? Long.MAX_VALUE : c == 0 ? 0 : 1 + random.nextInt(c);
    }

    /** Keeps the claimed message and tries again after a growing pause (bounded at 5 s). */
    private void retryLater() {
        long delay = backoff;
        backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
        loop.schedule(this::go, delay, TimeUnit.NANOSECONDS);
    }

    // ---- session set-up: banner, EHLO (HELO fallback), STARTTLS, AUTH ----

    private void hello(boolean helo) {
        String verb = load.config().target().lmtp() ? "LHLO" : helo ? "HELO" : "EHLO";
        ByteBuf out = channel.alloc().ioBuffer(64);
        SmtpRequests.hello(out, verb, load.config().target().helo());
        send(out, helo ? Step.HELO : Step.EHLO, Phase.EHLO);
    }

    private void afterHello() {
        boolean wantTls = !tlsActive && caps.starttls() && load.wantsTls(random);
        if (wantTls) {
            send(SmtpRequests.STARTTLS.duplicate(), Step.STARTTLS, Phase.TLS);
        } else if (account != null && !authenticated && account.password() != null) {
            authenticate();
        } else {
            ready();
        }
    }

    private void authenticate() {
        boolean login = load.config().session().auth() == SmtpLoadConfig.Auth.LOGIN;
        ByteBuf out = login ? SmtpRequests.authLogin(channel.alloc(), account.address())
                : SmtpRequests.authPlain(channel.alloc(), account.address(), account.password());
        send(out, Step.AUTH, Phase.AUTH);
    }

    private void ready() {
        backoff = MIN_BACKOFF_NANOS;
        if (leftOnConnection == 0) {
            tokenUsed = true; // with -c 0 the connection itself is what the schedule counts
            quit();
        } else {
            send();
        }
    }

    // ---- one message ----

    private void send() {
        User sender = account != null ? account : load.senders().pick(random);
        tokenUsed = true;
        tx.begin(token, sender.address());
        int rcpts = load.recipientCount(random);
        for (int i = 0; i < rcpts; i++) {
            tx.addRecipient(load.recipients().pick(random).address());
        }
        tx.message(messages.next(tx.sender(), tx.recipients().get(0), sequence++));
        if (load.log().full()) {
            load.log().message(tx.content());
        }
        boolean utf8 = caps.smtputf8() && tx.needsUtf8();
        boolean pipeline = load.pipelining(caps);
        boolean bdat = load.config().session().bdat() && caps.chunking();
        ByteBuf group = channel.alloc().ioBuffer(128 + 64 * rcpts);
        SmtpRequests.mail(group, tx.sender(), caps.maxSize() >= 0 ? tx.size() : -1, utf8);
        long now = System.nanoTime();
        pending.add(new Pending(Step.MAIL, Phase.MAIL, now));
        if (!pipeline) {
            write(group, true);
            arm();
            return;
        }
        for (String rcpt : tx.recipients()) {
            SmtpRequests.rcpt(group, rcpt);
            pending.add(new Pending(Step.RCPT, Phase.RCPT, now));
        }
        tx.markRcptsSent();
        if (bdat) {
            SmtpRequests.bdatLast(group, tx.size());
            write(group, false);
            write(tx.takeContent(), true);
            pending.add(new Pending(Step.CONTENT, Phase.END_OF_DATA, now));
        } else {
            SmtpRequests.DATA.getBytes(SmtpRequests.DATA.readerIndex(), group, SmtpRequests.DATA.readableBytes());
            write(group, true);
            pending.add(new Pending(Step.DATA, Phase.DATA, now));
        }
        arm();
    }

    private void onMail(Reply reply) {
        if (reply.code() / 100 != 2) {
            tx.fail();
            failed(Phase.MAIL, reply);
        }
        if (!tx.rcptsSent()) {
            if (tx.failed()) {
                rset();
                return;
            }
            ByteBuf out = channel.alloc().ioBuffer(64 * tx.recipients().size());
            long now = System.nanoTime();
            for (String rcpt : tx.recipients()) {
                SmtpRequests.rcpt(out, rcpt);
                pending.add(new Pending(Step.RCPT, Phase.RCPT, now));
            }
            tx.markRcptsSent();
            write(out, true);
        }
    }

    private void onRcpt(Reply reply) {
        if (reply.code() / 100 == 2) {
            tx.accepted();
        } else if (!tx.failed()) {
            failed(Phase.RCPT, reply);
        }
        if (!pending.isEmpty()) {
            Pending next = pending.peek();
            if (next.step() == Step.CONTENT && load.config().target().lmtp()) {
                // Pipelined LMTP BDAT: one final reply per accepted recipient (RFC 2033 section 4.2).
                for (int i = 1; i < tx.acceptedCount(); i++) {
                    pending.add(new Pending(Step.CONTENT, Phase.END_OF_DATA, next.startNanos()));
                }
            }
            return; // more RCPT replies to come, or DATA/BDAT is already on its way
        }
        if (tx.failed() || tx.acceptedCount() == 0) {
            rset();
        } else if (load.config().session().bdat() && caps.chunking()) {
            ByteBuf out = channel.alloc().ioBuffer(32);
            SmtpRequests.bdatLast(out, tx.size());
            write(out, false);
            write(tx.takeContent(), true);
            pending.add(new Pending(Step.CONTENT, Phase.END_OF_DATA, System.nanoTime()));
        } else {
            send(SmtpRequests.DATA.duplicate(), Step.DATA, Phase.DATA);
        }
    }

    private void onData(Reply reply) {
        if (reply.code() == 354) {
            boolean usable = !tx.failed() && tx.acceptedCount() > 0;
            write(usable ? tx.takeContent() : SmtpRequests.END_OF_DATA.duplicate(), !usable);
            if (usable) {
                write(SmtpRequests.END_OF_DATA.duplicate(), true);
            }
            long now = System.nanoTime();
            int replies = load.config().target().lmtp() ? Math.max(1, tx.acceptedCount()) : 1;
            for (int i = 0; i < replies; i++) {
                pending.add(new Pending(Step.CONTENT, Phase.END_OF_DATA, now));
            }
            if (!usable) {
                tx.fail();
            }
        } else {
            if (!tx.failed() && tx.acceptedCount() > 0) {
                failed(Phase.DATA, reply);
            }
            messageDone();
        }
    }

    private void onContent(Reply reply) {
        boolean counts = !tx.failed() && tx.acceptedCount() > 0;
        if (reply.code() / 100 == 2 && counts) {
            tx.delivered();
        } else if (counts) {
            failed(Phase.END_OF_DATA, reply);
        }
        if (pending.isEmpty()) {
            messageDone();
        }
    }

    private void rset() {
        send(SmtpRequests.RSET.duplicate(), Step.RSET, Phase.MAIL);
    }

    private void messageDone() {
        if (tx.wasDelivered()) {
            load.delivered(tx, System.nanoTime());
        }
        tx.clear();
        leftOnConnection--;
        next();
    }

    // ---- ending a connection ----

    private void quit() {
        if (channel == null) {
            next();
            return;
        }
        send(SmtpRequests.QUIT.duplicate(), Step.QUIT, Phase.QUIT);
    }

    private void quitOrFinish() {
        if (channel != null && pending.isEmpty()) {
            leftOnConnection = 0;
            send(SmtpRequests.QUIT.duplicate(), Step.QUIT, Phase.QUIT);
        } else if (channel == null) {
            finish();
        }
    }

    private void finish() {
        if (!finished) {
            finished = true;
            load.slotFinished();
        }
    }

    /** Drops the connection after an error and carries on with a new one (keeping the message claimed). */
    private void abandon() {
        pending.clear();
        disarm();
        tx.clear();
        if (channel != null) {
            channel.close();
            channel = null;
        }
        if (load.stopping()) {
            finish();
        } else {
            retryLater();
        }
    }

    // ---- replies ----

    private void onReply(Reply reply) {
        Pending p = pending.poll();
        if (p == null) {
            failed(Phase.QUIT, "unexpected reply");
            abandon();
            return;
        }
        load.stats().latency(p.phase(), System.nanoTime() - p.startNanos());
        if (pending.isEmpty()) {
            disarm();
        } else {
            arm();
        }
        if (reply.code() == 421 && p.step() != Step.QUIT) {
            failed(p.phase(), reply);
            abandon();
            return;
        }
        switch (p.step()) {
            case BANNER -> {
                if (reply.code() / 100 == 2) {
                    hello(false);
                } else {
                    failed(Phase.BANNER, reply);
                    quitAfterError();
                }
            }
            case EHLO -> {
                if (reply.code() / 100 == 2) {
                    caps = Capabilities.parse(reply.lines());
                    afterHello();
                } else if (!triedHelo && !load.config().target().lmtp()) {
                    triedHelo = true;
                    hello(true);
                } else {
                    failed(Phase.EHLO, reply);
                    quitAfterError();
                }
            }
            case HELO -> {
                if (reply.code() / 100 == 2) {
                    afterHello();
                } else {
                    failed(Phase.EHLO, reply);
                    quitAfterError();
                }
            }
            case STARTTLS -> {
                if (reply.code() == 220) {
                    load.stats().tlsConnections.increment();
                    SslHandler tls = load.tlsHandler(channel, remote);
                    channel.pipeline().addAfter(SmtpLoad.BYTES, SmtpLoad.TLS, tls);
                    // Completed by the handshake event, not by a reply.
                    expect(Step.STARTTLS, Phase.TLS);
                } else {
                    failed(Phase.TLS, reply);
                    ready();
                }
            }
            case AUTH -> {
                if (reply.code() == 334 && load.config().session().auth() == SmtpLoadConfig.Auth.LOGIN) {
                    send(SmtpRequests.line(channel.alloc(), SmtpRequests.base64(account.password())),
                            Step.AUTH_PASSWORD, Phase.AUTH);
                } else {
                    authDone(reply);
                }
            }
            case AUTH_PASSWORD -> authDone(reply);
            case MAIL -> onMail(reply);
            case RCPT -> onRcpt(reply);
            case DATA -> onData(reply);
            case CONTENT -> onContent(reply);
            case RSET -> messageDone();
            case QUIT -> {
                channel.close();
                channel = null;
                afterConnection();
            }
        }
    }

    /** A connection ended in order: carry the claimed message to a new one, or claim the next. */
    private void afterConnection() {
        if (finished || load.stopping()) {
            finish();
        } else if (token != RateSchedule.DONE && !tokenUsed) {
            if (troubled) {
                troubled = false;
                retryLater();
            } else {
                go();
            }
        } else if (load.schedule().stopped()) {
            finish();
        } else {
            next();
        }
    }

    private void authDone(Reply reply) {
        if (reply.code() == 235) {
            authenticated = true;
        } else {
            failed(Phase.AUTH, reply);
            account = null;
        }
        ready();
    }

    private void handshakeDone(boolean success) {
        Pending p = pending.poll();
        disarm();
        if (p != null) {
            load.stats().latency(Phase.TLS, System.nanoTime() - p.startNanos());
        }
        if (success) {
            tlsActive = true;
            caps = Capabilities.NONE;
            hello(false);
        } else {
            failed(Phase.TLS, "handshake");
            abandon();
        }
    }

    /** After a failed greeting: QUIT politely, then reconnect after a pause. */
    private void quitAfterError() {
        leftOnConnection = 0;
        troubled = true;
        send(SmtpRequests.QUIT.duplicate(), Step.QUIT, Phase.QUIT);
    }

    private void closed() {
        if (channel == null) {
            return;
        }
        channel = null;
        Pending head = pending.peek();
        if (head != null && head.step() != Step.QUIT) {
            failed(head.phase(), "closed");
            tx.clear();
            pending.clear();
            disarm();
            if (load.stopping()) {
                finish();
            } else {
                retryLater();
            }
        } else if (head != null) {
            pending.clear();
            disarm();
            afterConnection();
        }
    }

    // ---- plumbing ----

    private void send(ByteBuf out, Step step, Phase phase) {
        pending.add(new Pending(step, phase, System.nanoTime()));
        write(out, true);
        arm();
    }

    private void write(ByteBuf out, boolean flush) {
        if (flush) {
            channel.writeAndFlush(out, channel.voidPromise());
        } else {
            channel.write(out, channel.voidPromise());
        }
    }

    private void expect(Step step, Phase phase) {
        pending.add(new Pending(step, phase, System.nanoTime()));
        arm();
    }

    private void failed(Phase phase, Reply reply) {
        load.stats().failure(phase, Integer.toString(reply.code()));
        load.serverError(reply);
    }

    private void failed(Phase phase, String what) {
        load.stats().failure(phase, what);
    }

    private void arm() {
        deadline = System.nanoTime() + load.timeoutNanos();
        if (timer == null) {
            timer = loop.schedule(this::checkDeadline, load.timeoutNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        deadline = Long.MAX_VALUE;
    }

    private void checkDeadline() {
        timer = null;
        if (pending.isEmpty() || deadline == Long.MAX_VALUE) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            timer = loop.schedule(this::checkDeadline, left, TimeUnit.NANOSECONDS);
        } else {
            failed(pending.peek().phase(), "timeout");
            abandon();
        }
    }

    /** The per-channel adapter: forwards a channel's events to the slot while it is the slot's channel. */
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
                if (tlsActive && load.config().target().smtps()) {
                    if (!done.isSuccess()) {
                        failed(Phase.TLS, "handshake");
                        abandon();
                    } else {
                        load.stats().tlsConnections.increment();
                    }
                } else {
                    handshakeDone(done.isSuccess());
                }
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
                failed(head == null ? Phase.QUIT : head.phase(), "protocol");
                abandon();
            } else {
                ctx.close();
            }
        }
    }
}
