// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.service.RunHandle;
import org.postal.daemon.sink.SinkHarness;

/** bhm and postal each started from a config file, postal sending to bhm: the settings of both files apply. */
class SmtpConfigFileIT {

    @TempDir
    Path dir;

    private SinkHarness sink;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    private Path write(String name, String... lines) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, List.of(lines));
        return file;
    }

    @Test
    void postalFromItsFileSendsToBhmFromItsFile() throws Exception {
        // bhm's file asks for port 25; the harness's --port 0 wins, as a flag does.
        Path bhmConf = write("bhm.conf", "# test sink", "port = 25", "max-size = 64KiB", "lmtp = yes",
                "log-dir = " + dir);
        sink = new SinkHarness("--config", bhmConf.toString());
        Path users = write("users", "# accounts", "user1@example.com password1", "user2@example.com password2");
        Path postalConf = write("postal.conf",
                "# test load",
                "server = \"[127.0.0.1]" + sink.port() + "\"  # bhm",
                "users = " + users,
                "lmtp = yes",
                "connections = 2",
                "messages-per-connection = 5",
                "max-size = 8",
                "count = 20",
                "json = yes",
                "interval = 1h",
                "log-dir = " + dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SmtpLoadMain.run(new String[] {"--config", postalConf.toString(), "--count", "12"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new RunHandle("postal"));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as(stderr).isZero();
        String[] rows = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(SmtpLoadIT.flat(rows[rows.length - 1])).containsEntry("messages", 12);
        assertThat(sink.stats().messages()).isEqualTo(12);
        assertThat(sink.stats().verified()).isEqualTo(12);
        assertThat(sink.stats().corrupt()).isZero();
    }

    @Test
    void aBadFileStopsPostalBeforeItSends() throws Exception {
        Path postalConf = write("postal.conf", "server = 127.0.0.1", "users = /etc/postal/users", "rate = fast");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SmtpLoadMain.run(new String[] {"--config", postalConf.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new RunHandle("postal"));
        assertThat(status).isEqualTo(78);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("postal: " + postalConf
                + ":3: bad rate \"fast\" (use e.g. 6000 per minute, 500/s, 30000/m)\n");
    }
}
