// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A config file beneath a command line: keys, values checked by the options' converters, flags winning, reloads. */
class ConfigLoaderTest {

    /** The shapes of option bhm, postal and rabid have. */
    @Command(name = "demo", mixinStandardHelpOptions = true)
    static final class Demo {
        @Option(names = {"-s", "--tls"})
        boolean tls;
        @Option(names = {"-p", "--port"}, defaultValue = "2525")
        int port;
        @Option(names = {"-b", "--bind"}, split = ",", defaultValue = "127.0.0.1")
        List<String> bind;
        @Option(names = "--greylist-delay", defaultValue = "60s", converter = ReportOptions.DurationConverter.class)
        Duration greylistDelay;
        @Option(names = {"-m", "--max-size"}, defaultValue = "10240", converter = ReportOptions.SizeConverter.class)
        long maxSize;
        @Option(names = "--auth", defaultValue = "none")
        String auth;
        @Option(names = "--users")
        Path usersOption;
        @Option(names = "-q", description = "A 0.76 letter without a long name.")
        String quirk;
        @Mixin
        ReportOptions report;
        @ConfigKey("users")
        @Parameters(index = "0", arity = "0..1")
        Path users;

        String toConfig() {
            if (!auth.matches("none|any|users")) {
                throw new IllegalArgumentException("invalid --auth \"" + auth + "\": use none, any or users");
            }
            if (users != null && usersOption != null) {
                throw new IllegalArgumentException("give the user list once: as an argument or with --users");
            }
            return "port " + port + " users " + (users != null ? users : usersOption);
        }
    }

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path file = dir.resolve("demo.conf");
        Files.writeString(file, text);
        return file;
    }

    private Demo parse(String text, String... args) throws Exception {
        Path file = file(text);
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = file.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        CommandLine cli = new CommandLine(new Demo());
        ConfigLoader.parseArgs(cli, all);
        return cli.getCommand();
    }

    private ConfigError error(String text, String... args) throws IOException {
        Path file = file(text);
        CommandLine cli = new CommandLine(new Demo());
        String[] all = List.of(List.of("--config", file.toString()), List.of(args)).stream()
                .flatMap(List::stream).toArray(String[]::new);
        try {
            ConfigLoader.parseArgs(cli, all);
            ConfigLoader.toConfig(cli, Demo::toConfig);
        } catch (ConfigError e) {
            return e;
        }
        throw new AssertionError("no error for " + text);
    }

    @Test
    void withoutConfigTheCommandLineAlone() throws Exception {
        CommandLine cli = new CommandLine(new Demo());
        ConfigLoader.parseArgs(cli, "-p", "7");
        Demo demo = cli.getCommand();
        assertThat(demo.port).isEqualTo(7);
        assertThat(demo.greylistDelay).isEqualTo(Duration.ofSeconds(60));
        assertThat(demo.report.config).isNull();
    }

    @Test
    void theFileSetsDefaults() throws Exception {
        Demo demo = parse("""
                port = 25
                tls = yes
                bind = 127.0.0.1, ::1
                greylist-delay = 30s
                max-size = 1MiB
                interval = 5s     # from the shared options
                json = on
                users = "/etc/postal/my users"
                """);
        assertThat(demo.port).isEqualTo(25);
        assertThat(demo.tls).isTrue();
        assertThat(demo.bind).containsExactly("127.0.0.1", "::1");
        assertThat(demo.greylistDelay).isEqualTo(Duration.ofSeconds(30));
        assertThat(demo.maxSize).isEqualTo(1 << 20);
        assertThat(demo.report.interval).isEqualTo(Duration.ofSeconds(5));
        assertThat(demo.report.json).isTrue();
        assertThat(demo.usersOption).isEqualTo(Path.of("/etc/postal/my users"));
        assertThat(demo.auth).isEqualTo("none");
    }

    @Test
    void flagsWin() throws Exception {
        String text = "port = 25\ntls = yes\nbind = 10.0.0.1,10.0.0.2\nusers = /etc/postal/users\n";
        Demo demo = parse(text, "-p", "26", "--bind", "10.0.0.3", "--users", "mine");
        assertThat(demo.port).isEqualTo(26);
        assertThat(demo.bind).containsExactly("10.0.0.3");
        assertThat(demo.usersOption).isEqualTo(Path.of("mine"));
        // picocli would toggle a flag whose default is true: the file's value gives way instead.
        assertThat(parse(text, "--tls").tls).isTrue();
        assertThat(parse(text, "-s").tls).isTrue();
        assertThat(parse(text, "--tls=false").tls).isFalse();
        assertThat(parse("tls = no\n", "--tls").tls).isTrue();
    }

    @Test
    void aPositionalParameterWinsOverItsKey() throws Exception {
        Demo demo = parse("users = /etc/postal/users\n", "list.txt");
        assertThat(demo.users).isEqualTo(Path.of("list.txt"));
        assertThat(demo.usersOption).isNull();
        assertThat(demo.toConfig()).isEqualTo("port 2525 users list.txt");
    }

    @ParameterizedTest
    @CsvSource({"yes, true", "Yes, true", "on, true", "true, true", "no, false", "off, false", "FALSE, false"})
    void booleans(String word, boolean value) throws Exception {
        assertThat(parse("json = " + word + "\n").report.json).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "max_size = 1    | 2: unknown key \"max_size\" (did you mean max-size?)",
        "prot = 25       | 2: unknown key \"prot\" (did you mean port?)",
        "--port = 25     | 2: unknown key \"--port\" (did you mean port?)",
        "greylist = 5s   | 2: unknown key \"greylist\" (did you mean greylist-delay?)",
        "p = 25          | 2: unknown key \"p\": keys are long option names; -p is port",
        "frobnicate = 1  | 2: unknown key \"frobnicate\"",
        "config = x.conf | 2: config cannot be set in a config file",
        "help = yes      | 2: unknown key \"help\"",
        "port = abc      | 2: port: 'abc' is not an int",
        "port = 99999999999 | 2: port: '99999999999' is not an int",
        "tls = maybe     | 2: tls: \"maybe\" is not yes or no (or true/false, on/off)",
        "greylist-delay = 5x | 2: greylist-delay: bad duration \"5x\" (use e.g. 250ms, 30s, 5m, 2h, 1d)",
        "max-size = 10 KB | 2: max-size: bad size \"10 KB\" (use KiB as a bare number, or e.g. 512B, 10KiB, 40MiB)",
        "interval = often | 2: interval: bad duration \"often\" (use e.g. 250ms, 30s, 5m, 2h, 1d)",
        "count = -x      | 2: count: '-x' is not a long",
        "auth = bogus    | 2: invalid --auth \"bogus\": use none, any or users",
    })
    void refusalsNameTheFileAndLine(String line, String where) throws IOException {
        ConfigError e = error("# demo\n" + line + "\njson = no\n");
        assertThat(e.getMessage()).isEqualTo(dir.resolve("demo.conf") + ":" + where);
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.exitCode()).isEqualTo(78);
    }

    @Test
    void aBadValueIsRefusedEvenWhenAFlagOverridesIt() throws IOException {
        assertThat(error("port = abc\n", "-p", "25").getMessage()).endsWith("demo.conf:1: port: 'abc' is not an int");
    }

    @Test
    void aRefusalOfTheCommandLineStaysAUsageError() throws IOException {
        Path file = file("port = 25\n");
        CommandLine cli = new CommandLine(new Demo());
        assertThatThrownBy(() -> {
            ConfigLoader.parseArgs(cli, "--config", file.toString(), "--auth", "bogus");
            ConfigLoader.toConfig(cli, Demo::toConfig);
        }).isInstanceOf(IllegalArgumentException.class).hasMessage("invalid --auth \"bogus\": use none, any or users");
        assertThatThrownBy(() -> ConfigLoader.parseArgs(cli, "--config", file.toString(), "-p", "x"))
                .isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void aMissingFileIsExit66() {
        CommandLine cli = new CommandLine(new Demo());
        Path missing = dir.resolve("none.conf");
        assertThatThrownBy(() -> ConfigLoader.parseArgs(cli, "--config", missing.toString()))
                .isInstanceOfSatisfying(ConfigError.class, e -> {
                    assertThat(e.getMessage()).isEqualTo(missing + ": cannot read: no such file");
                    assertThat(e.exitCode()).isEqualTo(66);
                });
    }

    @Test
    void helpDoesNotNeedAGoodFile() throws Exception {
        CommandLine cli = new CommandLine(new Demo());
        CommandLine.ParseResult parsed = ConfigLoader.parseArgs(cli, "--config", dir.resolve("none").toString(), "--help");
        assertThat(parsed.isUsageHelpRequested()).isTrue();
    }

    @Test
    void keysAreTheLongOptionsButConfigHelpAndVersion() {
        assertThat(ConfigLoader.keys(new CommandLine(new Demo()).getCommandSpec()).keySet()).containsExactly(
                "tls", "port", "bind", "greylist-delay", "max-size", "auth", "users",
                "interval", "json", "count", "duration", "log-dir");
    }

    @Test
    void loadGivesANewConfigOrTheErrorForAReload() throws Exception {
        Path file = file("port = 25\n");
        String[] args = {"--config", file.toString(), "--users", "u"};
        ConfigLoader.Loaded<String> first = ConfigLoader.load(Demo::new, Demo::toConfig, args);
        assertThat(first).isEqualTo(new ConfigLoader.Loaded.Ok<>("port 25 users u"));

        Files.writeString(file, "port = 26\nusers = ignored\n");
        assertThat(ConfigLoader.load(Demo::new, Demo::toConfig, args))
                .isEqualTo(new ConfigLoader.Loaded.Ok<>("port 26 users u"));

        Files.writeString(file, "port = 27\nauth = bogus\n");
        ConfigLoader.Loaded<String> broken = ConfigLoader.load(Demo::new, Demo::toConfig, args);
        assertThat(broken).isInstanceOfSatisfying(ConfigLoader.Loaded.Failed.class, failed -> {
            assertThat(failed.error().file()).isEqualTo(file);
            assertThat(failed.error().line()).isEqualTo(2);
            assertThat(failed.error().reason()).isEqualTo("invalid --auth \"bogus\": use none, any or users");
        });

        Files.delete(file);
        assertThat(ConfigLoader.load(Demo::new, Demo::toConfig, args))
                .isInstanceOfSatisfying(ConfigLoader.Loaded.Failed.class,
                        failed -> assertThat(failed.error().exitCode()).isEqualTo(66));
    }

    @Test
    void closestKey() {
        List<String> keys = List.of("max-size", "min-size", "connections", "rate", "tls-percent");
        assertThat(FileDefaults.closest("max-sise", keys)).isEqualTo("max-size");
        assertThat(FileDefaults.closest("conections", keys)).isEqualTo("connections");
        assertThat(FileDefaults.closest("percent", keys)).isEqualTo("tls-percent");
        assertThat(FileDefaults.closest("size", keys)).isNull();
        assertThat(FileDefaults.closest("xyzzy", keys)).isNull();
    }
}
