// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.ctl.protocol.Command;

class PostalCtlTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return PostalCtl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void readOnlyCommandsUseTheStatusSocketAndAdminCommandsTheAdminSocket() {
        assertThat(PostalCtl.parse(new String[] {"bhm", "status"}).target())
                .isEqualTo(Path.of("/run/postal/bhm-status.sock"));
        assertThat(PostalCtl.parse(new String[] {"--control-dir", "/tmp/x", "postal", "rate", "10/s"}).target())
                .isEqualTo(Path.of("/tmp/x/postal.sock"));
        var call = PostalCtl.parse(new String[] {"rabid", "pause", "--json", "--socket=/s"});
        assertThat(call.target()).isEqualTo(Path.of("/s"));
        assertThat(call.json()).isTrue();
        assertThat(call.request().command()).isEqualTo(Command.PAUSE);
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("bhm")).isEqualTo(2);
        assertThat(run("bhm", "explode")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command \"explode\"");
        assertThat(run("postal", "rate")).isEqualTo(2);
        assertThat(run("bhm", "transcript", "maybe")).isEqualTo(2);
        assertThat(run("bhm", "set", "novalue")).isEqualTo(2);
        assertThat(run("../etc", "status")).isEqualTo(2);
        assertThat(run("--frobnicate", "bhm", "status")).isEqualTo(2);
        assertThat(run("--socket")).isEqualTo(2);
        assertThatThrownBy(() -> PostalCtl.parse(new String[] {"bhm", "status", "extra"}))
                .hasMessageContaining("status takes no arguments");
    }

    @Test
    void helpExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: postalctl");
    }

    @Test
    void aMissingSocketSaysTheDaemonIsNotRunning() {
        assertThat(run("--control-dir", dir.toString(), "bhm", "status")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("postalctl: bhm is not running (no socket " + dir.resolve("bhm-status.sock") + ")");
    }

    @Test
    void humanTextAlignsKeysAndFlattensNesting() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("program", "bhm");
        result.put("messages", 3L);
        result.put("rejects", Map.of("450", 2L));
        result.put("addresses", java.util.List.of("a", "b"));
        assertThat(HumanText.block(result)).isEqualTo("""
                program:     bhm
                messages:    3
                rejects.450: 2
                addresses:   a, b""");
        assertThat(HumanText.block(Map.of("message", "postal paused"))).isEqualTo("postal paused");
        assertThat(HumanText.line(Map.of("messages", 3L))).matches("\\d\\d:\\d\\d:\\d\\d messages=3");
    }

    @Test
    void terminalEscapesFromTheUserAreShownAsText() {
        assertThat(run("bhm\u001b]0;owned\u0007", "status")).isEqualTo(2);
        assertThat(run("--control-dir", dir.resolve("\u001b[2J").toString(), "bhm", "status")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("bad daemon name \"bhm\\x1b]0;owned\\x07\"", "\\x1b[2J")
                .doesNotContain("\u001b", "\u0007");
    }

    @Test
    void terminalEscapesFromTheDaemonAreShownAsText() throws Exception {
        Path socket = dir.resolve("bhm.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread daemon = new Thread(() -> answer(server, "{\"v\":1,\"ok\":false,\"error\":\"\\u001b[31mred\\u009b2J\\n\"}"));
            daemon.start();
            assertThat(run("--socket", socket.toString(), "bhm", "reload")).isEqualTo(1);
            daemon.join();
        }
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("postalctl: bhm: \\x1b[31mred\\x9b2J\\n");
    }

    private static void answer(ServerSocketChannel server, String line) {
        try (SocketChannel client = server.accept()) {
            client.read(ByteBuffer.allocate(4096));
            client.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void humanTextEscapesWhatTheDaemonSent() {
        assertThat(HumanText.block(Map.of("name\u001b[8m", "x\u009b1m\ty\u202e")))
                .isEqualTo("name\\x1b[8m: x\\x9b1m\\ty\\u202e");
        assertThat(HumanText.block(Map.of("message", "paused\r\u001b[2K"))).isEqualTo("paused\\r\\x1b[2K");
    }
}
