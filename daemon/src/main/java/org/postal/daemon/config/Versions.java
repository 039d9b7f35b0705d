// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.IVersionProvider;

/** The version line of every Postal program, and this host's name. */
public final class Versions implements IVersionProvider {

    public static final String VERSION = "1.0.0";

    @Override
    public String[] getVersion() {
        return new String[] {"${COMMAND-NAME} (Postal) " + VERSION};
    }

    /** The kernel's host name, without a DNS lookup (which may hang on a machine with no network). */
    public static String hostname() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            return name.isEmpty() ? "localhost" : name;
        } catch (IOException e) {
            return "localhost";
        }
    }
}
