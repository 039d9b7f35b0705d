// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.ctl.PostalCtl;
import org.postal.ctl.protocol.Command;
import org.postal.ctl.protocol.ControlClient;
import org.postal.ctl.protocol.ControlCodec;
import org.postal.ctl.protocol.Request;
import org.postal.ctl.protocol.Response;
import org.postal.daemon.report.LogFiles;

class ControlServerIT {

    @TempDir
    Path dir;

    private final Fake fake = new Fake();
    private ControlServer server;

    /** Records what it was asked; bhm-like: no rate. */
    static final class Fake implements Controllable {
        final List<String> calls = new ArrayList<>();
        final AtomicLong messages = new AtomicLong();

        @Override
        public String program() {
            return "fake";
        }

        @Override
        public Map<String, Object> status() {
            return Map.of("state", "running");
        }

        @Override
        public Map<String, Object> stats() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("messages", messages.incrementAndGet());
            out.put("rejects", Map.of("450", 2L));
            return out;
        }

        @Override
        public Map<String, Object> config() {
            return Map.of("port", 2525L);
        }

        @Override
        public Duration watchInterval() {
            return Duration.ofMillis(100);
        }

        @Override
        public synchronized Response pause() {
            calls.add("pause");
            return Response.done("fake paused");
        }

        @Override
        public synchronized Response resume() {
            calls.add("resume");
            return Response.done("fake resumed");
        }

        @Override
        public synchronized Response set(String key, String value) {
            calls.add("set " + key + "=" + value);
            return key.equals("good") ? Response.done("set") : Response.error("no such key " + key);
        }

