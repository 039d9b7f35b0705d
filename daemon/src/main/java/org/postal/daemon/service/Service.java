// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.report.LogFiles;
import org.postal.daemon.report.OpenLogs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's side of systemd: logging for the journal, {@code READY=1}, {@code STATUS=} every
 * interval, {@code WATCHDOG=1} from the event loops, SIGHUP, SIGUSR1, {@code STOPPING=1}, and the statistics
 * rows copied to {@code $LOGS_DIRECTORY} ({@code /var/log/postal}). Outside systemd it does nothing
 * but handle SIGHUP, so foreground runs behave as before.
 *
 * <p>Each main makes one with {@link #fromEnvironment} as its first statement (logging is chosen
 * before anything logs), then wraps its run in {@link #running}.
 */
public final class Service {

    /** Not a static field: logging must be configured by {@link #fromEnvironment} before the first logger. */
    private static Logger log() {
        return LoggerFactory.getLogger(Service.class);
    }

    private final String name;
    private final SdNotify notify;
    private final Duration watchdogPeriod;
    private final Map<String, String> env;
    private final ReloadSignal reload;
    private volatile java.util.List<ListenFds.Passed> passed;

    private Service(String name, SdNotify notify, Duration watchdogPeriod, Map<String, String> env,
                    boolean handleHangup) {
        this.name = name;
        this.notify = notify;
        this.watchdogPeriod = watchdogPeriod;
        this.env = env;
        this.reload = handleHangup ? ReloadSignal.install(name, notify) : new ReloadSignal(name, notify);
        if (handleHangup) {
            ReopenSignal.install(OpenLogs.process());
        }
    }

    /**
     * From the process environment: {@code JOURNAL_STREAM} (log format), {@code NOTIFY_SOCKET},
     * {@code WATCHDOG_USEC}/{@code WATCHDOG_PID}, {@code LOGS_DIRECTORY}; installs the SIGHUP (reload)
     * and SIGUSR1 (reopen the logs) handlers.
     */
    public static Service fromEnvironment(String name) {
        Map<String, String> env = System.getenv();
        Logging.configure(env);
        return new Service(name, SdNotify.fromEnvironment(env),
                Watchdog.period(env, ProcessHandle.current().pid()), env, true);
    }

    /** Notifies through {@code notify}, pings every {@code watchdogPeriod} (null: no watchdog); no signals. */
    public static Service of(String name, SdNotify notify, Duration watchdogPeriod) {
        return new Service(name, notify, watchdogPeriod, Map.of(), false);
    }

    /** Tells nobody anything: in-process runs and tests. */
    public static Service none(String name) {
        return of(name, SdNotify.NONE, null);
    }

    /** Listening sockets systemd passed to this process (none outside socket activation). */
    public java.util.List<ListenFds.Passed> listenFds() {
        java.util.List<ListenFds.Passed> given = passed;
        return given != null ? given : ListenFds.fromEnvironment(env, ProcessHandle.current().pid());
    }

    /** Listening sockets bound before the program started (jsvc binds them as root in init). */
    public Service passing(java.util.List<ListenFds.Passed> sockets) {
        passed = java.util.List.copyOf(sockets);
        return this;
    }

    public SdNotify notifier() {
        return notify;
    }

    /**
     * What SIGHUP calls (between {@code RELOADING=1} and {@code READY=1}); until a program sets one,
     * SIGHUP logs "reload not supported yet".
     */
    public void onReload(ReloadSignal.Reload callback) {
        reload.onReload(callback);
    }

    /** Runs what SIGHUP runs; true if the reload succeeded. */
    public boolean reload() {
        return reload.hangup();
    }

    /**
     * In service mode ({@code $LOGS_DIRECTORY} set by {@code LogsDirectory=}), the statistics rows
     * also go to {@code <dir>/<unit>.csv}, appended; otherwise {@code out} itself.
     */
    public PrintStream statistics(PrintStream out) {
        String dirs = env.get("LOGS_DIRECTORY");
        if (dirs == null || dirs.isBlank()) {
            return out;
        }
        Path file = Path.of(dirs.split(":")[0]).resolve(unitName(name) + ".csv");
        try {
            OutputStream csv = LogFiles.openStatistics(file);
            return new PrintStream(new Tee(out, csv), false, StandardCharsets.UTF_8);
        } catch (IOException e) {
            log().warn("statistics only to the journal: cannot open {}: {}", file, e.getMessage());
            return out;
        }
    }

    /** The systemd unit this process runs in ("postal@profile"), from /proc/self/cgroup; else {@code fallback}. */
    static String unitName(String fallback) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String last = line.substring(line.lastIndexOf('/') + 1);
                if (last.endsWith(".service")) {
                    return last.substring(0, last.length() - ".service".length());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or hidden: the program's name will do
        }
        return fallback;
    }

    /**
     * Sends {@code READY=1} with the counts, then {@code STATUS=} each interval and
     * {@code WATCHDOG=1} from the loops; closing the result sends {@code STOPPING=1}.
     */
    public Running running(Monitored monitored) {
        return new Running(monitored);
    }

    /** A daemon between READY=1 and STOPPING=1. */
    public final class Running implements AutoCloseable {
        private final Monitored monitored;
        private final ScheduledFuture<?> statusTick;
        private final Watchdog watchdog;
        private long lastMessages;
        private long lastNanos = System.nanoTime();
        private volatile String lastStatus;

        Running(Monitored monitored) {
            this.monitored = monitored;
            this.lastMessages = monitored.messages().getAsLong();
            this.lastStatus = "ready; " + monitored.counts().get();
            reload.status(() -> lastStatus);
            if (!notify.enabled()) {
                statusTick = null;
                watchdog = null;
                return;
            }
            notify.ready(lastStatus);
            long period = Math.max(1, monitored.interval().toMillis());
            statusTick = monitored.loops().next().scheduleAtFixedRate(this::refresh, period, period,
                    TimeUnit.MILLISECONDS);
            watchdog = watchdogPeriod == null ? null : Watchdog.start(monitored.loops(), watchdogPeriod, notify);
            log().debug("notifying {}; watchdog every {}", notify.socket(), watchdogPeriod);
        }

        private synchronized void refresh() {
            long now = System.nanoTime();
            long messages = monitored.messages().getAsLong();
            double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
            double rate = (messages - lastMessages) / seconds;
            lastNanos = now;
            lastMessages = messages;
            lastStatus = String.format(Locale.ROOT, "%.1f msg/s (%.0f/min); %s", rate, rate * 60,
                    monitored.counts().get());
            notify.status(lastStatus);
        }

        /** The last {@code STATUS=} line. */
        public String status() {
            return lastStatus;
        }

        /** {@code STOPPING=1}; the pings end. */
        @Override
        public void close() {
            if (statusTick != null) {
                statusTick.cancel(false);
            }
            if (watchdog != null) {
                watchdog.close();
            }
            if (notify.enabled()) {
                notify.stopping();
            }
        }
    }

    /** Writes to the console and a file; a failing file never stops the console. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;
        private boolean secondFailed;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            if (!secondFailed) {
                try {
                    second.write(b, off, len);
                } catch (IOException e) {
                    secondFailed = true;
                    log().warn("statistics file: {}", e.getMessage());
                }
            }
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            if (!secondFailed) {
                try {
                    second.flush();
                } catch (IOException e) {
                    secondFailed = true;
                }
            }
        }

        @Override
        public void close() throws IOException {
            flush();
            second.close();
        }
    }
}
