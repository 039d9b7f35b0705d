// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When each message of a run is due: an open-loop schedule that spreads messages evenly.
 *
 * <p>Message {@code n} is due at {@code start + n / rate}; whoever is free claims the next one.
 * Latency is measured from that intended time, so a server that stalls shows up as latency, not
 * as a quietly lower rate (no coordinated omission). Without a rate, a message is due the moment
 * it is claimed (closed loop). The rate can change while running; the schedule then continues from
 * the message claimed next. There is no tick and no per-tick ceiling, unlike 0.76's 2048 per 5 s.
 *
 * <p>Pausing is a gap in the schedule, not a backlog: while paused, {@link #claim} returns
 * {@link #PAUSED} without taking a message, and the claimer registers with {@link #whenResumed}
 * instead of polling. On resume the schedule starts a new segment at the resume time, so the
 * messages that would have been due during the pause are not sent in a burst afterwards, and
 * latency is measured from the new intended times as usual. Messages claimed before the pause
 * (at most one per slot) still go out at their times.
 */
public final class RateSchedule {

    /** Returned by {@link #claim} when the run has sent all it should. */
    public static final long DONE = Long.MIN_VALUE;
    /** Returned by {@link #claim} while paused: nothing was claimed; wait with {@link #whenResumed}. */
    public static final long PAUSED = Long.MIN_VALUE + 1;

    private record Segment(long startNanos, long firstIndex, double intervalNanos) {
    }

    private final AtomicLong claimed = new AtomicLong();
    private final long limit;
    private volatile Segment segment;
    private volatile boolean stopped;
    private volatile boolean paused;
    private final List<Runnable> waiting = new java.util.ArrayList<>();

    /**
     * @param perSecond messages per second; 0 for as fast as the server takes them
     * @param limit     messages in the whole run; 0 for no limit
     */
    public RateSchedule(double perSecond, long limit, long startNanos) {
        if (perSecond < 0 || Double.isNaN(perSecond) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be a finite number of messages per second, not " + perSecond);
        }
        this.limit = limit;
        this.segment = new Segment(startNanos, 0, perSecond == 0 ? 0 : 1e9 / perSecond);
    }

    /** Claims the next message and returns when it is due (a {@link System#nanoTime} value), or {@link #DONE}. */
    public long claim(long nowNanos) {
        if (stopped) {
            return DONE;
        }
        if (paused) {
            return PAUSED;
        }
        long n = claimed.getAndIncrement();
        if (limit > 0 && n >= limit) {
            return DONE;
        }
        Segment s = segment;
        if (s.intervalNanos == 0) {
            return nowNanos;
        }
        return s.startNanos + (long) ((n - s.firstIndex) * s.intervalNanos);
    }

    /** Starts the clock: message 0 is due now. Call once, when the run really begins. */
    public synchronized void begin(long nowNanos) {
        Segment s = segment;
        segment = new Segment(nowNanos, s.firstIndex, s.intervalNanos);
    }

    /** Changes the rate from now on; 0 means as fast as possible. */
    public synchronized void rate(double perSecond, long nowNanos) {
        if (perSecond < 0 || Double.isNaN(perSecond) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be a finite number of messages per second, not " + perSecond);
        }
        segment = new Segment(nowNanos, claimed.get(), perSecond == 0 ? 0 : 1e9 / perSecond);
    }

    /** The rate in messages per second (0: unlimited). */
    public double rate() {
        double interval = segment.intervalNanos;
        return interval == 0 ? 0 : 1e9 / interval;
    }

    /** Stops handing out messages until {@link #resume}; false when already paused. */
    public synchronized boolean pause() {
        boolean was = paused;
        paused = true;
        return !was;
    }

    /** Hands out messages again, starting a new segment now; false when not paused. */
    public boolean resume(long nowNanos) {
        List<Runnable> wake;
        synchronized (this) {
            if (!paused) {
                return false;
            }
            Segment s = segment;
            segment = new Segment(nowNanos, claimed.get(), s.intervalNanos);
            paused = false;
            wake = List.copyOf(waiting);
            waiting.clear();
        }
        wake.forEach(Runnable::run);
        return true;
    }

    public boolean paused() {
        return paused;
    }

    /**
     * Runs {@code action} once the schedule is resumed or stopped; at once if it is neither paused
     * nor stopped any more. The action runs on the thread that resumes or stops, so it should only
     * hand work to the claimer's own thread.
     */
    public void whenResumed(Runnable action) {
        synchronized (this) {
            if (paused && !stopped) {
                waiting.add(action);
                return;
            }
        }
        action.run();
    }

    /** Ends the run: every later claim returns {@link #DONE}, and paused claimers are woken to see it. */
    public void stop() {
        List<Runnable> wake;
        synchronized (this) {
            stopped = true;
            wake = List.copyOf(waiting);
            waiting.clear();
        }
        wake.forEach(Runnable::run);
    }

    public boolean stopped() {
        return stopped;
    }

    /** Messages claimed so far (including ones still in flight). */
    public long claimed() {
        long n = claimed.get();
        return limit > 0 ? Math.min(n, limit) : n;
    }
}
