// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import io.netty.util.ResourceLeakDetector;

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

    /**
     * The {@code main} of postal and rabid: the service manager from the environment, stop signals
     * (the first asks for the clean stop, the second for the immediate one), then the run, whose
     * status is the process's.
     */
    public static void main(String program, String[] args, JsvcProgram.Body<RunHandle> body) throws Exception {
        Service service = Service.fromEnvironment(program);
        // Leak tracking samples stack traces on the hot path; the tests keep it on.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        RunHandle run = new RunHandle(service);
        StopSignals.install(run::stop, run::stopNow);
        System.exit(body.run(args, System.out, System.err, run));
    }

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