        @Override
        public synchronized Response transcript(boolean on) {
            calls.add("transcript " + on);
            return Response.done("transcripts " + (on ? "on" : "off"));
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = ControlServer.start(dir, "fake", fake);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aClientThatSendsRequestsWithoutReadingIsCutOffAndOthersAreStillServed() throws Exception {
        String request = ControlCodec.encode(Request.of(Command.STATS)) + "\n";
        try (java.nio.channels.SocketChannel flood = java.nio.channels.SocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            flood.connect(java.net.UnixDomainSocketAddress.of(server.statusSocket()));
            flood.configureBlocking(false);
            java.nio.ByteBuffer requests = java.nio.ByteBuffer.wrap(
                    request.repeat(50_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            try {
                for (int stuck = 0; requests.hasRemaining() && stuck < 200; ) {
                    stuck = flood.write(requests) == 0 ? stuck + 1 : 0;
                    Thread.sleep(stuck == 0 ? 0 : 10);
                }
            } catch (IOException cutOff) {
                // The server closed the connection while requests were still going out.
            }
            assertThat(endsWithin(flood, 20_000)).as("the connection is cut off").isTrue();
        }
        assertThat(call(server.statusSocket(), Command.STATUS).ok()).isTrue();
    }

    /** Reads and drops what arrives until the peer closes (true) or the time is up (false). */
    private static boolean endsWithin(java.nio.channels.SocketChannel channel, long millis) throws IOException {
        java.nio.ByteBuffer sink = java.nio.ByteBuffer.allocate(1 << 16);
        try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
            channel.register(selector, java.nio.channels.SelectionKey.OP_READ);
            long end = System.nanoTime() + millis * 1_000_000;
            while (System.nanoTime() < end) {
                selector.select(100);
                selector.selectedKeys().clear();
                try {
                    int n;
                    while ((n = channel.read(sink.clear())) > 0) {
                        // dropped
                    }
                    if (n < 0) {
                        return true;
                    }
                } catch (IOException reset) {
                    return true;
                }
            }
        }
        return false;
    }

    private Response call(Path socket, Command command, String... args) throws IOException {
        try (ControlClient client = ControlClient.connect(socket)) {
            return client.call(Request.of(command, args), 5000);
        }
    }

    @Test
    void bothSocketsExistWithTheirModes() throws IOException {
        assertThat(server.adminSocket()).isEqualTo(dir.resolve("fake.sock"));
        assertThat(server.statusSocket()).isEqualTo(dir.resolve("fake-status.sock"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.adminSocket())))
                .isEqualTo("rw-rw----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.statusSocket())))
                .isEqualTo("rw-rw-rw-");
    }

    @Test
    void everyCommandIsAnsweredOnTheAdminSocket() throws IOException {
        Path admin = server.adminSocket();
        assertThat(call(admin, Command.STATUS).result()).containsEntry("state", "running");
        assertThat(call(admin, Command.STATS).result()).containsKey("messages");
        assertThat(call(admin, Command.CONFIG).result()).containsEntry("port", 2525L);
        assertThat(call(admin, Command.PAUSE).result()).containsEntry("message", "fake paused");
        assertThat(call(admin, Command.RESUME).ok()).isTrue();
        assertThat(call(admin, Command.RATE, "10/s").error()).isEqualTo("fake does not support rate");
        assertThat(call(admin, Command.SET, "good=1").ok()).isTrue();
        assertThat(call(admin, Command.SET, " bad = 2 ").error()).isEqualTo("no such key bad");
        assertThat(call(admin, Command.RELOAD).error()).contains("reload is not supported yet");
        assertThat(call(admin, Command.TRANSCRIPT, "on").ok()).isTrue();
        assertThat(fake.calls).containsExactly("pause", "resume", "set good=1", "set bad=2", "transcript true");
    }

    /** {@code postalctl NAME reopen}: logrotate's postrotate, after it renamed the logs. */
    @Test
    void reopenOnTheAdminSocketReopensTheProcesssLogs(@TempDir Path logs) throws IOException {
        Path file = logs.resolve("fake.csv");
        try (OutputStream log = LogFiles.open(file)) {
            log.write("before\n".getBytes(StandardCharsets.UTF_8));
            Files.move(file, logs.resolve("fake.csv.1"));
            Response reopened = call(server.adminSocket(), Command.REOPEN);
            // Other tests of this JVM may leave logs open in folders already removed: those are
            // named as not reopened, and the answer is then a refusal; ours is reopened either way.
            String said = reopened.ok() ? reopened.result().get("message").toString() : reopened.error();
            assertThat(said).startsWith("reopened ").contains(file.toString());
            log.write("after\n".getBytes(StandardCharsets.UTF_8));
            // status says how much room the fullest log folder has (this one or another test's)
            assertThat(call(server.statusSocket(), Command.STATUS).result().get("log_space"))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKeys("dir", "free_mib", "free_percent");
        }
        assertThat(Files.readString(logs.resolve("fake.csv.1"))).isEqualTo("before\n");
        assertThat(Files.readString(file)).isEqualTo("after\n");
    }

    @Test
    void theStatusSocketServesOnlyReadOnlyCommands() throws IOException {
        Path status = server.statusSocket();
        assertThat(call(status, Command.STATUS).ok()).isTrue();
        assertThat(call(status, Command.CONFIG).ok()).isTrue();
        for (Command admin : List.of(Command.PAUSE, Command.RESUME, Command.RELOAD, Command.REOPEN)) {
            Response refused = call(status, admin);
            assertThat(refused.ok()).isFalse();
            assertThat(refused.error()).startsWith("read-only socket: " + admin.word() + " needs the admin socket")
                    .endsWith("fake.sock");
        }
        assertThat(call(status, Command.SET, "good=1").error()).startsWith("read-only socket");
        assertThat(fake.calls).isEmpty();
    }

    @Test
    void everyLineIsAnsweredEvenMalformedOnesAndTheConnectionStaysUsable() throws IOException {
        try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            raw.connect(UnixDomainSocketAddress.of(server.statusSocket()));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(Channels.newInputStream(raw),
                    StandardCharsets.UTF_8));
            List<String> lines = List.of("garbage", "{}", "{\"v\":1,\"command\":\"explode\"}", "[]",
                    "{\"v\":9,\"command\":\"status\"}", "", "{\"v\":1,\"command\":\"status\"}\r");
            for (String line : lines) {
                raw.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            }
            raw.write(ByteBuffer.wrap(new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}', '\n'}));
            raw.write(ByteBuffer.wrap(("{\"v\":1,\"command\":\"set\",\"args\":[\"" + "x".repeat(5000) + "\"]}\n")
                    .getBytes(StandardCharsets.UTF_8)));
            raw.write(ByteBuffer.wrap("{\"v\":1,\"command\":\"status\"}\n".getBytes(StandardCharsets.UTF_8)));
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                errors.add(in.readLine());
            }
            assertThat(errors.get(0)).contains("\"ok\":false").contains("malformed JSON");
            assertThat(errors.get(1)).contains("missing \\\"v\\\"");
            assertThat(errors.get(2)).contains("unknown command");
            assertThat(errors.get(3)).contains("a request is a JSON object");
            assertThat(errors.get(4)).contains("unsupported protocol version 9");
            assertThat(errors.get(5)).contains("a request is a JSON object");
            assertThat(errors.get(6)).contains("\"ok\":true");
            assertThat(errors.get(7)).contains("not UTF-8");
            assertThat(errors.get(8)).contains("request line longer than 4096 bytes");
            assertThat(errors.get(9)).isEqualTo("{\"v\":1,\"ok\":true,\"result\":{\"state\":\"running\"}}");
        }
    }

