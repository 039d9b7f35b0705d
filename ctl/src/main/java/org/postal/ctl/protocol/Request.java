// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One control request: {@code {"v":1,"command":"rate","args":["500/s"]}}.
 *
 * <p>The compact constructor checks everything both sides rely on: the protocol version, the
 * argument count of the command, no control characters in arguments, and the shapes of the
 * {@code set} and {@code transcript} arguments. A bad request throws IllegalArgumentException
 * with a message fit for the client.
 */
public record Request(int v, Command command, List<String> args) {

    /** The only protocol version so far. */
    public static final int VERSION = 1;
    /** Longest argument, in characters. */
    public static final int MAX_ARG = 1024;

    public Request {
        Objects.requireNonNull(command, "command");
        args = List.copyOf(args);
        if (v != VERSION) {
            throw new IllegalArgumentException("unsupported protocol version " + v + " (this side speaks " + VERSION + ")");
        }
        if (args.size() < command.minArgs() || args.size() > command.maxArgs()) {
            throw new IllegalArgumentException(command.word() + " takes "
                    + (command.maxArgs() == 0 ? "no arguments" : command.synopsis()));
        }
        for (String arg : args) {
            if (arg.length() > MAX_ARG) {
                throw new IllegalArgumentException("argument longer than " + MAX_ARG + " characters");
            }
            if (arg.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("control character in argument");
            }
        }
        if (command == Command.SET && (args.get(0).indexOf('=') < 1)) {
            throw new IllegalArgumentException("set takes KEY=VALUE, not \"" + args.get(0) + "\"");
        }
        if (command == Command.TRANSCRIPT && !args.get(0).equals("on") && !args.get(0).equals("off")) {
            throw new IllegalArgumentException("transcript takes on or off, not \"" + args.get(0) + "\"");
        }
    }

    /** A version-1 request. */
    public static Request of(Command command, String... args) {
        return new Request(VERSION, command, List.of(args));
    }

    /** The single argument, or null. */
    public String arg() {
        return args.isEmpty() ? null : args.get(0);
    }
}
