// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postal.daemon.config.ConfigLoader;
import org.postal.daemon.load.Jit;
import org.postal.daemon.load.mailbox.RabidMain;
import org.postal.daemon.load.smtp.SmtpLoadMain;

/**
 * --jit auto as the launcher's check resolves it, with each program's own parser: the bounds count
 * wherever they are set (the command line or the --config file) and in any unit. The shell
 * parser this replaced missed both the file and minutes.
 */
class JitTest {

    @TempDir
    Path dir;

    private Jit jit(String program, String config, String args) throws Exception {
        Path file = Files.writeString(dir.resolve(program + ".conf"), config);
        String line = "--config " + file + (args.isEmpty() ? "" : " " + args);
        ConfigLoader.Loaded<Jit> loaded = program.equals("postal") ? SmtpLoadMain.jit(line.split(" "))
                : RabidMain.jit(line.split(" "));
        return ((ConfigLoader.Loaded.Ok<Jit>) loaded).config();
    }

    @ParameterizedTest
    @ValueSource(strings = {"|--count 20000", "count = 199999|", "duration = 20s|", "|--duration 500ms",
            "duration = 1h|--count 1000", "count = 1000000|--duration 10s", "jit = short|--count 0",
            "count = 5|--jit auto"})
    void shortRuns(String fileAndArgs) throws Exception {
        String[] parts = fileAndArgs.split("\\|", -1);
        for (String program : new String[] {"postal", "rabid"}) {
            assertThat(jit(program, parts[0].replace("; ", "\n"), parts[1])).as(program + " " + fileAndArgs)
                    .isEqualTo(Jit.SHORT);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"|", "count = 300000|", "|--count 200000", "|--duration 30s", "duration = 2m|",
            "|--duration 1m", "|--duration 0", "count = 5|--jit long", "jit = long|--count 10"})
    void longAndUnboundedRuns(String fileAndArgs) throws Exception {
        String[] parts = fileAndArgs.split("\\|", -1);
        for (String program : new String[] {"postal", "rabid"}) {
            assertThat(jit(program, parts[0], parts[1])).as(program + " " + fileAndArgs).isEqualTo(Jit.LONG);
        }
    }
}
