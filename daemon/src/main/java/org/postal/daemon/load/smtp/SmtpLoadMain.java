// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.util.ResourceLeakDetector;
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
import org.postal.daemon.service.StopSignals;
import org.postal.daemon.sink.Sink;
import picocli.CommandLine;

/**
 * Entry point of {@code postal}: parse, load the lists, run until --count, --duration or a signal.
 *
 * <p>The first SIGINT or SIGTERM stops starting messages and lets those in flight finish; the
 * second closes every connection at once. Either way the summary is printed.
 */
public final class SmtpLoadMain {

    static final int EX_USAGE = 64;
    static final int EX_NOINPUT = 66;
    static final int EX_CONFIG = 78;
    static final int EX_CANTCREAT = 73;
    static final int EX_UNAVAILABLE = 69;
    /** postal.log or a transcript could not be written (a full disk): the run stopped. */
    static final int EX_IOERR = 74;
    /** The embedded bhm did not receive, intact, every message postal delivered. */
    static final int EX_MISMATCH = 1;

    private static final UserPool BUILT_IN_USERS = UserPool.of(java.util.stream.IntStream.rangeClosed(1, 10)
            .mapToObj(i -> new UserPool.User("user" + i + "@example.com", "password" + i)).toList());

    private SmtpLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        Service service = Service.fromEnvironment("postal");
        // Leak tracking samples stack traces on the hot path; the tests keep it on.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        Run run = new Run(service);
        StopSignals.install(run::stop, run::stopNow);
        System.exit(run(args, System.out, System.err, run));
    }

    /**
     * postal under jsvc ({@code org.postal.daemon.JsvcDaemon}): binds nothing as root, then this run.
     * The options are checked there with a placeholder for the embedded bhm's address, which a run
     * without --server picks when it starts.
     */
    public static JsvcProgram<?, ?> jsvc() {
        return new JsvcProgram<>("postal",
                args -> ConfigLoader.load(SmtpLoadCommand::new, c -> c.toConfig("127.0.0.1"), args),
                JsvcProgram.bindsNothing(), Run::new, SmtpLoadMain::run, Run::stop);
    }

    static int run(String[] args, PrintStream out, PrintStream err, Run run) throws Exception {
        SmtpLoadCommand command = new SmtpLoadCommand();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new java.io.PrintWriter(out, true));
        SmtpLoadConfig config;
        UserPool recipients;
        UserPool senders;
        Sink embedded = null;
        java.util.function.Supplier<ConfigLoader.Loaded<SmtpLoadConfig>> reloader;
        try {
            if (CommandLine.printHelpIfRequested(ConfigLoader.parseArgs(cli, args))) {
                return 0;
            }
            command.userList();
            if (command.serverList() == null) {
                embedded = Sink.embedded(command.lmtp);
            }
            String server = embedded == null ? null : "[127.0.0.1]" + embedded.addresses().get(0).getPort();
            config = ConfigLoader.toConfig(cli, (SmtpLoadCommand c) -> c.toConfig(server));
            reloader = () -> ConfigLoader.load(SmtpLoadCommand::new, c -> c.toConfig(server), args);
        } catch (ConfigError e) {
            if (embedded != null) {
                embedded.close();
            }
            err.println("postal: " + e.getMessage());
            return e.exitCode();
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            if (embedded != null) {
                embedded.close();
            }
            err.println("postal: " + e.getMessage());
            err.println("Try 'postal --help' for more information.");
            return EX_USAGE;
        }
        try (Sink sink = embedded) {
            recipients = command.userList() == null ? BUILT_IN_USERS : UserPool.load(command.userList());
            senders = command.senders == null ? recipients : UserPool.load(command.senders);
            long sent = runLoad(config, recipients, senders, out, err, run, command, reloader);
            return sink == null ? 0 : check(sink, sent, err);
        } catch (NoSuchFileException e) {
            err.println("postal: cannot open \"" + e.getFile() + "\": no such file");
            return EX_NOINPUT;
        } catch (Unreachable e) {
            return EX_UNAVAILABLE;
        } catch (LogFailed e) {
            return EX_IOERR;
        } catch (CannotCreate e) {
            err.println("postal: cannot create " + e.getMessage());
            return EX_CANTCREAT;
        } catch (IOException e) {
            err.println("postal: " + e.getMessage());
            return EX_CONFIG;
        }
    }

    /** An output file (postal.log) could not be created. */
    private static final class CannotCreate extends IOException {
        CannotCreate(String what, IOException cause) {
            super(what + ": " + cause.getMessage(), cause);
        }
    }

    /** After a run against the embedded bhm: the end line, and status 1 unless all arrived intact. */
    private static int check(Sink sink, long sent, PrintStream err) {
        sink.close();   // its own closing log line comes first: the verdict is the run's last line
        Sink.Received got = sink.received();
        err.printf("postal: sent %d messages; the embedded bhm received %d, verified %d, corrupt %d%n", sent,
                got.messages(), got.verified(), got.corrupt());
        return got.messages() == sent && got.verified() == sent && got.corrupt() == 0 ? 0 : EX_MISMATCH;
    }

    /** Runs the load to its end and returns how many messages the servers accepted. */
    private static long runLoad(SmtpLoadConfig config, UserPool recipients, UserPool senders, PrintStream out,
                                PrintStream err, Run run, SmtpLoadCommand command,
                                java.util.function.Supplier<ConfigLoader.Loaded<SmtpLoadConfig>> reloader)
            throws IOException, InterruptedException {
        err.println("postal: seed " + config.workload().seed() + " (repeat the run with --seed "
                + config.workload().seed() + ")");
        SmtpLoad load;
        try {
            load = new SmtpLoad(config, recipients, senders);
        } catch (IOException e) {
            throw new CannotCreate(config.output().log().toString(), e);
        }
        LoadReporter reporter = new LoadReporter("postal", load.stats(), run.service.statistics(out), config.output().json(),
                config.output().interval());
        StatisticsTicker ticker = StatisticsTicker.start("postal", reporter, config.output().interval(),
                load.log()::flush, err);
        ticker.after(config.workload().warmup(), reporter::startMeasuring);
        ticker.after(config.workload().duration(), load::stop);
        ControlServer control;
        Metrics metrics;
        try {
            metrics = Metrics.forLoad(command.metrics.address(), command.histogramLog.file(),
                    config.output().interval(), "postal", config.output().name(), load.stats(), load.schedule());
            LoadControl controls = new LoadControl("postal", load.schedule(), load.stats(), load.transcripts(),
                    config, config.output().interval());
            ConfigReload<SmtpLoadConfig> reload = new ConfigReload<>(reloader, config, (name, next) ->
                    name.equals("workload.rate") ? controls.applyRate(next.workload().rate()) : null, "workload.seed");
            controls.reloading(reload);
            run.service.onReload(reload::hangup);
            control = command.control.start(controls);
        } catch (IOException e) {
            load.close();
            ticker.close();
            throw new CannotCreate("control sockets or the metrics endpoint", e);
        }
        run.started(load);
        load.start();
        long giveUp = System.nanoTime() + config.session().timeout().toNanos();
        boolean unreachable = false;
        boolean logFailed = false;
        try (Service.Running up = run.service.running(load.monitored())) {
            while (!load.awaitFinished(100, TimeUnit.MILLISECONDS)) {
                if (run.immediate()) {
                    break;
                }
                logFailed = WriteFailures.stopOnFailure("postal", err, load::stop, logFailed, load.log().failures(),
                        load.transcripts().failures());
                if (!unreachable && load.stats().connections.sum() == 0 && unreachable(giveUp, config, load)) {
                    // Not one connection in a whole --timeout: the servers are not there; say so and stop.
                    unreachable = true;
                    err.println("postal: no server accepted a connection within "
                            + config.session().timeout().toSeconds() + " s (" + load.stats().failures() + "); stopping");
                    load.stop();
                }
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
        (config.output().json() ? out : err).println(summary);
        out.flush();
        if (unreachable) {
            throw new Unreachable();
        }
        if (WriteFailures.stopOnFailure("postal", err, () -> { }, logFailed, load.log().failures(),
                load.transcripts().failures())) {
            err.println(WriteFailures.lostEntries("postal", load.log().failures(), load.transcripts().failures()));
            throw new LogFailed();
        }
        return load.stats().messages.sum();
    }

    /**
     * Past the deadline with no connection set up. The verdict waits for the first session to
     * fail (its own --timeout ran from its connect, a little after the run began) so that the
     * reason printed is the session's, up to one more --timeout when even that has not come.
     */
    private static boolean unreachable(long giveUp, SmtpLoadConfig config, SmtpLoad load) {
        long late = System.nanoTime() - giveUp;
        return late > 0 && (!load.stats().failures().isEmpty() || late > config.session().timeout().toNanos());
    }

    /** postal.log or a transcript could not be written. */
    private static final class LogFailed extends IOException {
    }

    /** Not one server could be reached. */
    private static final class Unreachable extends IOException {
    }

    /** Hands the run to the signal handlers, whichever comes first. */
    static final class Run {
        final Service service;
        private SmtpLoad load;
        private boolean stop;
        private volatile boolean immediate;

        Run() {
            this(Service.none("postal"));
        }

        Run(Service service) {
            this.service = service;
        }

        synchronized void started(SmtpLoad started) {
            load = started;
            if (stop) {
                load.stop();
            }
        }

        synchronized void stop() {
            stop = true;
            if (load != null) {
                load.stop();
            }
        }

        void stopNow() {
            immediate = true;
            stop();
        }

        boolean immediate() {
            return immediate;
        }
    }
}
