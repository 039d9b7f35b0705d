// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP asks for a reload (systemd's {@code ExecReload=kill -HUP $MAINPID}). Without a handler
 * the JVM would treat SIGHUP as a reason to exit, so the handler is installed even while a program
 * has nothing to reload; then it says so and goes on running.
 *
 * <p>The reload runs on the JVM's signal thread, between {@code RELOADING=1} and {@code READY=1},
 * so systemd knows when it is done; a failed reload is logged and the old settings stay.
 */
public final class ReloadSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    /** Re-reads the settings and applies them; the message of an exception says what was wrong. */
    @FunctionalInterface
    public interface Reload {
        void reload() throws Exception;
    }

    private final String name;
    private final SdNotify notify;
    private volatile Reload reload;
    private volatile java.util.function.Supplier<String> status = () -> null;

    ReloadSignal(String name, SdNotify notify) {
        this.name = name;
        this.notify = notify;
    }

    /** Installs the SIGHUP handler; a JVM run with -Xrs keeps its own handling and gets a warning. */
    static ReloadSignal install(String name, SdNotify notify) {
        ReloadSignal signal = new ReloadSignal(name, notify);
        try {
            Signal.handle(new Signal("HUP"), s -> signal.hangup());
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot handle SIGHUP: {}", e.getMessage());
        }
        return signal;
    }

    void onReload(Reload callback) {
        reload = callback;
    }

    void status(java.util.function.Supplier<String> line) {
        status = line;
    }

    /** What a SIGHUP does; also what {@code postalctl reload} may call. */
    synchronized boolean hangup() {
        Reload callback = reload;
        if (callback == null) {
            LOG.info("SIGHUP: reload not supported yet; {} goes on with its settings", name);
            return false;
        }
        notify.reloading();
        try {
            callback.reload();
            LOG.info("reloaded");
            return true;
        } catch (Exception e) {
            LOG.error("reload failed, settings unchanged: {}", e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        } finally {
            notify.ready(status.get());
        }
    }
}
