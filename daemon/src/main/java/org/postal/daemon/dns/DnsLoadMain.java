// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.control.ControlServer;
import org.postal.daemon.service.StopSignals;
import picocli.CommandLine;

/**
 * Entry point of {@code postal-dns}: a mail server's DNS questions at an exact rate against a
 * resolver, or written out for dnsperf and resperf. The first SIGINT or SIGTERM stops asking and
 * waits for the answers in flight (at most --timeout); the second ends at once. Either way the
 * summary is printed.
 */
public final class DnsLoadMain {

    static final int EX_USAGE = 64;
    static final int EX_NOINPUT = 66;
    static final int EX_UNAVAILABLE = 69;

    private DnsLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        DnsLoadCommand command = new DnsLoadCommand();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        QuerySource source;
        DnsLoadConfig config;
        try {
            if (CommandLine.printHelpIfRequested(cli.parseArgs(args))) {
                return 0;
            }
            if (command.writeQueries != null) {
                return write(command, out);
            }
            config = command.toConfig();
            source = command.source();
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            err.println("postal-dns: " + e.getMessage());
            err.println("Try 'postal-dns --help' for more information.");
            return EX_USAGE;
        } catch (IOException e) {
            err.println("postal-dns: " + e.getMessage());
            return EX_NOINPUT;
        }
        return runLoad(config, source, command, out, err);
    }

    /** --write-queries N: the generated questions in dnsperf's format. */
    private static int write(DnsLoadCommand command, PrintStream out) throws IOException {
        if (command.writeQueries < 1) {
            throw new IllegalArgumentException("--write-queries wants a positive count");
        }
        MailQueries queries = new MailQueries(command.workload());
        StringBuilder text = new StringBuilder(1 << 16);
        for (long i = 0; i < command.writeQueries; i++) {
            text.append(queries.next()).append('\n');
            if (text.length() > 60_000) {
                out.print(text);
                text.setLength(0);
            }
        }
        out.print(text);
        out.flush();
        return out.checkError() ? EX_UNAVAILABLE : 0;
    }

    private static int runLoad(DnsLoadConfig config, QuerySource source, DnsLoadCommand command, PrintStream out,
                               PrintStream err) throws Exception {
        DnsLoad load = new DnsLoad(config, source);
        DnsReporter reporter = new DnsReporter(load.stats(), out, config.json(), config.interval());
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "postal-dns-statistics");
            t.setDaemon(true);
            return t;
        });
        StopSignals.install(load::stop, () -> {
            load.close();
            out.println(reporter.summary());
            Runtime.getRuntime().halt(0);
        });
        try (load; ControlServer control = command.control.start(new DnsControl(load))) {
            try {
                load.start();
            } catch (Exception e) {
                err.println("postal-dns: cannot open a socket to " + config.server() + ": " + e.getMessage());
                return EX_UNAVAILABLE;
            }
            reporter.start();
            long period = config.interval().toMillis();
            clock.scheduleAtFixedRate(reporter::row, period - System.currentTimeMillis() % period, period,
                    TimeUnit.MILLISECONDS);
            if (command.warmup != null) {
                clock.schedule(reporter::startMeasuring, command.warmup.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (config.duration() != null) {
                // The sockets end the run at its exact time on the schedule; this is for a run paused past its end.
                clock.schedule(load::stop, config.duration().toMillis() + 1000, TimeUnit.MILLISECONDS);
            }
            while (!load.awaitFinished(1, TimeUnit.SECONDS)) {
                // waits for --count, --duration or a signal
            }
            clock.shutdownNow();
            (config.json() ? out : err).println(reporter.summary());
            out.flush();
            return 0;
        }
    }
}
