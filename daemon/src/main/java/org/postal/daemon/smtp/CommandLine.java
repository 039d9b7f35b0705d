// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

/**
 * One decoded command line.
 *
 * @param verb     the parsed verb
 * @param argument the text after the verb and one space, or "" (AUTH continuations use {@code line})
 * @param line     the whole line without CRLF, kept for logs and for AUTH continuation lines
 */
public record CommandLine(Verb verb, String argument, String line) {

    /** Splits a raw line into verb and argument. */
    public static CommandLine parse(String line) {
        Verb verb = Verb.of(line);
        int space = line.indexOf(' ');
        String argument = space < 0 ? "" : line.substring(space + 1);
        return new CommandLine(verb, argument, line);
    }
}
