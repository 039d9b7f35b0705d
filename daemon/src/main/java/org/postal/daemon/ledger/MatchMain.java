// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.postal.daemon.config.ReportOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * postal-match: matches postal's ledgers against bhm's or rabid's and says, per run and in total,
 * what was delivered once, lost, duplicated, corrupted, misdelivered, unexpected, refused,
 * deferred, still in flight, redelivered (sent again after a lost reply) or unanswered. Exit
 * status 0 when nothing was lost, duplicated, redelivered or corrupted,
 * 1 when something was, 64 on a usage error, 66 when a ledger cannot be read.
 */
public final class MatchMain {
    static final int EX_FOUND = 1;
    static final int EX_USAGE = 64;
    static final int EX_NOINPUT = 66;

    @Command(name = "postal-match", mixinStandardHelpOptions = true, versionProvider = org.postal.daemon.config.Versions.class,
            description = "Match postal's ledgers against bhm's and rabid's (see postal-match(1), postal-ledger(5)).")
    static final class MatchCommand {
        @Option(names = "--cutoff", paramLabel = "DURATION", defaultValue = "30s",
                converter = ReportOptions.DurationConverter.class,
                description = "Messages accepted this close to the end of the receivers' ledgers are in flight, "
                        + "not lost (default: ${DEFAULT-VALUE}).")
        Duration cutoff;

        @Option(names = "--examples", paramLabel = "N", defaultValue = "10",
                description = "Name the first N identities of each bad class (default: ${DEFAULT-VALUE}).")
        int examples;

        @Option(names = "--lists", description = "postal's recipients are list addresses: arrivals for other "
                + "recipients are the list's fan-out, reported per post.")
        boolean lists;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @Parameters(paramLabel = "ledger", arity = "2..*", description = "postal, bhm and rabid ledgers, in any order.")
        List<Path> ledgers;
    }

    private MatchMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new MatchCommand());
        MatchCommand command;
        Match.Options options;
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return 0;
            }
            command = cli.getCommand();
            options = new Match.Options(command.cutoff.toMillis(), command.examples, command.lists);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            err.println("postal-match: " + e.getMessage());
            err.println("Usage: postal-match [--json] [--cutoff DURATION] [--examples N] [--lists] ledger... (try --help)");
            return EX_USAGE;
        }
        Match.Result result;
        try {
            result = new Match(options).run(command.ledgers);
        } catch (IOException e) {
            err.println("postal-match: " + e.getMessage());
            return EX_NOINPUT;
        }
        if (command.json) {
            out.println(MatchReport.json(result));
        } else {
            MatchReport.text(result, out);
        }
        out.flush();
        return result.failed() ? EX_FOUND : 0;
    }
}
