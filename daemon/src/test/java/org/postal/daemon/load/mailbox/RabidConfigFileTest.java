// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.config.ConfigLoader;
import org.postal.daemon.load.UserPool;
import org.postal.daemon.service.RunHandle;
import picocli.CommandLine;

/** rabid --config: the shipped file, arguments over keys, and refusals with exit 66/78. */
class RabidConfigFileTest {

    @TempDir
    Path dir;

    private static RabidConfig config(String... args) throws Exception {
        CommandLine cli = new CommandLine(new RabidCommand());
        ConfigLoader.parseArgs(cli, args);
        return ConfigLoader.toConfig(cli, RabidCommand::toConfig);
    }

    private static int rabid(ByteArrayOutputStream err, String... args) throws Exception {
        return RabidMain.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new RunHandle("rabid"));
    }

    @Test
    void theShippedFile() throws Exception {
        RabidConfig config = config("--config", "../etc/rabid.conf");
        assertThat(config.workload().rate()).isEqualTo(10.0 / 60);
        assertThat(config.output().logDir()).isEqualTo(Path.of("/var/log/postal"));
        assertThat(config.target().servers().entries().get(0).host()).isEqualTo("127.0.0.1");
        assertThat(config.target().servers().entries().get(0).port()).isEqualTo(110);
    }

    @Test
    void theFilesIoThreadsCarryTheSessions() throws Exception {
        Path file = dir.resolve("rabid.conf");
        Files.writeString(file, "server = 127.0.0.1\nusers = u\nio-threads = 3\nlog-dir = " + dir + "\n");
        UserPool users = UserPool.of(List.of(new UserPool.User("a@example.com", "pw")));
        try (RabidLoad load = new RabidLoad(config("--config", file.toString()), users,
                new PrintStream(new ByteArrayOutputStream()), null)) {
            assertThat(load.eventLoops()).isEqualTo(3);
        }
    }

    @Test
    void anInstanceKeepsALogOfItsOwn() throws Exception {
        assertThat(config("--log-dir", dir.toString(), "127.0.0.1", "u").output().log())
                .isEqualTo(dir.resolve("rabid.log"));
        RabidConfig night = config("--name", "rabid@night", "--log-dir", dir.toString(), "127.0.0.1", "u");
        assertThat(night.output().log()).isEqualTo(dir.resolve("rabid@night.log"));
        assertThat(night.output().transcriptBase()).isEqualTo(dir.resolve("rabid@night.transcript"));
    }

    @Test
    void argumentsWinOverServerAndUsers() throws Exception {
        Path file = dir.resolve("rabid.conf");
        Files.writeString(file, "server = 192.0.2.1\nusers = /etc/postal/users\n");
        RabidConfig config = config("--config", file.toString(), "127.0.0.1", "mine.txt");
        assertThat(config.target().servers().entries().get(0).host()).isEqualTo("127.0.0.1");
        assertThat(config.target().accounts()).isEqualTo(Path.of("mine.txt"));
    }

    @Test
    void refusals() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path missing = dir.resolve("none.conf");
        assertThat(rabid(err, "--config", missing.toString())).isEqualTo(66);
        Path file = dir.resolve("rabid.conf");
        Files.writeString(file, "server = 127.0.0.1\nusers = u\ndownload = most\n");
        assertThat(rabid(err, "--config", file.toString())).isEqualTo(78);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("rabid: " + missing
                + ": cannot read: no such file\nrabid: " + file + ":3: bad -d \"most\": use D or D:X, percentages\n");
    }

    @Test
    void aZeroIntervalIsAUsageErrorAsInPostalAndBhm() throws Exception {
        Path users = dir.resolve("users.txt");
        Files.writeString(users, "a@example.com pw\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(rabid(err, "--interval", "0", "--log-dir", dir.toString(), "127.0.0.1", users.toString()))
                .isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("rabid: --interval must be positive\n");
    }

    @Test
    void aRateBeyondWhatPostalctlTakesIsRefusedHereToo() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(rabid(err, "--rate", "2e7/s", "127.0.0.1", "users.txt")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("rabid: rate out of range: at most 10000000/s\n");
        assertThat(config("--rate", "1e7/s", "127.0.0.1", "u").workload().rate()).isEqualTo(1e7);
    }

    @Test
    void aJitWordTheLauncherDoesNotKnowIsAUsageError() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(rabid(err, "--jit", "fast", "127.0.0.1", "users.txt")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("rabid: bad --jit \"fast\": use short, long, auto\n");
        assertThat(config("--jit", "short", "127.0.0.1", "u").workload().count()).isZero();
    }
}