    @Test
    void watchStreamsStatsUntilTheClientCloses() throws IOException {
        try (ControlClient client = ControlClient.connect(server.statusSocket())) {
            client.send(Request.of(Command.WATCH, "100ms"));
            long first = (Long) client.receive(2000).result().get("messages");
            long second = (Long) client.receive(2000).result().get("messages");
            long third = (Long) client.receive(2000).result().get("messages");
            assertThat(second).isGreaterThan(first);
            assertThat(third).isGreaterThan(second);
            client.send(Request.of(Command.WATCH));
            Response again;
            do {
                again = client.receive(2000);
            } while (again.ok());
            assertThat(again.error()).contains("already watching");
        }
        assertThat(call(server.statusSocket(), Command.WATCH, "1ms").error()).contains("out of range");
    }

    @Test
    void postalctlPrintsTextOrJsonAndExitsByOutcome() {
        Outcome status = postalctl("--socket", server.statusSocket().toString(), "fake", "stats");
        assertThat(status.code).isZero();
        assertThat(status.out).matches("(?s)messages:\\s+\\d+\\nrejects\\.450: 2\\n");
        Outcome json = postalctl("--json", "--control-dir", dir.toString(), "fake", "status");
        assertThat(json.code).isZero();
        assertThat(json.out.strip()).isEqualTo("{\"v\":1,\"ok\":true,\"result\":{\"state\":\"running\"}}");
        Outcome paused = postalctl("--control-dir", dir.toString(), "fake", "pause");
        assertThat(paused.out.strip()).isEqualTo("fake paused");
        Outcome refused = postalctl("--control-dir", dir.toString(), "fake", "rate", "5/s");
        assertThat(refused.code).isEqualTo(1);
        assertThat(refused.err.strip()).isEqualTo("postalctl: fake: fake does not support rate");
        Outcome readOnly = postalctl("--socket", server.statusSocket().toString(), "fake", "pause");
        assertThat(readOnly.code).isEqualTo(1);
        assertThat(readOnly.err).contains("read-only socket");
        Outcome missing = postalctl("--control-dir", dir.toString(), "nothere", "status");
        assertThat(missing.code).isEqualTo(1);
        assertThat(missing.err.strip()).isEqualTo("postalctl: nothere is not running (no socket "
                + dir.resolve("nothere-status.sock") + ")");
        assertThat(postalctl("fake", "rate").code).isEqualTo(2);
    }

    @Test
    void aSecondInstanceOfTheSameNameIsRefusedAndStaleSocketsAreReplaced() throws IOException {
        assertThatThrownBy(() -> ControlServer.start(dir, "fake", fake)).hasMessageContaining("already running");
        server.close();
        assertThat(dir.resolve("fake.sock")).doesNotExist();
        // A crash leaves a socket file nobody listens on.
        try (var stale = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(dir.resolve("fake.sock")));
        }
        server = ControlServer.start(dir, "fake", fake);
        assertThat(call(server.adminSocket(), Command.STATUS).ok()).isTrue();
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome postalctl(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PostalCtl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String encode(Request r) {
        return ControlCodec.encode(r);
    }
}
