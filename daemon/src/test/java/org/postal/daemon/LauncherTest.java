// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launcher script (src/dist/launcher) run as bin/postal, bin/rabid and bin/bhm of a build-tree
 * layout, with a stand-in java that prints the command line it was given and records each start in
 * the file $STARTS: which JIT flags each run gets from --jit, from the config file's jit key, or
 * (auto, the default) from --count and --duration on the command line, always with one JVM start;
 * and the load generators' bounded young generation.
 */
class LauncherTest {
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String EARLY = "-XX:CompileThresholdScaling=0.25";
    private static final String YOUNG_BOUND = "-XX:MaxNewSize=64m";

    @TempDir
    Path dir;

    @BeforeEach
    void buildTree() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("dist/bin"));
        Files.createDirectories(dir.resolve("dist/lib"));
        Files.createFile(dir.resolve("dist/lib/postal-daemon-1.0.0.jar"));
        for (String name : List.of("postal", "rabid", "bhm")) {
            Path program = Files.copy(Path.of("src/dist/launcher"), bin.resolve(name));
            Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path java = Files.createDirectories(dir.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$*\" >> \"$STARTS\"\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The arguments the launcher gave java for {@code program args}, without JAVA_OPTS. */
    private List<String> javaArgs(String program, String... args) throws Exception {
        return javaArgsWith(null, program, args);
    }

    /**
     * The arguments the launcher gave java for {@code program args} with {@code javaOpts} (null:
     * unset), checked to be the only JVM it started: a JVM started to decide would cost a quarter
     * of a second of CPU on every run.
     */
    private List<String> javaArgsWith(String javaOpts, String program, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(dir.resolve("dist/bin/" + program).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
        builder.environment().remove("JAVA_OPTS");
        Path starts = dir.resolve("starts");
        Files.deleteIfExists(starts);
        builder.environment().put("STARTS", starts.toString());
        if (javaOpts != null) {
            builder.environment().put("JAVA_OPTS", javaOpts);
        }
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(out).isZero();
        assertThat(Files.readAllLines(starts)).as("JVM starts for " + command).hasSize(1);
        return out.lines().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--count 20000", "--count=199999", "--duration 20s", "--duration=29", "--duration 500ms",
            "--count 1000000 --duration 10s", "-t 20 -c 1 --count 1 127.0.0.1 users", "--jit auto --count 5"})
    void aShortRunRunsC1AloneAndCompilesEarly(String args) throws Exception {
        for (String program : List.of("postal", "rabid")) {
            List<String> java = javaArgs(program, args.split(" "));
            assertThat(java).as(program + " " + args).contains(C1_ONLY, EARLY);
            assertThat(java.indexOf(C1_ONLY)).isLessThan(java.indexOf("-cp"));
            assertThat(java).endsWith(args.split(" "));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--count 300000", "--count=200000", "--count 0", "--duration 30s", "--duration 2m",
            "--duration 1h", "--duration 0", "--count 12x", "--count", "--config /etc/postal/postal.conf",
            "-- --count 1000"})
    void aLongOrUnboundedRunKeepsTheTieredCompilers(String args) throws Exception {
        String[] given = args.isEmpty() ? new String[0] : args.split(" ");
        for (String program : List.of("postal", "rabid")) {
            assertThat(javaArgs(program, given)).as(program + " " + args).doesNotContain(C1_ONLY, EARLY);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--jit short", "--jit=short", "--count 1000000 --jit short", "--jit short -- --jit long"})
    void anExplicitShortRunsC1AloneAndCompilesEarly(String args) throws Exception {
        for (String program : List.of("postal", "rabid")) {
            List<String> java = javaArgs(program, args.split(" "));
            assertThat(java).as(program + " " + args).contains(C1_ONLY, EARLY);
            assertThat(java).endsWith(args.split(" "));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--jit long", "--jit=long", "--count 20 --jit long"})
    void anExplicitLongKeepsTheTieredCompilers(String args) throws Exception {
        for (String program : List.of("postal", "rabid")) {
            assertThat(javaArgs(program, args.split(" "))).as(program + " " + args).doesNotContain(C1_ONLY, EARLY);
        }
    }

    @Test
    void theConfigFilesJitKeyCountsAndTheCommandLineWins() throws Exception {
        Path conf = Files.writeString(dir.resolve("postal.conf"), "count = 5000000\n  jit = short  \n");
        assertThat(javaArgs("postal", "--config", conf.toString())).contains(C1_ONLY, EARLY);
        assertThat(javaArgs("rabid", "--config=" + conf)).contains(C1_ONLY, EARLY);
        assertThat(javaArgs("postal", "--config", conf.toString(), "--jit", "long")).doesNotContain(C1_ONLY, EARLY);
        Path auto = Files.writeString(dir.resolve("auto.conf"), "jit = auto\n");
        assertThat(javaArgs("postal", "--config", auto.toString(), "--count", "10")).contains(C1_ONLY, EARLY);
    }

    @Test
    void bhmAlwaysKeepsTheTieredCompilers() throws Exception {
        assertThat(javaArgs("bhm", "--count", "10")).doesNotContain(C1_ONLY, EARLY)
                .contains("org.postal.daemon.sink.SinkMain");
    }

    @Test
    void theLoadGeneratorsYoungGenerationIsBoundedAndJavaOptsCanLiftIt() throws Exception {
        for (String program : List.of("postal", "rabid")) {
            assertThat(javaArgs(program)).as(program).contains(YOUNG_BOUND);
            List<String> java = javaArgsWith("-XX:MaxNewSize=512m", program);
            assertThat(java.indexOf("-XX:MaxNewSize=512m")).isGreaterThan(java.indexOf(YOUNG_BOUND));
        }
        assertThat(javaArgs("bhm")).doesNotContain(YOUNG_BOUND);
    }

    @Test
    void javaOptsComeAfterTheLaunchersChoice() throws Exception {
        List<String> java = javaArgsWith("-XX:TieredStopAtLevel=4", "postal", "--count", "5");
        assertThat(java.indexOf("-XX:TieredStopAtLevel=4")).isGreaterThan(java.indexOf(C1_ONLY))
                .isLessThan(java.indexOf("-cp"));
    }
}
