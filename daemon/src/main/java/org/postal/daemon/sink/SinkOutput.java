// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.smtp.Reply;
import org.postal.daemon.smtp.SmtpServerDecoder;

/**
 * The writing side of one bhm session: replies (held back while an injected delay runs), the last
 * reply before a close, and the deadline by which the client's next input must be complete.
 * Replies are written without a flush; the session flushes when a read batch ends.
 *
 * <p>Back-pressure: once the replies a client has not read pass the channel's high-water mark
 * (Netty's {@code WriteBufferWaterMark}, 64 KiB), the session stops reading the socket and stops
 * decoding what it already read, so no more replies are made; both start again when the client
 * has read down to the low-water mark. A client that never reads is closed at its command deadline
 * without waiting for the last reply to be written.
 */
final class SinkOutput {

    /** Replies held back by a delay before reading stops, so a delayed client cannot pile them up. */
    private static final int MAX_DELAYED = 256;
    /** How long a last reply may take to be written before the connection is closed anyway. */
    private static final long CLOSE_GRACE_SECONDS = 10;

    private final SinkStats stats;
    private final SmtpServerDecoder decoder;
    private final Runnable onTimeout;
    private ChannelHandlerContext ctx;
    private ArrayDeque<Reply> delayed;
    private long delayedUntil;
    private boolean closeAfterDelayed;
    private long deadline;
    private long timerAt;
    private ScheduledFuture<?> timer;

    /** @param onTimeout runs on the event loop when the deadline has passed */
    SinkOutput(SinkStats stats, SmtpServerDecoder decoder, Runnable onTimeout) {
        this.stats = stats;
        this.decoder = decoder;
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
        if (!ctx.channel().isWritable()) {
            stopReading();
        }
    }

    /** True while the client leaves more replies unread than the high-water mark. */
    boolean stalled() {
        return !ctx.channel().isWritable();
    }

    private void stopReading() {
        ctx.channel().config().setAutoRead(false);
        decoder.pause();
    }

    /** The channel's writability changed: a client that read its replies is read again. */
    void writabilityChanged() {
        if (ctx.channel().isWritable() && decoder.paused()) {
            if (delayed == null) {
                ctx.channel().config().setAutoRead(true);
            }
            decoder.resume();
        } else if (!ctx.channel().isWritable()) {
            stopReading();
        }
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
        writeAndClose(reply);
    }

    /**
     * Writes a last reply and closes once it is written; a client that reads nothing would keep
     * that write, and the session, pending for ever, so it is closed at once or after a grace.
     */
    private void writeAndClose(Reply reply) {
        if (stalled()) {
            ctx.close();
            return;
        }
        var written = ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        if (!written.isDone()) {
            ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Holds this reply and every one after it for the pause: the client sees a slow server while
     * the decoder's mode (DATA, BDAT) stays in step with the input.
     */
    void hold(long delayNanos) {
        long until = now() + delayNanos;
        if (delayed == null) {
            delayed = new ArrayDeque<>();
            delayedUntil = until;
            ctx.executor().schedule(this::releaseDelayed, delayNanos, TimeUnit.NANOSECONDS);
        } else if (until - delayedUntil > 0) {
            delayedUntil = until;
        }
    }

    /** Holds this reply and every one after it for {@code delayNanos} more than any hold already running. */
    void postpone(long delayNanos) {
        hold(delayNanos + (delayed == null ? 0 : Math.max(0, delayedUntil - now())));
    }

    private void releaseDelayed() {
        long left = delayedUntil - now();
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
            writeAndClose(close);
        } else {
            ctx.flush();
            if (stalled()) {
                stopReading();
            } else {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    /**
     * Sets the time by which the next input must be complete. The timer is only rescheduled when
     * the deadline moves earlier, so the common case costs one clock read and no allocation.
     */
    void expect(long timeoutNanos) {
        deadline = now() + timeoutNanos;
        if (timer != null && deadline - timerAt < 0) {
            timer.cancel(false);
            timer = null;
        }
        if (timer == null) {
            schedule(timeoutNanos);
        }
    }

    private void schedule(long delayNanos) {
        timerAt = now() + delayNanos;
        timer = ctx.executor().schedule(this::checkDeadline, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkDeadline() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long left = deadline - now();
        if (left > 0) {
            schedule(left);
        } else {
            onTimeout.run();
        }
    }

    /** The event loop's clock: the system's, or a test's that it moves by hand. */
    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
