// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.config.ConfigError;
import org.postal.daemon.config.ConfigLoader;
import org.postal.daemon.control.ConfigReload;
import org.postal.daemon.control.ControlServer;
import org.postal.daemon.load.LoadControl;
import org.postal.daemon.load.LoadReporter;
import org.postal.daemon.load.StatisticsTicker;
import org.postal.daemon.load.UserPool;
import org.postal.daemon.metrics.Metrics;
import org.postal.daemon.report.WriteFailures;
import org.postal.daemon.service.JsvcProgram;
import org.postal.daemon.service.Service;
import picocli.CommandLine;

/**
 * rabid: parse, load the accounts, run the sessions until --count, --duration or a signal, print
 * the summary. {@code --probe} runs one verbose session instead.
 */
public final class RabidMain {

    static final int EX_USAGE = 64;
    static final int EX_NOINPUT = 66;
    /** rabid.log or a transcript could not be written (a full disk): the run stopped. */
    static final int EX_IOERR = 74;
    static final int EX_CANTCREAT = 73;
    static final int EX_CONFIG = 78;
    /** --probe: the session did not complete cleanly. */
    static final int EX_PROBE_FAILED = 1;

    private RabidMain() {
    }

    /** rabid under jsvc ({@code org.postal.daemon.JsvcDaemon}): binds nothing as root, then {@link #run}. */
    public static JsvcProgram<?, ?> jsvc() {
        return new JsvcProgram<>("rabid", args -> ConfigLoader.load(RabidCommand::new, RabidCommand::toConfig, args),
                JsvcProgram.bindsNothing(), Run::new, RabidMain::run, Run::stop);
    }

    /** Runs rabid; the caller installs signal handlers that call {@code run.stop()}/{@code run.stopNow()}. */
    public static int run(String[] args, PrintStream out, PrintStream err, Run run) throws Exception {
        RabidCommand command = new RabidCommand();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new java.io.PrintWriter(out, true));
        RabidConfig config;
        UserPool users;
        try {
            if (CommandLine.printHelpIfRequested(ConfigLoader.parseArgs(cli, args))) {
                return 0;
            }
            config = ConfigLoader.toConfig(cli, RabidCommand::toConfig);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            err.println("rabid: " + e.getMessage());
            err.println("Try 'rabid --help' for more information.");
            return EX_USAGE;
        } catch (ConfigError e) {
            err.println("rabid: " + e.getMessage());
            return e.exitCode();
        }
        try {
            users = Accounts.load(command.userList(), command.probeAccount());
        } catch (NoSuchFileException e) {
            err.println("rabid: cannot open \"" + e.getFile() + "\": no such file");
            return EX_NOINPUT;
        } catch (IOException e) {
            err.println("rabid: " + e.getMessage());
            return EX_CONFIG;
        }
        if (command.probe) {
            config = Accounts.probe(config);
        }
        RabidLoad load;
        try {
            load = new RabidLoad(config, users, err, command.probe ? new ProbeRecorder(out) : null);
        } catch (IOException e) {
            err.println("rabid: cannot create " + config.output().log() + ": " + e.getMessage());
            return EX_CANTCREAT;
        }
        boolean quiet = command.probe;
        LoadReporter reporter = new LoadReporter("rabid", load.stats(), quiet ? new PrintStream(
                java.io.OutputStream.nullOutputStream()) : run.service.statistics(out), config.output().json(), config.output().interval());
        StatisticsTicker ticker = StatisticsTicker.start("rabid", reporter, config.output().interval(),
                load.log()::flush, err);
        ticker.after(config.workload().duration(), load::stop);
        if (!quiet) {
            err.println("rabid: seed " + config.workload().seed() + " (repeat the run with --seed "
                    + config.workload().seed() + ")");
        }
        ControlServer control;
        Metrics metrics;
        try {
            metrics = Metrics.forLoad(quiet ? null : command.metrics.address(), quiet ? null : command.histogramLog.file(),
                    config.output().interval(), "rabid", config.output().name(), load.stats(), load.schedule());
            LoadControl controls = new LoadControl("rabid", load.schedule(), load.stats(), load.transcripts(), config,
                    config.output().interval());
            ConfigReload<RabidConfig> reload = new ConfigReload<>(
                    () -> ConfigLoader.load(RabidCommand::new, RabidCommand::toConfig, args), config, (name, next) ->
                    name.equals("workload.rate") ? controls.applyRate(next.workload().rate()) : null, "workload.seed");
            controls.reloading(reload);
            run.service.onReload(reload::hangup);
            control = command.probe ? null : command.control.start(controls);
        } catch (IOException e) {
            load.close();
            ticker.close();
            err.println("rabid: " + e.getMessage());
            return EX_CANTCREAT;
        }
        run.started(load);
        load.start();
        boolean logFailed = false;
        try (Service.Running up = run.service.running(load.monitored())) {
            while (!load.awaitFinished(100, TimeUnit.MILLISECONDS)) {
                if (run.immediate()) {
                    break;
                }
                logFailed = WriteFailures.stopOnFailure("rabid", err, load::stop, logFailed, load.log().failures(),
                        load.transcripts().failures());
            }
        }
        if (control != null) {
            control.close();
        }
        load.close();
        metrics.close();
        ticker.close();
        reporter.row();
        String summary = reporter.summary();
        (config.output().json() && !quiet ? out : err).println(summary);
        out.flush();
        if (WriteFailures.stopOnFailure("rabid", err, () -> { }, logFailed, load.log().failures(),
                load.transcripts().failures())) {
            err.println(WriteFailures.lostEntries("rabid", load.log().failures(), load.transcripts().failures()));
            return EX_IOERR;
        }
        if (quiet && (load.stats().errors.sum() > 0 || load.stats().connections.sum() == 0)) {
            err.println("rabid: the probe session failed (see the errors above)");
            return EX_PROBE_FAILED;
        }
        return 0;
    }

    /** Hands the run to the signal handlers, whichever comes first. */
    public static final class Run {
        final Service service;
        private RabidLoad load;
        private boolean stop;
        private volatile boolean immediate;

        public Run() {
            this(Service.none("rabid"));
        }

        /** Tells systemd (through {@code service}) when the run has started and when it stops. */
        public Run(Service service) {
            this.service = service;
        }

        synchronized void started(RabidLoad started) {
            load = started;
            if (stop) {
                load.stop();
            }
        }

        public synchronized void stop() {
            stop = true;
            if (load != null) {
                load.stop();
            }
        }

        public void stopNow() {
            immediate = true;
            stop();
        }

        boolean immediate() {
            return immediate;
        }
    }
}
