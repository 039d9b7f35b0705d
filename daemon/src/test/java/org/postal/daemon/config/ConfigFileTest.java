// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The syntax of config files: comments, quotes, and every refusal with its file and line. */
class ConfigFileTest {

    private static final Path FILE = Path.of("/etc/postal/bhm.conf");

    private static ConfigFile parse(String text) throws ConfigError {
        return ConfigFile.parse(FILE, text.getBytes(UTF_8));
    }

    private static String value(String line) throws ConfigError {
        return parse(line + "\n").settings().get(0).value();
    }

    @Test
    void settingsCommentsAndBlankLines() throws ConfigError {
        ConfigFile file = parse("""
                # bhm settings
                
                port = 25
                  #max-size = 10MiB
                \tbind=127.0.0.1,::1
                greylist-delay = 30s   # a trailing comment
                """);
        assertThat(file.settings()).containsExactly(
                new ConfigFile.Setting("port", "25", 3),
                new ConfigFile.Setting("bind", "127.0.0.1,::1", 5),
                new ConfigFile.Setting("greylist-delay", "30s", 6));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "hostname = mx.example.com         | mx.example.com",
        "hostname = a#b                    | a#b",
        "hostname = a #b                   | a",
        "hostname = a\t#b                  | a",
        "transcript = \"/var/log/postal/my trace\" | /var/log/postal/my trace",
        "transcript = \"a \\\"b\\\" \\\\c\"  # note | a \"b\" \\c",
        "transcript = \"# not a comment\"  | # not a comment",
        "rate = 500/s                      | 500/s",
        "hostname = x = y                  | x = y",
    })
    void values(String line, String value) throws ConfigError {
        assertThat(value(line)).isEqualTo(value);
    }

    @Test
    void crLfLinesAndAByteOrderMark() throws ConfigError {
        ConfigFile file = ConfigFile.parse(FILE, "\uFEFFport = 25\r\n# c\r\ntls = yes\r\n".getBytes(UTF_8));
        assertThat(file.settings()).containsExactly(new ConfigFile.Setting("port", "25", 1),
                new ConfigFile.Setting("tls", "yes", 3));
    }

    @Test
    void anEmptyFileSetsNothing() throws ConfigError {
        assertThat(parse("").settings()).isEmpty();
        assertThat(parse("# nothing\n\n").settings()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "port 25                 | /etc/postal/bhm.conf:2: expected \"key = value\", as in \"port = 25\"",
        "tls                     | /etc/postal/bhm.conf:2: expected \"key = value\"",
        "= 25                    | /etc/postal/bhm.conf:2: no key before \"=\"",
        "max size = 10           | /etc/postal/bhm.conf:2: bad key \"max size\": expected \"key = value\" with a key such as max-size",
        "port =                  | /etc/postal/bhm.conf:2: no value for port (comment the line out to keep the default)",
        "port = # none           | /etc/postal/bhm.conf:2: no value for port (comment the line out to keep the default)",
        "hostname = \"\"         | /etc/postal/bhm.conf:2: no value for hostname (comment the line out to keep the default)",
        "hostname = \"mx         | /etc/postal/bhm.conf:2: no closing quote",
        "hostname = \"mx\" x     | /etc/postal/bhm.conf:2: text after the closing quote: x",
        "hostname = \"m\\x\"     | /etc/postal/bhm.conf:2: in quotes, a backslash goes before \" or \\ only",
    })
    void syntaxErrorsNameFileAndLine(String line, String message) {
        assertThatThrownBy(() -> parse("# first\n" + line + "\n"))
                .isInstanceOfSatisfying(ConfigError.class, e -> {
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.file()).isEqualTo(FILE);
                    assertThat(e.exitCode()).isEqualTo(78);
                });
    }

    @Test
    void aKeySetTwiceIsRefusedAtItsSecondLine() {
        assertThatThrownBy(() -> parse("port = 25\n\nport = 2525\n"))
                .hasMessage("/etc/postal/bhm.conf:3: port is set twice (first on line 1)");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedOnTheirLine() {
        byte[] bytes = {'p', 'o', 'r', 't', ' ', '=', ' ', '2', '5', '\n', 'h', '=', (byte) 0xE9, '\n'};
        assertThatThrownBy(() -> ConfigFile.parse(FILE, bytes)).hasMessage("/etc/postal/bhm.conf:2: not UTF-8 text");
    }

    @Test
    void controlCharactersAreRefused() {
        assertThatThrownBy(() -> parse("hostname = a\u0000b\n"))
                .hasMessage("/etc/postal/bhm.conf:1: control character U+0000");
        assertThatThrownBy(() -> parse("port = 25\rtls = yes\n"))
                .hasMessage("/etc/postal/bhm.conf:1: control character U+000D");
    }

    @Test
    void overlongLinesAreRefused() {
        String line = "hostname = " + "x".repeat(ConfigFile.MAX_LINE);
        assertThatThrownBy(() -> parse(line)).hasMessage("/etc/postal/bhm.conf:1: line longer than 4096 bytes");
    }

    @Test
    void aMissingFileIsExit66(@TempDir Path dir) {
        Path missing = dir.resolve("bhm.conf");
        assertThatThrownBy(() -> ConfigFile.read(missing)).isInstanceOfSatisfying(ConfigError.class, e -> {
            assertThat(e.getMessage()).isEqualTo(missing + ": cannot read: no such file");
            assertThat(e.exitCode()).isEqualTo(66);
            assertThat(e.line()).isZero();
        });
        assertThatThrownBy(() -> ConfigFile.read(dir)).hasMessage(dir + ": cannot read: is a directory");
    }

    @Test
    void aHugeFileIsRefused(@TempDir Path dir) throws IOException {
        Path huge = dir.resolve("huge.conf");
        Files.write(huge, List.of(("# " + "x".repeat(1000) + "\n").repeat(1100)));
        assertThatThrownBy(() -> ConfigFile.read(huge)).isInstanceOfSatisfying(ConfigError.class, e -> {
            assertThat(e.getMessage()).isEqualTo(huge + ": larger than 1 MiB");
            assertThat(e.exitCode()).isEqualTo(78);
        });
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rabid.conf");
        Files.writeString(file, "server = 127.0.0.1\nusers = /etc/postal/users\n");
        assertThat(ConfigFile.read(file).settings()).extracting(ConfigFile.Setting::key).containsExactly("server", "users");
    }
}
