// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code WATCHDOG=1} from the event loops themselves, so a wedged loop stops the pings and systemd
 * ({@code WatchdogSec=}, {@code WatchdogSignal=SIGQUIT}) takes a thread dump and restarts the daemon.
 *
 * <p>Each tick runs on one loop and hands a task to every loop of the group; the last of them to
 * run sends the ping. So every loop must turn over within the period for systemd to hear from us.
 */
public final class Watchdog implements AutoCloseable {

    private final ScheduledFuture<?> tick;

    private Watchdog(ScheduledFuture<?> tick) {
        this.tick = tick;
    }

    /**
     * The ping period systemd asks for: half of {@code $WATCHDOG_USEC}, or null when there is no
     * watchdog or {@code $WATCHDOG_PID} names another process.
     */
    public static Duration period(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null || usec.isBlank()) {
            return null;
        }
        String forPid = env.get("WATCHDOG_PID");
        try {
            if (forPid != null && !forPid.isBlank() && Long.parseLong(forPid.trim()) != pid) {
                return null;
            }
            long micros = Long.parseLong(usec.trim());
            return micros <= 0 ? null : Duration.ofNanos(micros * 1000 / 2);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Starts pinging every {@code period} through {@code notify}, from the loops of {@code loops}. */
    public static Watchdog start(EventExecutorGroup loops, Duration period, SdNotify notify) {
        List<EventExecutor> executors = new ArrayList<>();
        loops.forEach(executors::add);
        long nanos = Math.max(1, period.toNanos());
        Runnable round = () -> {
            AtomicInteger pending = new AtomicInteger(executors.size());
            for (EventExecutor executor : executors) {
                try {
                    executor.execute(() -> {
                        if (pending.decrementAndGet() == 0) {
                            notify.watchdog();
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return;  // shutting down: no more pings
                }
            }
        };
        round.run();
        return new Watchdog(executors.get(0).scheduleAtFixedRate(round, nanos, nanos, TimeUnit.NANOSECONDS));
    }

    @Override
    public void close() {
        tick.cancel(false);
    }
}
