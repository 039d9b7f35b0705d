// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.report.OpenLogs;
import org.postal.daemon.report.ReopenableFile;

/** SIGUSR1 reopens the logs, as logrotate's postrotate may send it; the JVM alone would exit on it. */
class ReopenSignalTest {

    @TempDir
    Path dir;

    @Test
    void sigusr1ReopensTheLogsByName() throws Exception {
        OpenLogs logs = new OpenLogs();
        ReopenSignal.install(logs);
        Path file = dir.resolve("postal.csv");
        try (ReopenableFile log = ReopenableFile.open(file, true, logs)) {
            log.write("old\n".getBytes(UTF_8));
            Files.move(file, dir.resolve("postal.csv.1"));
            // kill(2) through jnr-posix: a minimal Debian has no kill program (procps).
            int pid = (int) ProcessHandle.current().pid();
            assertThat(jnr.posix.POSIXFactory.getNativePOSIX().kill(pid, jnr.constants.platform.Signal.SIGUSR1.intValue()))
                    .isZero();
            // The handler runs on the JVM's signal thread: wait for it (bounded), not for a time.
            for (int i = 0; i < 500 && log.reopens() == 0; i++) {
                Thread.sleep(10);
            }
            assertThat(log.reopens()).isEqualTo(1);
            log.write("new\n".getBytes(UTF_8));
        }
        assertThat(Files.readString(dir.resolve("postal.csv.1"))).isEqualTo("old\n");
        assertThat(Files.readString(file)).isEqualTo("new\n");
    }
}
