// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * postal-report: merges the HdrHistogram interval logs of several machines (--histogram-log) into
 * one run report: per phase the count and percentiles of all machines together (their histograms
 * added, so exact to HdrHistogram's 0.1%, never an average of percentiles), then each machine's
 * own, then per minute. With --before, it compares two runs instead (see {@link RunComparison}).
 * Exit status 0, 64 on a usage error, 66 when a log cannot be read.
 */
public final class ReportMain {
    static final int EX_USAGE = 64;
    static final int EX_NOINPUT = 66;

    @Command(name = "postal-report", mixinStandardHelpOptions = true,
            versionProvider = org.postal.daemon.config.Versions.class,
            description = "Merge the HdrHistogram interval logs of postal and rabid (--histogram-log) from any "
                    + "number of machines into one report (see postal-report(1)).")
    static final class ReportCommand {
        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @Option(names = "--before", paramLabel = "log",
                description = "Compare with this earlier run's interval logs (repeat for each machine's): each "
                        + "phase's percentiles side by side and whether the change exceeds the run-to-run noise.")
        List<Path> before;

        @Parameters(paramLabel = "log", arity = "1..*",
                description = "Interval logs, one or more per machine; each file is a machine in the report.")
        List<Path> logs;
    }

    private ReportMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new ReportCommand());
        ReportCommand command;
        try {
            if (CommandLine.printHelpIfRequested(cli.parseArgs(args))) {
                return 0;
            }
            command = cli.getCommand();
        } catch (CommandLine.ParameterException e) {
            err.println("postal-report: " + e.getMessage());
            err.println("Usage: postal-report [--json] [--before log]... log... (try --help)");
            return EX_USAGE;
        }
        RunReport report;
        RunReport before = null;
        try {
            report = RunReport.read(command.logs);
            if (command.before != null) {
                before = RunReport.read(command.before);
            }
        } catch (IOException e) {
            err.println("postal-report: " + e.getMessage());
            return EX_NOINPUT;
        }
        if (before != null) {
            RunComparison comparison = new RunComparison(before, report);
            if (command.json) {
                out.println(comparison.json());
            } else {
                comparison.text(out);
            }
        } else if (command.json) {
            out.println(report.json());
        } else {
            report.text(out);
        }
        out.flush();
        return 0;
    }
}
