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
 * layout, with a stand-in java that prints the command line it was given: which JIT flags each run
 * gets from --jit, from the config file's jit key, or (auto) from the program's own check, which
 * the stand-in answers with $STUB_JIT and records in the file $CHECKS. How auto decides is
 * JitTest's part, with the real parser.
 */
class LauncherTest {
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String EARLY = "-XX:CompileThresholdScaling=0.25";

    @TempDir
    Path dir;

    /** What the stand-in's JitCheck answers. */
    private String stubJit = "long";

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
        Files.writeString(java, "#!/bin/sh\ncase \" $* \" in *' org.postal.daemon.JitCheck '*)\n"
                + "  echo \"$*\" >> \"$CHECKS\"; echo \"$STUB_JIT\"; exit 0 ;;\nesac\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The arguments the launcher gave java for {@code program args}, without JAVA_OPTS. */
    private List<String> javaArgs(String program, String... args) throws Exception {
        return javaArgsWith(null, program, args);
    }

    /** The arguments the launcher gave java for {@code program args} with {@code javaOpts} (null: unset). */
    private List<String> javaArgsWith(String javaOpts, String program, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(dir.resolve("dist/bin/" + program).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
        builder.environment().remove("JAVA_OPTS");
        builder.environment().put("CHECKS", dir.resolve("checks").toString());
        builder.environment().put("STUB_JIT", stubJit);
        if (javaOpts != null) {
            builder.environment().put("JAVA_OPTS", javaOpts);
        }
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    /** The lines the stand-in's JitCheck was run with. */
    private List<String> checks() throws IOException {
        Path checks = dir.resolve("checks");
        return Files.exists(checks) ? Files.readAllLines(checks) : List.of();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--jit short", "--jit=short", "--count 1000000 --jit short", "--jit short -- --jit long"})
    void anExplicitShortRunsC1AloneAndCompilesEarlyWithoutACheck(String args) throws Exception {
        for (String program : List.of("postal", "rabid")) {
            List<String> java = javaArgs(program, args.split(" "));
            assertThat(java).as(program + " " + args).contains(C1_ONLY, EARLY);
            assertThat(java.indexOf(C1_ONLY)).isLessThan(java.indexOf("-cp"));
            assertThat(java).endsWith(args.split(" "));
        }
        assertThat(checks()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--jit long", "--jit=long", "--count 20 --jit long"})
    void anExplicitLongKeepsTheTieredCompilersWithoutACheck(String args) throws Exception {
        stubJit = "short";
        for (String program : List.of("postal", "rabid")) {
            assertThat(javaArgs(program, args.split(" "))).as(program + " " + args).doesNotContain(C1_ONLY, EARLY);
        }
        assertThat(checks()).isEmpty();
    }

    @Test
    void theConfigFilesJitKeyCountsAndTheCommandLineWins() throws Exception {
        Path conf = Files.writeString(dir.resolve("postal.conf"), "count = 5\n  jit = short  \n");
        assertThat(javaArgs("postal", "--config", conf.toString())).contains(C1_ONLY, EARLY);
        assertThat(javaArgs("rabid", "--config=" + conf)).contains(C1_ONLY, EARLY);
        assertThat(javaArgs("postal", "--config", conf.toString(), "--jit", "long")).doesNotContain(C1_ONLY, EARLY);
        assertThat(checks()).isEmpty();
    }

    @Test
    void autoAsksTheProgramWithItsArguments() throws Exception {
        Path conf = Files.writeString(dir.resolve("rabid.conf"), "duration = 1m\n");
        stubJit = "short";
        assertThat(javaArgs("postal", "--count", "20000")).contains(C1_ONLY, EARLY);
        assertThat(javaArgs("rabid", "--jit", "auto", "--config", conf.toString())).contains(C1_ONLY, EARLY);
        stubJit = "long";
        assertThat(javaArgs("postal", "--count", "300000")).doesNotContain(C1_ONLY, EARLY);
        assertThat(checks()).hasSize(3);
        assertThat(checks().get(0)).endsWith("org.postal.daemon.JitCheck postal --count 20000");
        assertThat(checks().get(1)).endsWith("org.postal.daemon.JitCheck rabid --jit auto --config " + conf);
    }

    @Test
    void aFailingCheckMeansTheTieredCompilers() throws Exception {
        stubJit = "";
        assertThat(javaArgs("postal", "--count", "20000")).doesNotContain(C1_ONLY, EARLY);
    }

    @Test
    void bhmAlwaysKeepsTheTieredCompilers() throws Exception {
        stubJit = "short";
        assertThat(javaArgs("bhm", "--count", "10")).doesNotContain(C1_ONLY, EARLY)
                .contains("org.postal.daemon.sink.SinkMain");
        assertThat(checks()).isEmpty();
    }

    @Test
    void javaOptsComeAfterTheLaunchersChoice() throws Exception {
        List<String> java = javaArgsWith("-XX:TieredStopAtLevel=4", "postal", "--jit", "short");
        assertThat(java.indexOf("-XX:TieredStopAtLevel=4")).isGreaterThan(java.indexOf(C1_ONLY))
                .isLessThan(java.indexOf("-cp"));
    }
}
