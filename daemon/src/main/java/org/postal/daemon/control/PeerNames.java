// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** User names for the uids SO_PEERCRED reports, from /etc/passwd (the JDK has no getpwuid). */
final class PeerNames {

    private PeerNames() {
    }

    /** "uid 1000 (alice)", or "uid 1000" when the passwd file does not name it. */
    static String describe(int uid) {
        String name = userName(Path.of("/etc/passwd"), uid);
        return "uid " + uid + (name == null ? "" : " (" + name + ")");
    }

    static String userName(Path passwd, int uid) {
        try {
            List<String> lines = Files.readAllLines(passwd, StandardCharsets.UTF_8);
            for (String line : lines) {
                String[] fields = line.split(":", 4);
                if (fields.length >= 3 && fields[2].equals(Integer.toString(uid))) {
                    return fields[0];
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
