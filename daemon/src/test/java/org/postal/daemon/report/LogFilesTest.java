// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {

    @TempDir
    Path tmp;

    private static void write(OutputStream out, String text) throws IOException {
        try (out) {
            out.write(text.getBytes(US_ASCII));
        }
    }

    @Test
    void aServiceIsAProcessWithALogsDirectory() {
        assertThat(LogFiles.inService(Map.of("LOGS_DIRECTORY", "/var/log/postal"))).isTrue();
        assertThat(LogFiles.inService(Map.of("LOGS_DIRECTORY", " "))).isFalse();
        assertThat(LogFiles.inService(Map.of("HOME", "/root"))).isFalse();
    }

    @Test
    void theForegroundStartsAfreshAndAServiceAppends() throws IOException {
        Path log = tmp.resolve("postal.log");
        write(LogFiles.open(log, false), "first run\n");
        write(LogFiles.open(log, true), "service run\n");
        assertThat(Files.readString(log)).isEqualTo("first run\nservice run\n");
        write(LogFiles.open(log, false), "next run\n");
        assertThat(Files.readString(log)).isEqualTo("next run\n");
    }

    @Test
    void anAppendOnlyFileCanBeOpenedForAppending() throws Exception {
        // What the SELinux policy grants the daemons on /var/log/postal: open with O_APPEND only.
        Path log = tmp.resolve("bhm.log");
        write(LogFiles.open(log, true), "one\n");
        // chattr comes with e2fsprogs, which a minimal Debian (a build chroot, a container) lacks;
        // and the file system under the temporary folder may not support the flag (tmpfs).
        assumeTrue(onPath("chattr"), "chattr is not installed (package e2fsprogs): cannot make a file append-only");
        Process attr = new ProcessBuilder("chattr", "+a", log.toString()).redirectErrorStream(true).start();
        String said = new String(attr.getInputStream().readAllBytes(), US_ASCII).strip();
        assumeTrue(attr.waitFor() == 0, () -> "chattr +a failed here, the append-only case cannot run: " + said);
        try {
            write(LogFiles.open(log, true), "two\n");
            assertThat(Files.readString(log)).isEqualTo("one\ntwo\n");
        } finally {
            new ProcessBuilder("chattr", "-a", log.toString()).start().waitFor();
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }
}
