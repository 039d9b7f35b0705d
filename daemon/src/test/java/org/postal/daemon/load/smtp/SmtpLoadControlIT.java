// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.control.Postalctl;
import org.postal.daemon.service.RunHandle;
import org.postal.daemon.sink.SinkHarness;

/** postal running against a bhm, its rate changed, paused and resumed through postalctl. */
class SmtpLoadControlIT {

    @TempDir
    Path dir;

    private SinkHarness sink;
    private final RunHandle run = new RunHandle("postal");
    private Thread postal;
    private final AtomicInteger exit = new AtomicInteger(-1);

    @AfterEach
    void stop() throws InterruptedException {
        if (postal != null && postal.isAlive()) {
            run.stop();
            postal.join(15_000);
        }
        if (sink != null) {
            sink.close();
        }
    }

    private Postalctl ctl(String... args) {
        return Postalctl.in(dir, args);
    }

    private long messages() {
        Postalctl stats = ctl("postal", "stats");
        assertThat(stats.code()).as(stats.err()).isZero();
        Matcher m = Pattern.compile("(?m)^messages:\\s+(\\d+)$").matcher(stats.out());
        assertThat(m.find()).as(stats.out()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Messages sent in about one second. */
    private long perSecond() throws InterruptedException {
        long before = messages();
        Thread.sleep(1000);
        return messages() - before;
    }

    @Test
    void rateChangesShowInTheNextIntervalAndPauseStopsNewMessages() throws Exception {
        sink = new SinkHarness("--interval", "1h");
        Path users = dir.resolve("users");
        Files.write(users, List.of("a@example.com", "b@example.com"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        postal = new Thread(() -> {
            try {
                exit.set(SmtpLoadMain.run(new String[] {"--json", "--interval", "1h", "--log-dir", dir.toString(),
                        "--control-dir", dir.toString(), "-p", Integer.toString(sink.port()), "-t", "2",
                        "-r", "300/min", "-m", "1", "127.0.0.1", users.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(
                                java.io.OutputStream.nullOutputStream()), run));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        postal.start();
        Postalctl.awaitSocket(dir.resolve("postal.sock"));
        Thread.sleep(2500); // the open-loop schedule catches up on a slow (cold JVM) start first
        assertThat(perSecond()).isBetween(2L, 10L);
        Postalctl rate = ctl("postal", "rate", "50/s");
        assertThat(rate.code()).as(rate.err()).isZero();
        assertThat(rate.out().strip()).isEqualTo("postal rate now 3000/min");
        assertThat(perSecond()).isBetween(35L, 65L);
        assertThat(ctl("postal", "status").out()).contains("state:").contains("running").contains("3000/min");

        assertThat(ctl("postal", "pause").out().strip()).isEqualTo("postal paused: no new messages until resume");
        assertThat(ctl("postal", "pause").code()).isEqualTo(1);
        Thread.sleep(200);
        assertThat(perSecond()).isLessThanOrEqualTo(2L);
        assertThat(ctl("postal", "status").out()).contains("paused");
        assertThat(ctl("postal", "resume").code()).isZero();
        assertThat(perSecond()).isBetween(35L, 65L);

        assertThat(ctl("postal", "rate", "fast").err()).contains("bad rate \"fast\"");
        assertThat(ctl("postal", "transcript", "on").out()).contains(dir.resolve("postal.transcript").toString());
        run.stop();
        postal.join(15_000);
        assertThat(exit.get()).isZero();
        assertThat(dir.resolve("postal.sock")).doesNotExist();
    }
}
