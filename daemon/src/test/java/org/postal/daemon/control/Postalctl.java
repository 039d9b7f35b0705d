// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.control;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.postal.ctl.PostalCtl;

/** postalctl run in-process for tests: its exit status and what it printed. */
public record Postalctl(int code, String out, String err) {

    public static Postalctl run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PostalCtl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Postalctl(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** postalctl with {@code --control-dir dir} before the other arguments. */
    public static Postalctl in(Path dir, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--control-dir";
        all[1] = dir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return run(all);
    }

    /** Waits up to ten seconds for a daemon's sockets to appear. */
    public static void awaitSocket(Path socket) throws InterruptedException {
        for (int i = 0; i < 500 && !Files.exists(socket); i++) {
            Thread.sleep(20);
        }
        if (!Files.exists(socket)) {
            throw new AssertionError("no socket " + socket);
        }
    }
}
