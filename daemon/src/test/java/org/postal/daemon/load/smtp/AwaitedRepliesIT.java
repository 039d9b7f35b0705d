// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.load.smtp.ScriptedServer.Answer;
import org.postal.daemon.service.RunHandle;

/**
 * postal against a scripted server that misbehaves once: what each awaited reply's absence or
 * surprise counts as, and that the run carries on with a new connection.
 */
@Timeout(60)
class AwaitedRepliesIT {

    @TempDir
    Path dir;

    private ScriptedServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Runs one postal slot to the end against the server; returns its JSON total line. */
    private Map<String, Object> postal(String... args) throws Exception {
        Path users = dir.resolve("users");
        Files.write(users, List.of("a@example.com"));
        List<String> all = new ArrayList<>(List.of("--json", "--interval", "1h", "--log-dir", dir.toString(),
                "-p", Integer.toString(server.port()), "-t", "1"));
        all.addAll(List.of(args));
        all.addAll(List.of("127.0.0.1", users.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SmtpLoadMain.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new RunHandle("postal"));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        return SmtpLoadIT.flat(lines[lines.length - 1]);
    }

    private static long messages(Map<String, Object> total) {
        return ((Number) total.get("messages")).longValue();
    }

    /** The run's failures by "phase detail". */
    private static Map<String, Long> failures(Map<String, Object> total) {
        Map<String, Long> out = new TreeMap<>();
        total.forEach((key, value) -> {
            if (key.startsWith("failures.")) {
                out.put(key.substring("failures.".length()), ((Number) value).longValue());
            }
        });
        return out;
    }

    private static boolean setUp(String command) {
        return command.equals("CONNECT") || command.equals("EHLO");
    }

    @Test
    void aReplyWhenNothingIsAwaitedEndsTheConnectionAndTheNextMessageTakesANewOne() throws Exception {
        // After the first message the slot waits a second for the next; the server says 421 meanwhile.
        server = new ScriptedServer((connection, command) -> connection == 0 && command.equals(".")
                ? new Answer("250 2.0.0 Ok: queued\r\n421 4.4.2 scripted: idle too long\r\n", true)
                : ScriptedServer.normal(command));
        Map<String, Object> total = postal("-c", "-1", "--rate", "1/s", "--count", "2");
        assertThat(messages(total)).isEqualTo(2);
        assertThat(failures(total)).containsExactly(Map.entry("quit unexpected 421", 1L));
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void a421MidSessionDropsTheConnectionAtOnce() throws Exception {
        // The server says 421 to MAIL and then nothing more: waiting for another reply would time out.
        server = new ScriptedServer((connection, command) -> connection > 0 || setUp(command)
                ? ScriptedServer.normal(command)
                : command.equals("MAIL") ? Answer.reply("421 4.3.2 scripted: shutting down") : Answer.SILENCE);
        long start = System.nanoTime();
        Map<String, Object> total = postal("-c", "1", "--count", "2", "--timeout", "5s");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4000);
        assertThat(failures(total)).containsExactly(Map.entry("mail 421", 1L));
        assertThat(messages(total)).isEqualTo(1);
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void aReplyThatDoesNotComeWithinTheTimeoutFailsItsPhase() throws Exception {
        server = new ScriptedServer((connection, command) -> connection == 0 && command.equals("MAIL")
                ? Answer.SILENCE : ScriptedServer.normal(command));
        long start = System.nanoTime();
        Map<String, Object> total = postal("-c", "1", "--count", "2", "--timeout", "1s");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
        assertThat(failures(total)).containsExactly(Map.entry("mail timeout", 1L));
        assertThat(messages(total)).isEqualTo(1);
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void aConnectionClosedWhileAReplyIsAwaitedFailsItsPhaseAndTheMessageGoesAgain() throws Exception {
        server = new ScriptedServer((connection, command) -> connection == 0 && command.equals(".")
                ? Answer.CLOSE : ScriptedServer.normal(command));
        Path ledger = dir.resolve("postal.ledger");
        Map<String, Object> total = postal("-c", "1", "--count", "2", "--ledger", ledger.toString());
        assertThat(failures(total)).containsExactly(Map.entry("end-of-data closed", 1L));
        assertThat(messages(total)).isEqualTo(2);
        assertThat(server.messages()).isEqualTo(3);
        // The same identity twice: unanswered, then accepted on the next connection.
        assertThat(ledgerRecords(ledger)).containsExactly("0 unanswered", "0 accepted", "1 accepted");
    }

    @Test
    void aMessageWhoseRepliesAreAlwaysLostIsSentThreeTimesAtMost() throws Exception {
        server = new ScriptedServer((connection, command) -> connection < 3 && command.equals(".")
                ? Answer.CLOSE : ScriptedServer.normal(command));
        Path ledger = dir.resolve("postal.ledger");
        Map<String, Object> total = postal("-c", "1", "--count", "2", "--ledger", ledger.toString());
        assertThat(server.messages()).isEqualTo(4);
        assertThat(messages(total)).isEqualTo(1);
        assertThat(ledgerRecords(ledger)).containsExactly("0 unanswered", "0 unanswered", "0 unanswered", "1 accepted");
    }

    /** "SEQ OUTCOME" of each record of a postal ledger, in order. */
    private static List<String> ledgerRecords(Path ledger) throws Exception {
        return Files.readAllLines(ledger).stream().skip(2).filter(l -> !l.startsWith("#"))
                .map(l -> l.split("\t")).map(f -> f[2] + " " + f[4]).toList();
    }

    @Test
    void aConnectionClosedInsteadOfAnsweringQuitEndsTheSessionWithoutError() throws Exception {
        server = new ScriptedServer((connection, command) -> command.equals("QUIT")
                ? Answer.CLOSE : ScriptedServer.normal(command));
        Map<String, Object> total = postal("-c", "1", "--count", "3");
        assertThat(failures(total)).isEmpty();
        assertThat(messages(total)).isEqualTo(3);
        assertThat(server.connections()).isEqualTo(3);
    }

    @Test
    void everyAwaitedReplyCountsInItsPhaseByClassAndALostOneAsLost() throws Exception {
        // Connection 0: RCPT deferred. Connection 1: closed after the data. Then all is well.
        server = new ScriptedServer((connection, command) -> connection == 0 && command.equals("RCPT")
                ? Answer.reply("450 4.2.0 scripted: greylisted")
                : connection == 1 && command.equals(".") ? Answer.CLOSE : ScriptedServer.normal(command));
        Map<String, Object> total = postal("-c", "1", "--count", "3");
        assertThat(messages(total)).isEqualTo(2);
        Map<String, Long> replies = new TreeMap<>();
        total.forEach((key, value) -> {
            if (key.startsWith("replies.") && ((Number) value).longValue() > 0) {
                replies.put(key.substring("replies.".length()), ((Number) value).longValue());
            }
        });
        assertThat(replies).containsExactlyInAnyOrderEntriesOf(Map.of("banner.2xx", 4L, "ehlo.2xx", 4L,
                "mail.2xx", 4L, "rcpt.2xx", 3L, "rcpt.4xx", 1L, "data.2xx", 3L, "end-of-data.2xx", 2L,
                "end-of-data.lost", 1L, "quit.2xx", 3L));
    }

    @Test
    void aRefusedConnectionCountsAsALostGreeting() throws Exception {
        server = new ScriptedServer((connection, command) -> connection == 0 && command.equals("CONNECT")
                ? Answer.CLOSE : ScriptedServer.normal(command));
        Map<String, Object> total = postal("-c", "1", "--count", "1");
        assertThat(messages(total)).isEqualTo(1);
        assertThat(total).containsEntry("replies.banner.lost", 1).containsEntry("replies.banner.2xx", 1);
    }
}
