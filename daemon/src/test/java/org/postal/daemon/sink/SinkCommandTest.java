// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.postal.daemon.message.HashMode;
import picocli.CommandLine;

/** bhm's options as {@link SinkCommand#toConfig} turns them into a {@link SinkConfig}, and what it refuses. */
class SinkCommandTest {

    private static SinkConfig config(String options) {
        CommandLine cli = new CommandLine(new SinkCommand());
        cli.parseArgs(options.isBlank() ? new String[0] : options.trim().split("\\s+"));
        return ((SinkCommand) cli.getCommand()).toConfig();
    }

    @Test
    void defaults() {
        SinkConfig config = config("");
        assertThat(config.listen().port()).isEqualTo(2525);
        assertThat(config.listen().bind()).hasSize(1);
        assertThat(config.listen().bind().get(0).getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(config.listen().lmtp()).isFalse();
        assertThat(config.limits().maxMessage()).isEqualTo(10240L * 1024);
        assertThat(config.limits().maxLine()).isEqualTo(1000);
        assertThat(config.limits().maxSessions()).isEqualTo(100);
        assertThat(config.tls().starttls()).isFalse();
        assertThat(config.tls().enabled()).isFalse();
        assertThat(config.policy().auth()).isEqualTo(SinkConfig.AuthMode.NONE);
        assertThat(config.policy().users()).isNull();
        assertThat(config.policy().greylistDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.policy().hash()).isEqualTo(HashMode.AUTO);
    }

    @Test
    void lmtpWithSizeAndUserList() {
        SinkConfig config = config("--lmtp --max-size 1 users.txt");
        assertThat(config.listen().lmtp()).isTrue();
        assertThat(config.limits().maxMessage()).isEqualTo(1024);
        assertThat(config.policy().users()).isEqualTo(Path.of("users.txt"));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "100B, 100", "2K, 2048", "3MiB, 3145728", "10240, 10485760"})
    void sizes(String option, long octets) {
        assertThat(config("-m " + option).limits().maxMessage()).isEqualTo(octets);
    }

    @Test
    void theZeroSevenSixLetters() {
        SinkConfig config = config("-m 5 -t 7 -p 0 -b 127.0.0.1,::1 -s -r hosts -z trace --hostname mx.test");
        assertThat(config.limits().maxMessage()).isEqualTo(5 * 1024);
        assertThat(config.limits().maxSessions()).isEqualTo(7);
        assertThat(config.listen().port()).isZero();
        assertThat(config.listen().bind()).hasSize(2);
        assertThat(config.tls().starttls()).isTrue();
        assertThat(config.listen().reverseDns()).isEqualTo(Path.of("hosts"));
        assertThat(config.output().transcript()).isEqualTo(Path.of("trace"));
        assertThat(config.output().transcriptPerConnection()).isFalse();
        assertThat(config.listen().hostname()).isEqualTo("mx.test");
    }

    @Test
    void userListAsOption() {
        assertThat(config("--users u.txt --auth users").policy().users()).isEqualTo(Path.of("u.txt"));
    }

    @Test
    void wildcardAddresses() {
        assertThat(config("-b 0.0.0.0,::").listen().bind()).hasSize(2);
    }

    @Test
    void bracketedIpv6Bind() {
        assertThat(config("-b [::1]").listen().bind().get(0).getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--users a.txt b.txt                 | give the user list once",
        "-z one -Z two                       | -z and -Z exclude each other",
        "--max-recipients 0                  | --max-recipients",
        "--max-errors 0                      | --max-errors",
        "-b localhost                        | invalid bind address",
        "-b 127.0.0.1,mail.example.com       | invalid bind address",
        "-b 300.1.1.1                        | invalid bind address",
        "-b ::1::2                           | invalid bind address",
        "--auth maybe                        | invalid --auth",
        "--auth users                        | needs a user list",
        "--hash sha1                         | unknown hash mode",
        "-p 70000                            | --port out of range",
        "--tls-port 2525                     | --tls-port must differ",
        "--tls-port 70000                    | --tls-port out of range",
        "--tls-cert c.pem                    | go together",
        "--max-line 100                      | --max-line out of range",
        "-t 0                                | --connections out of range",
        "--io-threads 300                    | --io-threads",
        "--command-timeout 0                 | --command-timeout must be a positive duration",
        "--data-timeout 0s                   | --data-timeout must be a positive duration",
        "--interval 0                        | --interval must be a positive duration",
        "--count -1                          | --count must not be negative",
        "--hostname=                         | bad --hostname",
    })
    void refusedCombinations(String options, String message) {
        assertThatThrownBy(() -> config(options)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message.trim());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-m ten", "-m 5T", "--greylist-delay soon", "--command-timeout -5s", "-p x", "--bogus",
        "a.txt b.txt"})
    void malformedValuesAreUsageErrors(String options) {
        assertThatThrownBy(() -> config(options)).isInstanceOf(CommandLine.ParameterException.class);
    }
}
