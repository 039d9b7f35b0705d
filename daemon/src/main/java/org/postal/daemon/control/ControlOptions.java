// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.postal.ctl.protocol.ControlPaths;
import picocli.CommandLine.Option;

/**
 * {@code --name} and {@code --control-dir}, common to bhm, postal and rabid (doc/DECISIONS.md §2).
 *
 * <p>Sockets are made when {@code --control-dir} is given, or else when the default
 * {@code /run/postal} exists and is writable (a service, or a user who made it); a foreground run
 * without either simply has none, so 0.76-style use needs no set-up and never fails for lack of
 * them. A directory given explicitly that cannot be used stops the start.
 */
public final class ControlOptions {

    @Option(names = "--name", paramLabel = "NAME",
            description = "Name of this instance: names its control sockets (default: the program's name).")
    String name;

    @Option(names = "--control-dir", paramLabel = "DIR",
            description = "Directory for NAME.sock (admin) and NAME-status.sock (read-only) "
                    + "(default: /run/postal, when it exists and is writable).")
    Path controlDir;

    /** The instance name: --name, or the program's. */
    public String name(String program) {
        return name == null ? program : ControlPaths.checkName(name);
    }

    /** Where the sockets go, or null for none (see the class comment). */
    public Path directory() {
        if (controlDir != null) {
            return controlDir;
        }
        Path dir = ControlPaths.DEFAULT_DIR;
        return Files.isDirectory(dir) && Files.isWritable(dir) ? dir : null;
    }

    /**
     * Serves the sockets for {@code target}, or returns null when there is no directory for them.
     *
     * @throws IOException when the sockets cannot be made (the message names the path)
     */
    public ControlServer start(Controllable target) throws IOException {
        Path dir = directory();
        if (dir == null) {
            return null;
        }
        String instance;
        try {
            instance = name(target.program());
        } catch (IllegalArgumentException e) {
            throw new IOException("--name: " + e.getMessage());
        }
        return ControlServer.start(dir, instance, target);
    }
}
