// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.load.smtp.ScriptedServer.Answer;
import org.postal.daemon.service.RunHandle;

/** postal --announce xclient against scripted servers: XCLIENT taken, refused, or not offered. */
class XclientIT {

    private static final int EX_UNAVAILABLE = 69;
    private static final String OFFER = "250-scripted\r\n250 XCLIENT NAME ADDR PROTO HELO PORT\r\n";

    @TempDir
    Path dir;

    private ScriptedServer server;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger xclients = new AtomicInteger();
    private final AtomicInteger ehlos = new AtomicInteger();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private int postal(ScriptedServer.Script script) throws Exception {
        server = new ScriptedServer((connection, command) -> {
            (command.equals("XCLIENT") ? xclients : command.equals("EHLO") ? ehlos : new AtomicInteger()).incrementAndGet();
            return script.answer(connection, command);
        });
        Path users = dir.resolve("users");
        Files.write(users, List.of("a@example.com"));
        String[] args = {"--json", "--interval", "1h", "--log-dir", dir.toString(), "-p", Integer.toString(server.port()),
                "-t", "2", "--count", "4", "--timeout", "5s", "--announce", "xclient", "-l", "198.51.100.0/30",
                "127.0.0.1", users.toString()};
        return SmtpLoadMain.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new RunHandle("postal"));
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachConnectionAnnouncesOnceThenGreetsAgain() throws Exception {
        int status = postal((connection, command) -> switch (command) {
            case "EHLO" -> new Answer(OFFER, false);
            case "XCLIENT" -> Answer.reply("220 scripted ESMTP");
            default -> ScriptedServer.normal(command);
        });
        assertThat(status).as(errors()).isZero();
        assertThat(server.connections()).isEqualTo(4);
        assertThat(xclients.get()).isEqualTo(4);
        assertThat(ehlos.get()).isEqualTo(8);
    }

    @Test
    void aRefusalStopsTheRunWithTheReason() throws Exception {
        int status = postal((connection, command) -> switch (command) {
            case "EHLO" -> new Answer(OFFER, false);
            case "XCLIENT" -> Answer.reply("550 5.7.0 Error: insufficient authorization");
            default -> ScriptedServer.normal(command);
        });
        assertThat(status).as(errors()).isEqualTo(EX_UNAVAILABLE);
        assertThat(errors()).contains("--announce xclient: the server refused (XCLIENT 550)")
                .doesNotContain("Exception");
    }

    @Test
    void aServerThatDoesNotOfferItStopsTheRun() throws Exception {
        int status = postal((connection, command) -> ScriptedServer.normal(command));
        assertThat(status).as(errors()).isEqualTo(EX_UNAVAILABLE);
        assertThat(errors()).contains("the server refused (XCLIENT not offered)");
        assertThat(xclients.get()).isZero();
    }
}
