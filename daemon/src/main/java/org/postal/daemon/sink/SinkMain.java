// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import org.postal.daemon.config.ConfigError;
import org.postal.daemon.config.ConfigLoader;
import org.postal.daemon.control.ControlServer;
import org.postal.daemon.metrics.Metrics;
import org.postal.daemon.service.JsvcProgram;
import org.postal.daemon.service.MemoryLock;
import org.postal.daemon.service.RunHandle;
import org.postal.daemon.service.Service;
import org.postal.daemon.service.StopSignals;
import org.postal.daemon.service.Sysexits;
import picocli.CommandLine;

/** Entry point of {@code bhm}: parse, start, wait for a signal, --count or --duration, stop cleanly. */
public final class SinkMain {

    private SinkMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Service service = Service.fromEnvironment("bhm");
        // Leak tracking samples stack traces on the hot path (1% of bhm's CPU); the tests keep it on.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        RunHandle running = new RunHandle(service);
        StopSignals.install(running::stop, () -> Runtime.getRuntime().halt(Sysexits.EX_INTERRUPTED));
        System.exit(run(args, System.out, System.err, running));
    }

    /** bhm under jsvc ({@code org.postal.daemon.JsvcDaemon}): binds its sockets as root, then this run. */
    public static JsvcProgram<?, ?> jsvc() {
        return new JsvcProgram<>("bhm", args -> ConfigLoader.load(SinkCommand::new, SinkCommand::toConfig, args),
                SinkBinding::bind, RunHandle::new, SinkMain::run, RunHandle::stop);
    }

    static int run(String[] args, PrintStream out, PrintStream err, RunHandle running) throws InterruptedException {
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
            return Sysexits.EX_USAGE;
        } catch (IllegalArgumentException e) {
            err.println("bhm: " + e.getMessage());
            return Sysexits.EX_USAGE;
        } catch (ConfigError e) {
            err.println("bhm: " + e.getMessage());
            return e.exitCode();
        }
        int locked = MemoryLock.lockIfWanted(command.memory.wanted(), "bhm", err);
        if (locked != 0) {
            return locked;
        }
        Sink sink;
        try {
            sink = Sink.start(config, running.service().statistics(out), running.service().listenFds());
        } catch (NoSuchFileException e) {
            err.println("bhm: cannot open \"" + e.getFile() + "\": no such file");
            return Sysexits.EX_NOINPUT;
        } catch (IOException e) {
            err.println("bhm: " + e.getMessage());
            return Sysexits.EX_CONFIG;
        } catch (SinkServer.BindFailure | IllegalArgumentException e) {
            err.println("bhm: " + e.getMessage());
            return Sysexits.EX_UNAVAILABLE;
        }
        ControlServer control;
        Metrics metrics;
        try {
            metrics = Metrics.forSink(command.metrics.address(), command.control.name("bhm"), sink);
            SinkControl controls = new SinkControl(sink).reloading(
                    () -> ConfigLoader.load(SinkCommand::new, SinkCommand::toConfig, args), config);
            running.service().onReload(controls::hangup);
            control = command.control.start(controls);
        } catch (IOException e) {
            sink.close();
            err.println("bhm: " + e.getMessage());
            return Sysexits.EX_CANTCREAT;
        }
        running.started(sink::requestStop);
        try (Service.Running up = running.service().running(sink.monitored())) {
            sink.awaitStopRequest();
        }
        if (control != null) {
            control.close();
        }
        sink.close();
        metrics.close();
        return 0;
    }
}
