// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
}
