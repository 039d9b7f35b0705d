// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.control.Postalctl;
import org.postal.daemon.service.RunHandle;

/** bhm from a config file: postalctl reload and SIGHUP apply the user list, name what needs a restart, and refuse a broken file. */
class SinkReloadIT {

    @TempDir
    Path dir;

    private final RunHandle running = new RunHandle("bhm");
    private final AtomicInteger exit = new AtomicInteger(-1);
    private Path conf;
    private Thread bhm;
    private int port;

    @BeforeEach
    void start() throws Exception {
        Files.write(dir.resolve("users-a"), List.of("x@example.com secret r"));
        Files.write(dir.resolve("users-b"), List.of("y@example.com secret r"));
        conf = dir.resolve("bhm.conf");
        write("users-a", "10MiB");
        bhm = new Thread(() -> {
            try {
                exit.set(SinkMain.run(new String[] {"--config", conf.toString(), "--port", "0", "--interval", "1h",
                        "--control-dir", dir.toString()}, new PrintStream(OutputStream.nullOutputStream()),
                        System.err, running));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        bhm.start();
        Postalctl.awaitSocket(dir.resolve("bhm-status.sock"));
        Matcher m = Pattern.compile("listening:\\s+127\\.0\\.0\\.1:(\\d+)").matcher(ctl("bhm", "status").out());
        assertThat(m.find()).isTrue();
        port = Integer.parseInt(m.group(1));
    }

    @AfterEach
    void stop() throws InterruptedException {
        running.stop();
        bhm.join(10_000);
        assertThat(exit.get()).isZero();
    }

    private void write(String users, String maxSize) throws Exception {
        Files.write(conf, List.of("# test", "users = " + dir.resolve(users), "max-size = " + maxSize,
                "log-dir = " + dir));
    }

    private Postalctl ctl(String... args) {
        return Postalctl.in(dir, args);
    }

    private String rcpt(String recipient) throws Exception {
        return LineClient.rcpt(port, recipient);
    }

    @Test
    void reloadAppliesTheUserListAndNamesWhatNeedsARestart() throws Exception {
        assertThat(rcpt("x@example.com")).startsWith("550");
        assertThat(rcpt("y@example.com")).startsWith("250");
        assertThat(ctl("bhm", "reload").out()).contains("nothing changed");
        write("users-b", "20MiB");
        Postalctl reload = ctl("bhm", "reload");
        assertThat(reload.code()).as(reload.err()).isZero();
        assertThat(reload.out()).contains("applied users=").contains("needs a restart: limits.maxMessage");
        assertThat(rcpt("y@example.com")).startsWith("550");
        assertThat(rcpt("x@example.com")).startsWith("250");
    }

    @Test
    void aBrokenFileIsRefusedWithItsLineAndChangesNothing() throws Exception {
        Files.write(conf, List.of("users = " + dir.resolve("users-b"), "max-sise = 1MiB"));
        Postalctl reload = ctl("bhm", "reload");
        assertThat(reload.code()).isEqualTo(1);
        assertThat(reload.err()).contains("settings unchanged").contains("bhm.conf:2").contains("max-size");
        assertThat(rcpt("x@example.com")).startsWith("550");
        assertThat(rcpt("y@example.com")).startsWith("250");
    }

    @Test
    void sighupReloadsToo() throws Exception {
        write("users-b", "10MiB");
        assertThat(running.service().reload()).isTrue();
        assertThat(rcpt("y@example.com")).startsWith("550");
        Files.write(conf, List.of("users = /nonexistent/users"));
        assertThat(running.service().reload()).isFalse();
        assertThat(rcpt("y@example.com")).startsWith("550");
    }
}
