// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.smtp.Reply;

/**
 * The writing side of one bhm session: replies (held back while an injected delay runs), the last
 * reply before a close, and the deadline by which the client's next input must be complete.
 * Replies are written without a flush; the session flushes when a read batch ends.
 */
final class SinkOutput {

    /** Replies held back by a delay before reading stops, so a delayed client cannot pile them up. */
    private static final int MAX_DELAYED = 256;

    private final SinkStats stats;
    private final Runnable onTimeout;
    private ChannelHandlerContext ctx;
    private ArrayDeque<Reply> delayed;
    private long delayedUntil;
    private boolean closeAfterDelayed;
    private long deadline;
    private long timerAt;
    private ScheduledFuture<?> timer;

    /** @param onTimeout runs on the event loop when the deadline has passed */
    SinkOutput(SinkStats stats, Runnable onTimeout) {
        this.stats = stats;
        this.onTimeout = onTimeout;
    }

    void attach(ChannelHandlerContext context) {
        ctx = context;
    }

    /** Writes a reply (counting refusals by code), or queues it behind a running delay. */
    void reply(Reply reply) {
        if (reply.failure()) {
            stats.reject(reply.code());
        }
        if (delayed != null) {
            delayed.add(reply);
            if (delayed.size() == MAX_DELAYED) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        ctx.write(reply, ctx.voidPromise());
    }

    /** Sends a last reply and then closes, after any delayed replies. */
    void last(Reply reply) {
        if (reply.failure()) {
            stats.reject(reply.code());
        }
        if (delayed != null) {
            delayed.add(reply);
            closeAfterDelayed = true;
            return;
        }
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Holds this reply and every one after it for the pause: the client sees a slow server while
     * the decoder's mode (DATA, BDAT) stays in step with the input.
     */
    void hold(long delayNanos) {
        long until = System.nanoTime() + delayNanos;
        if (delayed == null) {
            delayed = new ArrayDeque<>();
            delayedUntil = until;
            ctx.executor().schedule(this::releaseDelayed, delayNanos, TimeUnit.NANOSECONDS);
        } else if (until - delayedUntil > 0) {
            delayedUntil = until;
        }
    }

    private void releaseDelayed() {
        long left = delayedUntil - System.nanoTime();
        if (left > 0) {
            ctx.executor().schedule(this::releaseDelayed, left, TimeUnit.NANOSECONDS);
            return;
        }
        ArrayDeque<Reply> replies = delayed;
        delayed = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        Reply close = closeAfterDelayed ? replies.pollLast() : null;
        for (Reply reply : replies) {
            ctx.write(reply, ctx.voidPromise());
        }
        if (close != null) {
            ctx.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.flush();
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * Sets the time by which the next input must be complete. The timer is only rescheduled when
     * the deadline moves earlier, so the common case costs one clock read and no allocation.
     */
    void expect(long timeoutNanos) {
        deadline = System.nanoTime() + timeoutNanos;
        if (timer != null && deadline - timerAt < 0) {
            timer.cancel(false);
            timer = null;
        }
        if (timer == null) {
            schedule(timeoutNanos);
        }
    }

    private void schedule(long delayNanos) {
        timerAt = System.nanoTime() + delayNanos;
        timer = ctx.executor().schedule(this::checkDeadline, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkDeadline() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(left);
        } else {
            onTimeout.run();
        }
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
