// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.service.RunHandle;

/** rabid when its transcript cannot be written: one line, the summary, exit 74, no stack trace. */
@Timeout(60)
class RabidLogFailureIT {

    @TempDir
    Path dir;

    private ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    /** A POP3 server that greets and refuses every command: enough bytes for a transcript. */
    private void refuseEverything() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    OutputStream out = socket.getOutputStream();
                    out.write("+OK hostile POP3\r\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = socket.getInputStream();
                    for (int b; (b = in.read()) != -1; ) {
                        if (b == '\n') {
                            out.write("-ERR no\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                } catch (IOException e) {
                    // closed by the test, or reset by rabid
                }
            }
        }, "refusing-pop3");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Test
    void aTranscriptOnAFullDiskStopsTheRunWithExit74() throws Exception {
        refuseEverything();
        // /dev/full fails every write with ENOSPC, as a full log disk does; rabid's slots count from 1.
        Files.createSymbolicLink(dir.resolve("t:1"), Path.of("/dev/full"));
        Path users = dir.resolve("users");
        Files.write(users, List.of("a@example.com pw"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = RabidMain.run(new String[] {"--json", "--interval", "1h", "--log-dir", dir.toString(),
            "-z", dir.resolve("t").toString(), "-p", "1", "--count", "1000", "[127.0.0.1]" + server.getLocalPort(),
            users.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new RunHandle("rabid"));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as(errors).isEqualTo(74);
        assertThat(errors).contains("rabid: cannot write " + dir.resolve("t:1") + ": No space left on device; stopping")
                .contains("entries were not written").doesNotContain("Exception", "\tat ");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"type\":\"total\"");
    }
}
