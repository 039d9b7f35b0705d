// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.service.RunHandle;
import org.postal.daemon.sink.SinkHarness;

/** postal against an in-process bhm on a loopback port: counts on both sides agree, every message verifies. */
class SmtpLoadIT {

    @TempDir
    Path dir;

    private SinkHarness sink;
    private String stderr;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    private Path users(String... lines) throws Exception {
        Path file = dir.resolve("users-" + System.nanoTime());
        Files.write(file, List.of(lines));
        return file;
    }

    /** Runs postal to the end and returns its JSON total line as a flat map of numbers. */
    private Map<String, Object> postal(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--json", "--interval", "1h", "--log-dir", dir.toString(),
                "-p", Integer.toString(sink.port())));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SmtpLoadMain.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new RunHandle("postal"));
        stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as(stderr).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        return flat(lines[lines.length - 1]);
    }

    static Map<String, Object> flat(String json) throws Exception {
        Map<String, Object> values = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            List<String> path = new ArrayList<>();
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> field = p.currentName();
                    case START_OBJECT -> {
                        if (field != null) {
                            path.add(field);
                        }
                    }
                    case END_OBJECT -> {
                        if (!path.isEmpty()) {
                            path.remove(path.size() - 1);
                        }
                    }
                    default -> {
                        String key = (path.isEmpty() ? "" : String.join(".", path) + ".") + field;
                        values.put(key, t.isNumeric() ? p.getNumberValue() : p.getText());
                    }
                }
            }
        }
        return values;
    }

    private static long n(Map<String, Object> values, String key) {
        Object v = values.get(key);
        return v == null ? 0 : ((Number) v).longValue();
    }

    @Test
    void countIsDeliveredAndEveryMessageVerifies() throws Exception {
        sink = new SinkHarness();
        Path list = users("user1@example.com pw", "user2@example.com pw", "user3@example.com pw");
        Map<String, Object> total = postal("-t", "4", "-c", "3", "--count", "300", "127.0.0.1", list.toString());
        assertThat(n(total, "messages")).isEqualTo(300);
        assertThat(n(total, "errors")).isZero();
        var received = sink.stats();
        assertThat(received.messages()).isEqualTo(300);
        assertThat(received.verified()).isEqualTo(300);
        assertThat(received.corrupt()).isZero();
        List<String> log = Files.readAllLines(dir.resolve("postal.log"));
        assertThat(log).hasSize(300).allMatch(l -> l.matches("[0-9a-f]{32} <user\\d@example.com> <user\\d@example.com>"));
        assertThat(stderr).contains("seed ");
    }

    @Test
    void anInstanceKeepsALogOfItsOwn() throws Exception {
        sink = new SinkHarness();
        Path list = users("user1@example.com");
        postal("--name", "postal@night", "--control-dir", dir.toString(), "--count", "5", "127.0.0.1",
                list.toString());
        assertThat(dir.resolve("postal@night.log")).exists();
        assertThat(Files.readAllLines(dir.resolve("postal@night.log"))).hasSize(5);
        assertThat(dir.resolve("postal.log")).doesNotExist();
    }

    @Test
    void lmtpWithSeveralRecipientsAndBdat() throws Exception {
        sink = new SinkHarness("--lmtp");
        Path list = users("a@example.com", "b@example.com", "c@example.com", "d@example.com");
        Map<String, Object> total = postal("-L", "--bdat", "--rcpts", "2-4", "-c", "-1", "-t", "2", "--count", "100",
                "127.0.0.1", list.toString());
        assertThat(n(total, "messages")).isEqualTo(100);
        assertThat(sink.stats().messages()).isEqualTo(100);
        assertThat(sink.stats().verified()).isEqualTo(100);
    }

    @Test
    void withoutPipeliningAndWithTheOldDigest() throws Exception {
        sink = new SinkHarness("--hash", "md5-lp64");
        Path list = users("a@example.com");
        Map<String, Object> total = postal("--pipelining", "off", "--hash", "md5-lp64", "-m", "1", "-M", "1",
                "--count", "50", "127.0.0.1", list.toString());
        assertThat(n(total, "messages")).isEqualTo(50);
        assertThat(sink.stats().verified()).isEqualTo(50);
        assertThat(sink.stats().bytes()).isGreaterThan(50 * 1024);
    }

    @Test
    void rejectedRecipientsAreCountedByCodeAndTheRunGoesOn() throws Exception {
        Path sinkUsers = users("good@example.com pw", "bad@example.com pw r", "later@example.com pw d");
        sink = new SinkHarness(sinkUsers.toString());
        long start = System.nanoTime();
        Map<String, Object> total = postal("-t", "2", "--count", "90", "127.0.0.1", sinkUsers.toString());
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        long delivered = n(total, "messages");
        assertThat(delivered).isEqualTo(sink.stats().messages()).isBetween(10L, 60L);
        assertThat(n(total, "failures.rcpt 550") + n(total, "failures.rcpt 450") + delivered).isEqualTo(90);
        assertThat(n(total, "failures.rcpt 550")).isPositive();
        assertThat(seconds).as("no 5 s pause per error as in 0.76").isLessThan(20);
    }

    @Test
    void startTlsAndAuthAreUsedWhenOffered() throws Exception {
        Path list = users("a@example.com secret", "b@example.com hidden");
        sink = new SinkHarness("-s", "--auth", "users", list.toString());
        Map<String, Object> total = postal("-s", "100", "--auth", "login", "-t", "2", "--count", "20", "127.0.0.1",
                list.toString());
        assertThat(n(total, "messages")).isEqualTo(20);
        assertThat(n(total, "tls_connections")).isEqualTo(20);
        assertThat(sink.stats().tlsConnections()).isEqualTo(20);
        assertThat(n(total, "failures.auth 535")).isZero();
    }

    @Test
    void sessionsRefusedWith421AreRetried() throws Exception {
        sink = new SinkHarness("-t", "1");
        Path list = users("a@example.com");
        Map<String, Object> total = postal("-t", "4", "--count", "40", "127.0.0.1", list.toString());
        assertThat(n(total, "messages")).isEqualTo(40);
        assertThat(sink.stats().messages()).isEqualTo(40);
    }

    @Test
    void rateIsHeldWithoutBursts() throws Exception {
        sink = new SinkHarness();
        Path list = users("a@example.com");
        Map<String, Object> total = postal("-t", "4", "--rate", "100/s", "--duration", "5s", "127.0.0.1",
                list.toString());
        assertThat(n(total, "messages")).isBetween(490L, 510L);
    }

    @Test
    void connectOnlyRunsSendNoMail() throws Exception {
        sink = new SinkHarness();
        Path list = users("a@example.com");
        Map<String, Object> total = postal("-c", "0", "--count", "30", "127.0.0.1", list.toString());
        assertThat(n(total, "messages")).isZero();
        assertThat(n(total, "connections")).isEqualTo(30);
        assertThat(sink.stats().connections()).isEqualTo(30);
        assertThat(sink.stats().messages()).isZero();
    }

    @Test
    void withoutServersPostalRunsItsOwnBhmAndChecksEverythingArrived() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SmtpLoadMain.run(new String[] {"--count", "200", "-t", "3", "--log-dir", dir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new RunHandle("postal"));
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        assertThat(text).contains("postal: sent 200 messages; the embedded bhm received 200, verified 200, corrupt 0");
        assertThat(Files.readAllLines(dir.resolve("postal.log"))).hasSize(200)
                .allMatch(l -> l.matches("[0-9a-f]{32} <user\\d+@example.com> <user\\d+@example.com>"));
    }

    @Test
    void stopDoesNotWaitForMessagesDueLater() throws Exception {
        sink = new SinkHarness();
        Path list = users("a@example.com");
        long start = System.nanoTime();
        // 20 slots at one message a second claim messages due up to 20 s ahead; --duration 2s must still end the run.
        Map<String, Object> total = postal("-t", "20", "-c", "-1", "--rate", "60", "--duration", "2s", "127.0.0.1",
                list.toString());
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(8000);
        assertThat(n(total, "messages")).isBetween(1L, 4L);
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
        sink = new SinkHarness();
        Path list = users("a@example.com", "b@example.com", "c@example.com");
        Path base = dir.resolve("pz");
        postal("--pipelining", "off", "--rcpts", "3", "-Z", base.toString(), "--count", "1", "127.0.0.1",
                list.toString());
        List<String> lines = Files.readAllLines(dir.resolve("pz:1:0"));
        List<String> commands = lines.stream().filter(l -> l.matches("(MAIL|RCPT|DATA|QUIT|EHLO).*")).toList();
        assertThat(commands).hasSize(7);
        for (String command : commands) {
            int at = lines.indexOf(command);
            assertThat(lines.get(at + 1)).as("reply right after %s", command).matches("[23]\\d\\d[ -].*");
        }
    }

    @Test
    void quitGoesWithTheEndOfDataOnlyAfterAConnectionsLastMessage() throws Exception {
        sink = new SinkHarness();
        Path list = users("a@example.com");
        postal("-t", "1", "-c", "1", "-Z", dir.resolve("one").toString(), "--count", "3", "127.0.0.1", list.toString());
        for (int connection = 0; connection < 3; connection++) {
            List<String> lines = Files.readAllLines(dir.resolve("one:1:" + connection));
            int dot = lines.indexOf(".");
            assertThat(lines.subList(dot + 1, lines.size())).as("connection %d", connection)
                    .containsExactly("QUIT", "250 2.0.0 Ok: queued", "221 2.0.0 Bye");
        }
        postal("-t", "1", "-c", "-1", "-Z", dir.resolve("kept").toString(), "--count", "2", "127.0.0.1",
                list.toString());
        List<String> kept = Files.readAllLines(dir.resolve("kept:1:0"));
        assertThat(kept.stream().filter(l -> l.equals(".") || l.equals("QUIT")).toList())
                .containsExactly(".", ".", "QUIT");
        assertThat(kept.get(kept.lastIndexOf(".") + 1)).startsWith("250 ");
        var received = sink.stats();
        assertThat(received.messages()).isEqualTo(5);
        assertThat(received.verified()).isEqualTo(5);
        assertThat(received.connections()).isEqualTo(4);
    }

    @Test
    void anUnwritableLogDirectoryIsACleanError() throws Exception {
        sink = new SinkHarness();
        Path list = users("a@example.com");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SmtpLoadMain.run(new String[] {"--log-dir", dir.resolve("missing").toString(), "-p",
                Integer.toString(sink.port()), "127.0.0.1", list.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), new RunHandle("postal"));
        assertThat(status).isEqualTo(73);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot create").contains("postal.log");
    }

    @Test
    void noServerAtAllEndsTheRunWithStatus69() throws Exception {
        java.net.ServerSocket probe = new java.net.ServerSocket(0);
        int closedPort = probe.getLocalPort();
        probe.close();
        Path list = users("a@example.com");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int status = SmtpLoadMain.run(new String[] {"--timeout", "2s", "--count", "5", "--log-dir", dir.toString(),
                "-p", Integer.toString(closedPort), "127.0.0.1", list.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                new RunHandle("postal"));
        assertThat(status).isEqualTo(69);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no server accepted a connection");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }
}
