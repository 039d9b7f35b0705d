// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import java.nio.file.Path;
import org.postal.daemon.service.Sysexits;

/**
 * A config file that cannot be used, located as {@code file:line: reason} (or {@code file: reason}
 * when no one line is at fault), with the exit status a program reports it with.
 */
public final class ConfigError extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String reason;
    private final int exitCode;

    private ConfigError(Path file, int line, String reason, int exitCode) {
        super((file == null ? "" : file + (line > 0 ? ":" + line : "") + ": ") + reason, null, false, false);
        this.file = file;
        this.line = line;
        this.reason = reason;
        this.exitCode = exitCode;
    }

    /** The file cannot be opened or read (exit 66). */
    static ConfigError cannotRead(Path file, String reason) {
        return new ConfigError(file, 0, "cannot read: " + reason, Sysexits.EX_NOINPUT);
    }

    /** Line {@code line} of the file is wrong (exit 78). */
    public static ConfigError at(Path file, int line, String reason) {
        return new ConfigError(file, line, reason, Sysexits.EX_CONFIG);
    }

    /** The file as a whole is wrong, or a combination of its settings (exit 78); {@code file} null: no file. */
    static ConfigError in(Path file, String reason) {
        return new ConfigError(file, 0, reason, Sysexits.EX_CONFIG);
    }

    /** The config file at fault; null for a fault of the command line that came to light on a reload. */
    public Path file() {
        return file;
    }

    /** The line at fault, counted from 1, or 0 when no single line is. */
    public int line() {
        return line;
    }

    /** What is wrong, without the location. */
    public String reason() {
        return reason;
    }

    /** 66 ({@code Sysexits.EX_NOINPUT}) when the file cannot be read, 78 ({@code Sysexits.EX_CONFIG}) when its content is wrong. */
    public int exitCode() {
        return exitCode;
    }
}
