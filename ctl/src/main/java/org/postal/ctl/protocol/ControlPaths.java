// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl.protocol;

import java.nio.file.Path;

/** Where a daemon's two sockets are: {@code DIR/NAME.sock} (admin) and {@code DIR/NAME-status.sock} (read-only). */
public final class ControlPaths {

    /** The default control directory, made by systemd's {@code RuntimeDirectory=postal}. */
    public static final Path DEFAULT_DIR = Path.of("/run/postal");

    private ControlPaths() {
    }

    public static Path admin(Path dir, String name) {
        return dir.resolve(checkName(name) + ".sock");
    }

    public static Path status(Path dir, String name) {
        return dir.resolve(checkName(name) + "-status.sock");
    }

    /** A daemon name is a file-name stem: letters, digits and {@code @ . _ -}, not starting with a dot. */
    public static String checkName(String name) {
        if (name.isEmpty() || name.length() > 64 || name.startsWith(".") || !name.matches("[A-Za-z0-9@._-]+")) {
            throw new IllegalArgumentException("bad daemon name \"" + name
                    + "\": use letters, digits and @ . _ - (at most 64, not starting with a dot)");
        }
        return name;
    }
}
