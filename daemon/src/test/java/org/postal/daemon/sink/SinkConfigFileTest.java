// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.config.ConfigLoader;
import org.postal.daemon.service.RunHandle;
import picocli.CommandLine;

/** bhm --config: the shipped file, flags over the file, errors with exit 66/78, and a reload. */
class SinkConfigFileTest {

    @TempDir
    Path dir;

    private String stderr;

    private Path file(String text) throws Exception {
        Path file = dir.resolve("bhm.conf");
        Files.writeString(file, text);
        return file;
    }

    private int bhm(String... args) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SinkMain.run(args, new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), new RunHandle("bhm"));
        stderr = err.toString(StandardCharsets.UTF_8);
        return status;
    }

    private static SinkConfig config(String... args) throws Exception {
        CommandLine cli = new CommandLine(new SinkCommand());
        ConfigLoader.parseArgs(cli, args);
        return ConfigLoader.toConfig(cli, SinkCommand::toConfig);
    }

    @Test
    void theShippedFile() throws Exception {
        SinkConfig config = config("--config", "../etc/bhm.conf");
        assertThat(config.listen().port()).isEqualTo(25);
        assertThat(config.listen().bind().get(0).getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(config.output().logDir()).isEqualTo(Path.of("/var/log/postal"));
        assertThat(config.limits().maxMessage()).isEqualTo(10L << 20);
        assertThat(config("--config", "../etc/bhm.conf", "-p", "2525", "--log-dir", ".").listen().port())
                .isEqualTo(2525);
    }

    @Test
    void flagsAndArgumentsWin() throws Exception {
        Path file = file("port = 2600\nlmtp = yes\nusers = /etc/postal/users\nmax-size = 1MiB\n");
        SinkConfig config = config("--config", file.toString(), "-p", "2700", "--lmtp", "-m", "2", "list.txt");
        assertThat(config.listen().port()).isEqualTo(2700);
        assertThat(config.listen().lmtp()).isTrue();
        assertThat(config.limits().maxMessage()).isEqualTo(2048);
        assertThat(config.policy().users()).isEqualTo(Path.of("list.txt"));
        assertThat(config("--config", file.toString(), "--lmtp=false").listen().lmtp()).isFalse();
    }

    @Test
    void aMissingFileIsExit66() throws Exception {
        Path missing = dir.resolve("none.conf");
        assertThat(bhm("--config", missing.toString())).isEqualTo(66);
        assertThat(stderr).isEqualTo("bhm: " + missing + ": cannot read: no such file\n");
    }

    @Test
    void badContentIsExit78WithFileAndLine() throws Exception {
        Path file = file("# test\nport = 0\nmax_recipients = 5\n");
        assertThat(bhm("--config", file.toString())).isEqualTo(78);
        assertThat(stderr).isEqualTo("bhm: " + file + ":3: unknown key \"max_recipients\" (did you mean max-recipients?)\n");

        file("port = 0\nbind = 127.0.0.1, mail.example.com\n");
        assertThat(bhm("--config", file.toString())).isEqualTo(78);
        assertThat(stderr).startsWith("bhm: " + file + ":2: invalid bind address \"mail.example.com\"");

        file("port = 0\ntranscript = a\ntranscript-per-connection = b\n");
        assertThat(bhm("--config", file.toString())).isEqualTo(78);
        assertThat(stderr).isEqualTo("bhm: " + file + ":2: -z and -Z exclude each other\n");
    }

    @Test
    void faultRulesAreWrittenAsPostalctlSetWritesThem() throws Exception {
        Path file = file("fault.rcpt = 450:10%\nfault.DATA = 554\nfault = mail=delay:2s\n");
        SinkConfig config = config("--config", file.toString());
        assertThat(config.policy().rules()).containsExactly(Map.entry("greylist-delay", "1m"),
                Map.entry("fault.rcpt", "450:10%"),
                Map.entry("fault.DATA", "554"), Map.entry("fault.mail", "delay:2s"));
        assertThat(SinkRules.of(config.policy().rules()).faults().describe())
                .containsExactly(Map.entry("mail", "delay:2s"), Map.entry("rcpt", "450:10%"), Map.entry("data", "554"));
        assertThat(config("--config", file.toString(), "--fault", "ehlo=421").policy().rules())
                .containsExactly(Map.entry("greylist-delay", "1m"), Map.entry("fault.ehlo", "421"));
    }

    @Test
    void aBadFaultRuleIsExit78WithItsLine() throws Exception {
        Path file = file("port = 0\nfault.rcpt = 450\nfault.data = 45x\n");
        assertThat(bhm("--config", file.toString())).isEqualTo(78);
        assertThat(stderr).isEqualTo("bhm: " + file + ":3: fault.data: bad fault rule \"45x\" (use CODE[:N%], "
                + "disconnect[:N%], delay:DURATION[:N%], drop-reply[:N%] or off; e.g. 450:10%)\n");

        file("port = 0\nfault.rcpt = 450\nfault.lunch = 554\n");
        assertThat(bhm("--config", file.toString())).isEqualTo(78);
        assertThat(stderr).startsWith("bhm: " + file + ":3: fault.lunch: unknown SMTP verb \"lunch\"");

        file("port = 0\nfaults.rcpt = 450\n");
        assertThat(bhm("--config", file.toString())).isEqualTo(78);
        assertThat(stderr).startsWith("bhm: " + file + ":2: unknown key \"faults.rcpt\"");
    }

    @Test
    void aBadCommandLineIsStillExit64() throws Exception {
        Path file = file("port = 0\n");
        assertThat(bhm("--config", file.toString(), "--auth", "bogus")).isEqualTo(64);
        assertThat(stderr).startsWith("bhm: invalid --auth \"bogus\"");
    }

    @Test
    void aReloadGivesTheNewConfigOrTheError() throws Exception {
        Path file = file("greylist-delay = 30s\n");
        String[] args = {"--config", file.toString(), "-p", "0"};
        ConfigLoader.Loaded<SinkConfig> loaded = ConfigLoader.load(SinkCommand::new, SinkCommand::toConfig, args);
        assertThat(loaded).isInstanceOfSatisfying(ConfigLoader.Loaded.Ok.class, ok -> assertThat(
                ((SinkConfig) ok.config()).policy().greylistDelay()).isEqualTo(Duration.ofSeconds(30)));

        Files.write(file, List.of("greylist-delay = 5m", "port = 25", "max-errors = 0"));
        loaded = ConfigLoader.load(SinkCommand::new, SinkCommand::toConfig, args);
        assertThat(loaded).isInstanceOfSatisfying(ConfigLoader.Loaded.Failed.class, failed -> assertThat(
                failed.error().getMessage()).isEqualTo(file + ":3: --max-recipients and --max-errors must be at least 1"));
    }
}
