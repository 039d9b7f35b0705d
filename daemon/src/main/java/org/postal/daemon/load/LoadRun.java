// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.postal.daemon.config.ConfigLoader;
import org.postal.daemon.control.ConfigReload;
import org.postal.daemon.control.ControlServer;
import org.postal.daemon.report.StatisticsTicker;
import org.postal.daemon.report.WriteFailures;
import org.postal.daemon.service.RunHandle;
import org.postal.daemon.service.Service;

/**
 * The run of a load generator, the same for postal and rabid: statistics rows on the wall clock,
 * --warmup and --duration, the control sockets with {@code reload} (and SIGHUP), the wait until the
 * work is done or the stop is immediate, then the close in order and the summary, written once.
 *
 * <p>Close order matters: the control sockets first (no command may reach a closing engine), then
 * the engine (its connections and log), then the clock thread; only then the last row and the
 * summary, so both count everything that happened.
 *
 * @param <C> the program's config record
 */
public final class LoadRun<C extends Record & LoadConfig> {

    /** Called every 100 ms while the run waits (postal's check that some server answers at all). */
    @FunctionalInterface
    public interface Watch {
        void check(LoadEngine engine);
    }

    /** The control sockets could not be made (exit 73, like any output that cannot be created). */
    public static final class CannotCreate extends IOException {
        private static final long serialVersionUID = 1L;

        CannotCreate(String what, IOException cause) {
            super(what + ": " + cause.getMessage(), cause);
        }
    }

    /**
     * The log or a transcript could not be written (a full disk): the run was stopped and the loss
     * said on stderr; exit 74 ({@code EX_IOERR}).
     */
    public static final class LogFailed extends IOException {
        private static final long serialVersionUID = 1L;

        LogFailed(String message) {
            super(message);
        }
    }

    private static final long WAIT_STEP_MS = 100;

    private final C config;
    private final Supplier<ConfigLoader.Loaded<C>> reloader;
    private final boolean quiet;
    private Watch watch = engine -> { };

    /**
     * @param reloader reads the config again for {@code reload}, as the program read it at the start
     * @param quiet    rabid --probe: no rows, no control sockets, the summary on stderr
     */
    public LoadRun(C config, Supplier<ConfigLoader.Loaded<C>> reloader, boolean quiet) {
        this.config = config;
        this.reloader = reloader;
        this.quiet = quiet;
    }

    /** Adds a check made while waiting. */
    public LoadRun<C> watching(Watch check) {
        watch = check;
        return this;
    }

    /**
     * Runs {@code engine} to its end, prints the last row and the summary, and closes it.
     *
     * @throws CannotCreate when the control sockets cannot be made (the engine is closed then)
     * @throws LogFailed when the log or a transcript could not be written (after the summary)
     */
    public void run(LoadEngine engine, RunHandle handle, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        LoadOutput output = config.output();
        String program = engine.stats().kind().program();
        if (!quiet) {
            long seed = config.workload().seed();
            err.println(program + ": seed " + seed + " (repeat the run with --seed " + seed + ")");
        }
        Service service = handle.service();
        LoadReporter reporter = new LoadReporter(engine.stats(),
                quiet ? new PrintStream(OutputStream.nullOutputStream()) : service.statistics(out), output.json(),
                output.interval());
        StatisticsTicker ticker = StatisticsTicker.start(program, reporter, output.interval(), engine.log()::flush, err::println);
        ticker.after(config.workload().warmup(), reporter::startMeasuring);
        ticker.after(config.workload().duration(), engine::stop);
        ControlServer control;
        try {
            control = quiet ? null : startControl(engine, service);
        } catch (IOException e) {
            engine.close();
            ticker.close();
            throw new CannotCreate("control sockets", e);
        }
        handle.started(engine::stop);
        engine.start();
        WriteFailures[] logs = {engine.log().failures(), engine.transcripts().failures()};
        boolean logFailed = false;
        try (Service.Running up = service.running(engine.monitored())) {
            while (!engine.awaitFinished(WAIT_STEP_MS, TimeUnit.MILLISECONDS) && !handle.immediate()) {
                // A full disk stops the run: a benchmark whose log is incomplete must not look complete.
                logFailed = WriteFailures.stopOnFailure(program, err, engine::stop, logFailed, logs);
                watch.check(engine);
            }
        }
        if (control != null) {
            control.close();
        }
        engine.close();
        ticker.close();
        reporter.row();
        (output.json() && !quiet ? out : err).println(reporter.summary());
        out.flush();
        // Once more after the close: the last flush may be the one that failed.
        if (WriteFailures.stopOnFailure(program, err, () -> { }, logFailed, logs)) {
            throw new LogFailed(WriteFailures.lostEntries(program, logs));
        }
    }

    private ControlServer startControl(LoadEngine engine, Service service) throws IOException {
        LoadOutput output = config.output();
        LoadControl controls = new LoadControl(engine.schedule(), engine.stats(), engine.transcripts(), config,
                output.interval());
        ConfigReload<C> reload = new ConfigReload<>(reloader, config, (name, next) ->
                name.equals("workload.rate") ? controls.applyRate(next.workload().rate()) : null, "workload.seed");
        controls.reloading(reload);
        service.onReload(reload::hangup);
        return output.controlDir() == null ? null : ControlServer.start(output.controlDir(), output.name(), controls);
    }
}
