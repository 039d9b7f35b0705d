// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

/**
 * What a program's run and its stop signals share (bhm, postal and rabid alike): the service it
 * reports to, and the stop, which may come before the run has started, while it runs, or after.
 *
 * <p>A stop asked for before {@link #started} is kept and applied the moment the run starts, so a
 * signal during start-up is never lost. {@link #stopNow} marks the stop immediate as well: the run's
 * wait loop stops waiting for work in flight.
 */
public final class RunHandle {

    private final Service service;
    private Runnable stopper;
    private boolean stop;
    private volatile boolean immediate;

    /** A foreground run that reports to no service manager. */
    public RunHandle(String program) {
        this(Service.none(program));
    }

    public RunHandle(Service service) {
        this.service = service;
    }

    /** The service manager (systemd, or none) the run reports to. */
    public Service service() {
        return service;
    }

    /** The run has started; {@code stop} asks it for a clean stop, at once when a stop was asked already. */
    public synchronized void started(Runnable stopRun) {
        stopper = stopRun;
        if (stop) {
            stopper.run();
        }
    }

    /** Asks for the clean stop (the first SIGINT or SIGTERM, jsvc's stop). */
    public synchronized void stop() {
        stop = true;
        if (stopper != null) {
            stopper.run();
        }
    }

    /** Asks for the immediate stop (the second signal). */
    public void stopNow() {
        immediate = true;
        stop();
    }

    /** Whether the immediate stop was asked for. */
    public boolean immediate() {
        return immediate;
    }
}
