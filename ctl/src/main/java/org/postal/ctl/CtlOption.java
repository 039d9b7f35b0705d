// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * postalctl's options: the one list that {@code --help}, the parser, postalctl(1) and the bash
 * completion are checked against.
 */
enum CtlOption {
    JSON(List.of("--json"), null, "print the daemon's JSON response lines as they are"),
    SOCKET(List.of("--socket"), "PATH", "use this socket instead of the default one"),
    CONTROL_DIR(List.of("--control-dir"), "DIR", "where the sockets are (default: /run/postal)"),
    SSH(List.of("--ssh"), "HOST", "the daemon on HOST, through ssh; repeated, every HOST's, merged"),
    SPLIT(List.of("--split"), null, "with --ssh, rate N: each HOST takes N divided by their number"),
    AT(List.of("--at"), "TIME", "send at TIME (2026-12-08T01:30:00Z, or +SECONDS), on each HOST's clock"),
    HELP(List.of("-h", "--help"), null, "this text");

    private final List<String> names;
    private final String value;
    private final String help;

    CtlOption(List<String> names, String value, String help) {
        this.names = names;
        this.value = value;
        this.help = help;
    }

    List<String> names() {
        return names;
    }

    /** The value's name in usage text, e.g. PATH; null for a flag. */
    String value() {
        return value;
    }

    /** The option for a name as written on the command line. */
    static Optional<CtlOption> of(String name) {
        for (CtlOption option : values()) {
            if (option.names.contains(name)) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }

    /** The Options part of {@code --help}: one line per option, help text in column 25. */
    static String usage() {
        StringBuilder out = new StringBuilder("Options:");
        for (CtlOption option : values()) {
            String shortName = option.names.stream().filter(n -> !n.startsWith("--")).findFirst().orElse(null);
            String longNames = option.names.stream().filter(n -> n.startsWith("--")).collect(Collectors.joining(", "));
            String left = (shortName == null ? "    " : shortName + ", ") + longNames
                    + (option.value == null ? "" : " " + option.value);
            out.append(String.format("%n  %-21s  %s", left, option.help));
        }
        return out.toString();
    }
}
