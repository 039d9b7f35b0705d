// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.function.Function;
import java.util.function.Supplier;
import org.postal.daemon.service.Sysexits;
import picocli.CommandLine;

/**
 * A program's command line (and the file {@code --config} names) made into its config record, with
 * the answers every program gives the same way: --help and --version on stdout (exit 0); a wrong
 * option or value on stderr with a pointer to --help (exit 64); a wrong config file with its file
 * and line (exit 66 or 78).
 *
 * @param <R> the program's config record
 */
public sealed interface ProgramArgs<R> {

    /** The config to run with. */
    record Run<R>(R config) implements ProgramArgs<R> {
    }

    /** Nothing to run: exit with this status (0 after --help or --version). */
    record Exit<R>(int status) implements ProgramArgs<R> {
    }

    /** Parses {@code args} into a fresh {@code command}, then checks it with {@code toConfig}. */
    static <C, R> ProgramArgs<R> parse(String program, Supplier<C> command, Function<C, R> toConfig, String[] args,
                                       PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(command.get());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        try {
            if (CommandLine.printHelpIfRequested(ConfigLoader.parseArgs(cli, args))) {
                return new Exit<>(0);
            }
            return new Run<>(ConfigLoader.toConfig(cli, toConfig));
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            err.println(program + ": " + e.getMessage());
            err.println("Try '" + program + " --help' for more information.");
            return new Exit<>(Sysexits.EX_USAGE);
        } catch (ConfigError e) {
            err.println(program + ": " + e.getMessage());
            return new Exit<>(e.exitCode());
        }
    }
}
