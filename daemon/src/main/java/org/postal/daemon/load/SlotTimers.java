// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The two clocks of a load-generator slot, on its event loop: the wait until the next job is
 * due (or a retry), which a stopping run cuts short, and the deadline by which the awaited reply
 * must come. The deadline costs a clock read per reply; its timer is rescheduled only when it fires.
 */
public final class SlotTimers {

    /** Jobs due sooner than this run at once rather than through the timer. */
    private static final long NOW_NANOS = 50_000;

    private final EventLoop loop;
    private final long timeoutNanos;
    private final BooleanSupplier awaiting;
    private final Runnable onTimeout;
    private ScheduledFuture<?> waiting;
    private long deadline = Long.MAX_VALUE;
    private ScheduledFuture<?> timer;

    /**
     * @param awaiting  whether a reply is still awaited when the deadline passes
     * @param onTimeout what a passed deadline does
     */
    public SlotTimers(EventLoop loop, long timeoutNanos, BooleanSupplier awaiting, Runnable onTimeout) {
        this.loop = loop;
        this.timeoutNanos = timeoutNanos;
        this.awaiting = awaiting;
        this.onTimeout = onTimeout;
    }

    /** Runs {@code action} at the {@link System#nanoTime} {@code due}: now if that is (almost) past. */
    public void at(long due, Runnable action) {
        long wait = due - System.nanoTime();
        if (wait > NOW_NANOS) {
            after(wait, action);
        } else {
            action.run();
        }
    }

    /** Runs {@code action} after a pause, unless the slot already waits for something. */
    public void after(long delayNanos, Runnable action) {
        if (waiting == null) {
            waiting = loop.schedule(() -> {
                waiting = null;
                action.run();
            }, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    public boolean waiting() {
        return waiting != null;
    }

    /** The run is stopping: a waiting slot stops waiting and runs {@code instead}; others carry on. */
    public void wake(Runnable instead) {
        loop.execute(() -> {
            if (waiting != null) {
                waiting.cancel(false);
                waiting = null;
                instead.run();
            }
        });
    }

    /** A reply is awaited from now on, within the timeout. */
    public void arm() {
        deadline = System.nanoTime() + timeoutNanos;
        if (timer == null) {
            timer = loop.schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** No reply is awaited. */
    public void disarm() {
        deadline = Long.MAX_VALUE;
    }

    /** Restarts the wait when a reply is still awaited (after one reply of several, or data arriving). */
    public void rearm(boolean stillAwaiting) {
        deadline = stillAwaiting ? System.nanoTime() + timeoutNanos : Long.MAX_VALUE;
    }

    public boolean armed() {
        return deadline != Long.MAX_VALUE;
    }

    private void check() {
        timer = null;
        if (deadline == Long.MAX_VALUE || !awaiting.getAsBoolean()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            timer = loop.schedule(this::check, left, TimeUnit.NANOSECONDS);
        } else {
            onTimeout.run();
        }
    }
}
