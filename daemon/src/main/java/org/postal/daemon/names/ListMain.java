// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import org.postal.daemon.service.Sysexits;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import picocli.CommandLine;

/** Entry point of {@code postal-list input-file conversion-file}. */
public final class ListMain {

    private ListMain() {
    }

    public static void main(String[] args) {
        // Not System.out: a PrintStream hides write errors, so a closed pipe would not stop the output.
        System.exit(run(args, System.in, new FileOutputStream(FileDescriptor.out), System.err));
    }

    static int run(String[] args, InputStream stdin, OutputStream stdout, PrintStream err) {
        CommandLine cli = new CommandLine(new ListCommand());
        cli.setOut(new java.io.PrintWriter(new OutputStreamWriter(stdout, UTF_8), true));
        ListCommand command;
        try {
            if (CommandLine.printHelpIfRequested(cli.parseArgs(args))) {
                return 0;
            }
            command = cli.getCommand();
            if (command.max < 1) {
                throw new CommandLine.ParameterException(cli, "--max must be at least 1, not " + command.max);
            }
        } catch (CommandLine.ParameterException e) {
            err.println("postal-list: " + e.getMessage());
            err.println("Usage: postal-list [--max N] input-file conversion-file (try --help)");
            return Sysexits.EX_USAGE;
        }
        Writer out = new BufferedWriter(new OutputStreamWriter(stdout, UTF_8), 1 << 16);
        try (Lines names = command.input.equals("-") ? Lines.of(stdin, "-") : Lines.open(command.input)) {
            ConversionFile conversion = command.conversion.equals("-") ? ConversionFile.NONE
                    : read(command.conversion, command.max);
            long skipped = new Lister(conversion, out, err).list(names);
            out.flush();
            return skipped == 0 ? 0 : Sysexits.EX_DATAERR;
        } catch (Lines.CannotOpen e) {
            err.println("postal-list: " + e.getMessage());
            return Sysexits.EX_NOINPUT;
        } catch (InputError e) {
            err.println("postal-list: " + e.getMessage());
            try {
                out.flush(); // the names before the bad line are listed, however much was buffered
            } catch (IOException ignored) {
                // already failing; the status says so
            }
            return Sysexits.EX_DATAERR;
        } catch (IOException e) {
            err.println("postal-list: I/O error: " + e.getMessage());
            return Sysexits.EX_IOERR;
        }
    }

    private static ConversionFile read(String file, long max) throws IOException, InputError {
        try (Lines lines = Lines.open(file)) {
            return ConversionFile.read(lines, max);
        }
    }
}
