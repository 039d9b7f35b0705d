// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import org.postal.daemon.config.ConfigError;
import org.postal.daemon.config.ConfigLoader;
import org.postal.daemon.control.ControlServer;
import org.postal.daemon.service.JsvcProgram;
import org.postal.daemon.service.Service;
import org.postal.daemon.service.StopSignals;
import picocli.CommandLine;

/** Entry point of {@code bhm}: parse, start, wait for a signal, --count or --duration, stop cleanly. */
public final class SinkMain {

    static final int EX_USAGE = 64;
    static final int EX_NOINPUT = 66;
    static final int EX_UNAVAILABLE = 69;
    static final int EX_CANTCREAT = 73;
    static final int EX_CONFIG = 78;
    /** A second stop signal before the clean stop finished. */
    static final int EX_INTERRUPTED = 130;

    private SinkMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Service service = Service.fromEnvironment("bhm");
        // Leak tracking samples stack traces on the hot path (1% of bhm's CPU); the tests keep it on.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        Running running = new Running(service);
        StopSignals.install(running::signal, () -> Runtime.getRuntime().halt(EX_INTERRUPTED));
        System.exit(run(args, System.out, System.err, running));
    }

    /** bhm under jsvc ({@code org.postal.daemon.JsvcDaemon}): binds its sockets as root, then this run. */
    public static JsvcProgram<?, ?> jsvc() {
        return new JsvcProgram<>("bhm", args -> ConfigLoader.load(SinkCommand::new, SinkCommand::toConfig, args),
                SinkBinding::bind, Running::new, SinkMain::run, Running::signal);
    }

    static int run(String[] args, PrintStream out, PrintStream err, Running running) throws InterruptedException {
        CommandLine cli = new CommandLine(new SinkCommand());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        SinkConfig config;
        SinkCommand command;
        try {
            CommandLine.ParseResult parsed = ConfigLoader.parseArgs(cli, args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return 0;
            }
            command = cli.getCommand();
            config = ConfigLoader.toConfig(cli, SinkCommand::toConfig);
        } catch (CommandLine.ParameterException e) {
            err.println("bhm: " + e.getMessage());
            err.println("Try 'bhm --help' for more information.");
            return EX_USAGE;
        } catch (IllegalArgumentException e) {
            err.println("bhm: " + e.getMessage());
            return EX_USAGE;
        } catch (ConfigError e) {
            err.println("bhm: " + e.getMessage());
            return e.exitCode();
        }
        Sink sink;
        try {
            sink = Sink.start(config, running.service.statistics(out), running.service.listenFds());
        } catch (NoSuchFileException e) {
            err.println("bhm: cannot open \"" + e.getFile() + "\": no such file");
            return EX_NOINPUT;
        } catch (IOException e) {
            err.println("bhm: " + e.getMessage());
            return EX_CONFIG;
        } catch (SinkServer.BindFailure | IllegalArgumentException e) {
            err.println("bhm: " + e.getMessage());
            return EX_UNAVAILABLE;
        }
        ControlServer control;
        try {
            SinkControl controls = new SinkControl(sink).reloading(
                    () -> ConfigLoader.load(SinkCommand::new, SinkCommand::toConfig, args), config);
            running.service.onReload(controls::hangup);
            control = command.control.start(controls);
        } catch (IOException e) {
            sink.close();
            err.println("bhm: " + e.getMessage());
            return EX_CANTCREAT;
        }
        running.started(sink);
        try (Service.Running up = running.service.running(sink.monitored())) {
            sink.awaitStopRequest();
        }
        if (control != null) {
            control.close();
        }
        sink.close();
        return 0;
    }

    /** Hands a started sink to the signal handler, whichever of the two comes first. */
    static final class Running {
        final Service service;
        private Sink sink;
        private boolean signalled;

        Running() {
            this(Service.none("bhm"));
        }

        Running(Service service) {
            this.service = service;
        }

        synchronized void started(Sink started) {
            sink = started;
            if (signalled) {
                sink.requestStop();
            }
        }

        synchronized void signal() {
            signalled = true;
            if (sink != null) {
                sink.requestStop();
            }
        }
    }
}
