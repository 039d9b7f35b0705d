// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.service.RunHandle;

/** postal when postal.log cannot be written: one line, the summary, exit 74, no stack trace. */
@Timeout(60)
class LogFailureIT {

    @TempDir
    Path dir;

    private ScriptedServer server;

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aFullLogDiskStopsTheRunWithExit74() throws Exception {
        server = new ScriptedServer((connection, command) -> ScriptedServer.normal(command));
        // /dev/full fails every write with ENOSPC, as a full log disk does.
        Files.createSymbolicLink(dir.resolve("postal.log"), Path.of("/dev/full"));
        Path users = dir.resolve("users");
        Files.write(users, List.of("a@example.com"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // postal.log is written 64 KiB at a time: a 1 KiB message's line is far less, so the
        // failure comes at the last flush, after the run; -a writes each message at once.
        int status = SmtpLoadMain.run(new String[] {"--json", "--interval", "1h", "--log-dir", dir.toString(), "-a",
            "-p", Integer.toString(server.port()), "-t", "1", "--count", "1000", "-m", "1", "127.0.0.1",
            users.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new RunHandle("postal"));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as(errors).isEqualTo(74);
        assertThat(errors).contains("postal: cannot write " + dir.resolve("postal.log")
                + ": No space left on device; stopping").contains("entries were not written")
                .doesNotContain("Exception", "\tat ");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"messages\":");
        assertThat(server.messages()).isLessThan(1000);
    }
}
