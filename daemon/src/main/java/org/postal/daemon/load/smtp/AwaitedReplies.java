// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.ArrayDeque;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.ReplyClass;
import org.postal.daemon.load.SlotTimers;
import org.postal.daemon.smtp.Reply;

/**
 * The replies a slot's connection waits for: a queue of what each will answer, the deadline by
 * which the next must come, the latency of each phase and the count of failures.
 *
 * <p>Replies, TLS handshakes, a closed connection and a passed deadline arrive here; each is
 * measured against the queue's head and handed to the connection's {@link SmtpConversation},
 * or, when it ends the connection, to the {@link SmtpSlot}. The queue also times the connect
 * and the TLS handshake, so one reply timeout covers every wait.
 */
final class AwaitedReplies {

    private final SmtpSlot slot;
    private final SmtpLoad load;
    private final SlotTimers timers;
    private final ArrayDeque<SmtpStep.Pending> pending = new ArrayDeque<>();
    private SmtpStep.Pending current;
    private long connectedAt;

    AwaitedReplies(SmtpSlot slot, SmtpLoad load, EventLoop loop) {
        this.slot = slot;
        this.load = load;
        this.timers = new SlotTimers(loop, load.timeoutNanos(), () -> !pending.isEmpty(), this::timedOut);
    }

    /** The slot's clocks: the reply deadline kept here, and the wait until a message is due. */
    SlotTimers timers() {
        return timers;
    }

    // ---- what is awaited ----

    /** A connect has begun; it is awaited like a reply, so the reply timeout bounds it. */
    void connecting() {
        connectedAt = System.nanoTime();
        // The connect timeout is the reply timeout's clock, not a timer of Netty's per connection.
        expect(SmtpStep.CONNECT, Phase.CONNECT);
    }

    /** The connect succeeded: the banner is awaited next. */
    void connected() {
        pending.poll();
        load.stats().latency(Phase.CONNECT, System.nanoTime() - connectedAt);
        expect(SmtpStep.BANNER, Phase.BANNER);
    }

    /** The connect failed: nothing is awaited any more. */
    void notConnected() {
        lost(pending.poll());
        timers.disarm();
    }

    /** A command went out: its reply, measured as {@code phase}, is awaited within the timeout. */
    void expect(SmtpStep step, Phase phase) {
        pending.add(new SmtpStep.Pending(step, phase, System.nanoTime()));
        timers.arm();
    }

    /** Adds {@code n} more entries like the last one (same start), for replies learnt of late. */
    void expectMore(SmtpStep step, int n) {
        SmtpStep.Pending last = pending.peekLast();
        for (int i = 0; i < n && last != null; i++) {
            pending.add(new SmtpStep.Pending(step, last.phase(), last.startNanos()));
        }
    }

    /** STARTTLS was answered 220: the handshake is awaited, timed from the STARTTLS command. */
    void expectHandshake() {
        pending.add(new SmtpStep.Pending(SmtpStep.HANDSHAKE, Phase.TLS, current.startNanos()));
        timers.arm();
    }

    /** True when the next reply awaited answers {@code step}. */
    boolean awaits(SmtpStep step) {
        SmtpStep.Pending head = pending.peek();
        return head != null && head.step() == step;
    }

    /** True when nothing is awaited: the connection is idle between messages. */
    boolean idle() {
        return pending.isEmpty();
    }

    /** The connection is closed: nothing it was asked is awaited any more. */
    void clear() {
        pending.clear();
        timers.disarm();
    }

    // ---- failures ----

    void failed(Phase phase, Reply reply) {
        load.stats().failure(phase, Integer.toString(reply.code()));
        load.serverError(reply);
    }

    void failed(Phase phase, String what) {
        load.stats().failure(phase, what);
    }

    /** Counts the reply awaited as {@code awaited} (if any) as never come. */
    private void lost(SmtpStep.Pending awaited) {
        if (awaited != null) {
            load.stats().replies().count(awaited.step().tallied(), ReplyClass.LOST);
        }
    }

    /** The phase an error ends: the awaited one, or MAIL for a command that measures no phase. */
    private static Phase phaseOf(SmtpStep.Pending awaited) {
        return awaited == null || awaited.phase() == null ? Phase.MAIL : awaited.phase();
    }

    // ---- what arrives ----

    /** A channel handler that brings the slot's current channel's events here. */
    ChannelHandler handler() {
        return new Handler();
    }

    private void onReply(Reply reply) {
        current = pending.poll();
        if (current == null || (current.step() == SmtpStep.HANDSHAKE || current.step() == SmtpStep.CONNECT)
                && reply != null) {
            // Nothing was asked (typically a 421 to an idle connection): the connection is over.
            failed(Phase.QUIT, reply == null ? "unexpected" : "unexpected " + reply.code());
            slot.dropUnasked();
            return;
        }
        if (current.phase() != null) {
            load.stats().latency(current.phase(), System.nanoTime() - current.startNanos());
        }
        timers.rearm(!pending.isEmpty());
        load.stats().replies().count(current.step().tallied(), ReplyClass.of(reply.code()));
        if (slot.abandonsAt(current.step())) {
            slot.abandonSession();
            return;
        }
        if (reply.code() == 421 && current.step() != SmtpStep.QUIT) {
            failed(phaseOf(current), reply);
            slot.conversation().closingReply(current.step(), reply); // the ledger's line for it
            slot.abandon();
            return;
        }
        slot.conversation().onReply(current.step(), reply);
    }

    private void handshake(boolean success) {
        if (load.config().target().smtps()) {
            if (success) {
                load.stats().tlsConnections.increment();
                load.stats().latency(Phase.TLS, System.nanoTime() - connectedAt);
            } else {
                failed(Phase.TLS, "handshake");
                slot.abandon();
            }
            return;
        }
        current = pending.poll();
        if (current == null || current.step() != SmtpStep.HANDSHAKE) {
            failed(Phase.TLS, "unexpected handshake");
            slot.abandon();
            return;
        }
        load.stats().latency(Phase.TLS, System.nanoTime() - current.startNanos());
        timers.rearm(!pending.isEmpty());
        slot.conversation().handshake(success);
    }

    private void closed() {
        SmtpStep.Pending head = pending.peek();
        if (head == null) {
            slot.closeChannel(); // idle: the waiting schedule opens a new connection when it is time
        } else if (head.step() == SmtpStep.QUIT) {
            lost(head);
            slot.connectionDone();
        } else {
            lost(head);
            failed(phaseOf(head), "closed");
            slot.abandon();
        }
    }

    /** The run stops while a reply is still awaited: counted, so the summary says what never came. */
    void unanswered() {
        if (!pending.isEmpty()) {
            failed(phaseOf(pending.peek()), "unanswered");
        }
    }

    private void timedOut() {
        lost(pending.peek());
        failed(phaseOf(pending.peek()), "timeout");
        slot.abandon();
    }

    /** Forwards one channel's events while it is the slot's channel. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (ctx.channel() == slot.channel() && msg instanceof Reply reply) {
                onReply(reply);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (ctx.channel() == slot.channel() && evt instanceof SslHandshakeCompletionEvent done) {
                handshake(done.isSuccess());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == slot.channel()) {
                closed();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == slot.channel()) {
                lost(pending.peek());
                failed(phaseOf(pending.peek()), "protocol");
                slot.abandon();
            } else {
                ctx.close();
            }
        }
    }
}
