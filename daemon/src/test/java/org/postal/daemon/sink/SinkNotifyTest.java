// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.service.NotifyListener;
import org.postal.daemon.service.RunHandle;
import org.postal.daemon.service.SdNotify;
import org.postal.daemon.service.Service;

/** An in-process bhm tells a stand-in systemd READY=1, STATUS=, WATCHDOG=1 and STOPPING=1. */
class SinkNotifyTest {

    @TempDir
    Path dir;

    @Test
    void readyStatusWatchdogStopping() throws Exception {
        try (NotifyListener systemd = new NotifyListener(dir.resolve("notify").toString());
             SdNotify notify = SdNotify.to(systemd.path())) {
            RunHandle running = new RunHandle(Service.of("bhm", notify, Duration.ofMillis(100)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CompletableFuture<Integer> bhm = CompletableFuture.supplyAsync(() -> {
                try {
                    return SinkMain.run(new String[] {"--bind", "127.0.0.1", "--port", "0", "--interval", "1s"},
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8), running);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            String ready = systemd.await(s -> s.startsWith("READY=1"), 10_000);
            assertThat(ready).matches("READY=1\nSTATUS=ready; 0 messages .*");
            systemd.await(s -> s.equals("WATCHDOG=1"), 5_000);
            assertThat(systemd.await(s -> s.startsWith("STATUS="), 5_000)).matches("STATUS=\\d+\\.\\d msg/s .*messages.*");
            running.stop();
            systemd.await(s -> s.equals("STOPPING=1"), 10_000);
            assertThat(bhm.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(systemd.received().get(0)).startsWith("READY=1");
        }
    }
}
