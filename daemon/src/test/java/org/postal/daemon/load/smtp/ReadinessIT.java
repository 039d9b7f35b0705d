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
import org.postal.daemon.load.smtp.ScriptedServer.Answer;
import org.postal.daemon.service.RunHandle;

/**
 * postal --count against a server that accepts connections but never becomes ready: the run ends
 * with exit 69 and a one-line reason instead of retrying the first message for ever.
 */
@Timeout(60)
class ReadinessIT {

    private static final int EX_UNAVAILABLE = 69;

    @TempDir
    Path dir;

    private ScriptedServer server;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private int postal(ScriptedServer.Script script) throws Exception {
        server = new ScriptedServer(script);
        Path users = dir.resolve("users");
        Files.write(users, List.of("a@example.com"));
        String[] args = {"--json", "--interval", "1h", "--log-dir", dir.toString(), "-p", Integer.toString(server.port()),
                "-t", "2", "--count", "3", "--timeout", "1s", "127.0.0.1", users.toString()};
        return SmtpLoadMain.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new RunHandle("postal"));
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void assertUnavailable(int status, String failure) {
        assertThat(status).as(errors()).isEqualTo(EX_UNAVAILABLE);
        assertThat(errors()).contains("postal: no server", failure).doesNotContain("Exception", "\tat ");
        assertThat(server.connections()).isPositive();
    }

    @Test
    void aServerThatNeverGreets() throws Exception {
        assertUnavailable(postal((connection, command) -> Answer.SILENCE), "banner");
    }

    @Test
    void aServerThatGreetsWith421() throws Exception {
        assertUnavailable(postal((connection, command) -> command.equals("CONNECT")
                ? Answer.replyAndClose("421 4.3.2 scripted: not now") : Answer.SILENCE), "421");
    }

    @Test
    void aServerThatGreetsWithGarbage() throws Exception {
        assertUnavailable(postal((connection, command) -> command.equals("CONNECT")
                ? Answer.reply("hello, this is not SMTP") : Answer.SILENCE), "banner protocol");
    }

    @Test
    void aServerWhoseEhloReplyNeverEnds() throws Exception {
        String endless = "250-scripted\r\n".repeat(10_000);
        assertUnavailable(postal((connection, command) -> command.equals("EHLO") ? new Answer(endless, false)
                : ScriptedServer.normal(command)), "ehlo protocol");
    }

    @Test
    void aServerThatRefusesEveryEhlo() throws Exception {
        assertUnavailable(postal((connection, command) -> command.equals("EHLO") || command.equals("HELO")
                ? Answer.reply("554 5.7.1 scripted: go away") : ScriptedServer.normal(command)), "ehlo 554");
    }
}
