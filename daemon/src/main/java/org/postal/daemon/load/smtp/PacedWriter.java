// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Writes a slow client's bytes: a pause before each line (commands and message content have
 * their own), and at most a given number of bytes per second, all on the channel's event loop
 * through its scheduler, never by sleeping. Writes keep their order; each is flushed as it goes.
 *
 * <p>The rate is kept piece by piece: after a piece of n bytes the next waits n/rate seconds, and
 * a piece is at most a tenth of a second's worth, so a large message is spread evenly rather than
 * written at once and paid for afterwards.
 */
final class PacedWriter extends ChannelOutboundHandlerAdapter {

    /** A message's content, written with the data pause before each of its lines. */
    record Content(ByteBuf buf) {
    }

    private record Piece(ByteBuf buf, long pauseNanos, ChannelPromise promise) {
    }

    private final long rate;
    private final long linePauseNanos;
    private final long dataPauseNanos;
    private final int pieceMax;
    private final ArrayDeque<Piece> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean timing;
    /** The wait the rate still owes for the bytes just written. */
    private long owedNanos;
    /** The next byte of the head starts a line. */
    private boolean lineStart = true;

    PacedWriter(SlowClient slow) {
        this.rate = slow.sendRate();
        this.linePauseNanos = slow.linePause().toNanos();
        this.dataPauseNanos = slow.dataPause().toNanos();
        this.pieceMax = rate == 0 ? Integer.MAX_VALUE : (int) Math.max(64, Math.min(Integer.MAX_VALUE, rate / 10));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
    }

    @Override
    public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
        if (msg instanceof Content c) {
            queue.add(new Piece(c.buf(), dataPauseNanos, promise));
        } else if (msg instanceof ByteBuf b) {
            queue.add(new Piece(b, linePauseNanos, promise));
        } else {
            context.write(msg, promise);
            return;
        }
        if (!timing) {
            next();
        }
    }

    @Override
    public void flush(ChannelHandlerContext context) {
        if (queue.isEmpty()) {
            context.flush(); // else every piece is flushed as it goes out
        }
    }

    /** Writes the head's next piece now or after its wait, until the queue is empty. */
    private void next() {
        while (!queue.isEmpty()) {
            Piece head = queue.peek();
            long wait = Math.max(owedNanos, lineStart ? head.pauseNanos() : 0);
            owedNanos = 0;
            if (wait > 0) {
                timing = true;
                ctx.executor().schedule(this::timerFired, wait, TimeUnit.NANOSECONDS);
                return;
            }
            writePiece(head);
        }
    }

    private void timerFired() {
        timing = false;
        if (!queue.isEmpty()) {
            writePiece(queue.peek());
            next();
        }
    }

    private void writePiece(Piece head) {
        ByteBuf buf = head.buf();
        int length = Math.min(buf.readableBytes(), pieceMax);
        if (head.pauseNanos() > 0) {
            int lf = buf.indexOf(buf.readerIndex(), buf.readerIndex() + length, (byte) '\n');
            if (lf >= 0) {
                length = lf - buf.readerIndex() + 1;
            }
        }
        lineStart = length > 0 && buf.getByte(buf.readerIndex() + length - 1) == '\n';
        if (rate > 0) {
            owedNanos = length * TimeUnit.SECONDS.toNanos(1) / rate;
        }
        boolean whole = length == buf.readableBytes();
        if (whole) {
            queue.poll();
        }
        ctx.writeAndFlush(whole ? buf : buf.readRetainedSlice(length)).addListener(f -> {
            if (f.isSuccess()) {
                if (whole) {
                    head.promise().trySuccess();
                }
            } else {
                // The peer went away between two pieces (a server's timeout, typically): what is
                // left is dropped, and the read side tells the slot what the server said or that
                // it closed, rather than a write error standing for it.
                handlerRemoved(ctx);
                if (!head.promise().isVoid()) {
                    head.promise().tryFailure(f.cause());
                }
            }
        });
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        for (Piece p = queue.poll(); p != null; p = queue.poll()) {
            p.buf().release();
            if (!p.promise().isVoid()) {
                p.promise().tryFailure(new ClosedChannelException());
            }
        }
    }

    @Override
    public void close(ChannelHandlerContext context, ChannelPromise promise) {
        handlerRemoved(context);
        context.close(promise);
    }
}
