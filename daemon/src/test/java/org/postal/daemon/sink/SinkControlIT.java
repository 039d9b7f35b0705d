// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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

/** bhm started as from the command line with --control-dir, driven by postalctl while SMTP clients come and go. */
class SinkControlIT {

    @TempDir
    Path dir;

    private final RunHandle running = new RunHandle("bhm");
    private final AtomicInteger exit = new AtomicInteger(-1);
    private Thread bhm;
    private int port;

    @BeforeEach
    void start() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bhm = new Thread(() -> {
            try {
                exit.set(SinkMain.run(new String[] {"--port", "0", "--interval", "1h", "--log-dir", dir.toString(),
                        "--control-dir", dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                        System.err, running));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        bhm.start();
        Postalctl.awaitSocket(dir.resolve("bhm-status.sock"));
        Postalctl status = ctl("bhm", "status");
        assertThat(status.code()).as(status.err()).isZero();
        Matcher m = Pattern.compile("listening:\\s+127\\.0\\.0\\.1:(\\d+)").matcher(status.out());
        assertThat(m.find()).as(status.out()).isTrue();
        port = Integer.parseInt(m.group(1));
    }

    @AfterEach
    void stop() throws InterruptedException {
        running.stop();
        bhm.join(10_000);
        assertThat(exit.get()).isZero();
        assertThat(dir.resolve("bhm.sock")).doesNotExist();
    }

    private Postalctl ctl(String... args) {
        return Postalctl.in(dir, args);
    }

    private String rcpt(String recipient) throws Exception {
        return LineClient.rcpt(port, recipient);
    }

    @Test
    void statusOnTheReadOnlySocketNamedExplicitly() {
        Postalctl status = Postalctl.run("--socket", dir.resolve("bhm-status.sock").toString(), "bhm", "status");
        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("program:").contains("bhm").contains("state:");
        Postalctl json = ctl("--json", "bhm", "stats");
        assertThat(json.out()).startsWith("{\"v\":1,\"ok\":true,\"result\":{\"uptime_s\":");
    }

    @Test
    void aFaultRuleAnswersTheNextSessionsRcptWith450() throws Exception {
        assertThat(rcpt("b@example.com")).startsWith("250");
        Postalctl set = ctl("bhm", "set", "fault.rcpt=450");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out().strip()).isEqualTo("fault.rcpt = 450");
        assertThat(rcpt("b@example.com")).isEqualTo("450 4.3.0 Injected fault (fault.rcpt)");
        assertThat(ctl("bhm", "config").out()).contains("run_time.faults.rcpt:").contains("450");
        assertThat(ctl("bhm", "set", "fault.rcpt=off").code()).isZero();
        assertThat(rcpt("b@example.com")).startsWith("250");
        assertThat(ctl("bhm", "set", "fault.mail=421").code()).isZero();
        try (LineClient client = new LineClient(new InetSocketAddress("127.0.0.1", port))) {
            client.reply();
            client.command("EHLO test");
            assertThat(client.command("MAIL FROM:<a@example.com>")).startsWith("421 4.3.0");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(ctl("bhm", "set", "fault=off").code()).isZero();
    }

    @Test
    void badSettingsAreRefusedAndChangeNothing() throws Exception {
        Postalctl bad = ctl("bhm", "set", "fault.rcpt=999");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("fault reply code out of range 400..599: 999");
        assertThat(ctl("bhm", "set", "fault.rcpt=450:150%").err()).contains("percentage out of range");
        assertThat(ctl("bhm", "set", "fault.frob=450").err()).contains("unknown SMTP verb");
        assertThat(ctl("bhm", "set", "colour=blue").err()).contains("no run-time setting \"colour\"");
        assertThat(ctl("bhm", "set", "users=" + dir.resolve("missing")).err()).contains("no such file");
        Postalctl rate = ctl("bhm", "rate", "10/s");
        assertThat(rate.code()).isEqualTo(1);
        assertThat(rate.err()).contains("bhm has no rate");
        assertThat(ctl("bhm", "reload").out()).contains("nothing changed");
        assertThat(rcpt("b@example.com")).startsWith("250");
    }

    @Test
    void userListActionsChangeAtRunTime() throws Exception {
        assertThat(ctl("bhm", "set", "action.x@example.com=r").code()).isZero();
        assertThat(rcpt("x@example.com")).startsWith("550");
        assertThat(rcpt("X@Example.com")).startsWith("550");
        assertThat(ctl("bhm", "set", "action.x@example.com=d").code()).isZero();
        assertThat(rcpt("x@example.com")).startsWith("450");
        Path users = dir.resolve("users");
        Files.write(users, List.of("y@example.com secret r"));
        Postalctl load = ctl("bhm", "set", "users=" + users);
        assertThat(load.out()).contains("1 users");
        assertThat(rcpt("y@example.com")).startsWith("550");
        assertThat(rcpt("x@example.com")).startsWith("250");
        Files.write(users, List.of("z@example.com secret q"));
        assertThat(ctl("bhm", "set", "users=" + users).err()).contains("unknown action");
        assertThat(rcpt("y@example.com")).startsWith("550");
    }

    @Test
    void transcriptsTurnOnAndOffForNewSessions() throws Exception {
        rcpt("b@example.com");
        assertThat(transcripts()).isEmpty();
        Postalctl on = ctl("bhm", "transcript", "on");
        assertThat(on.code()).isZero();
        assertThat(on.out()).contains(dir.resolve("bhm.transcript").toString());
        rcpt("b@example.com");
        Thread.sleep(100);
        // The session takes the lowest free slot: 1, or 2 if the previous one is still closing.
        assertThat(transcriptText()).contains("RCPT TO:<b@example.com>");
        assertThat(ctl("bhm", "transcript", "off").code()).isZero();
        String before = transcriptText();
        rcpt("c@example.com");
        Thread.sleep(100);
        assertThat(transcriptText()).isEqualTo(before);
    }

    private List<Path> transcripts() throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("bhm.transcript:")).sorted().toList();
        }
    }

    private String transcriptText() throws java.io.IOException {
        StringBuilder all = new StringBuilder();
        for (Path file : transcripts()) {
            all.append(Files.readString(file));
        }
        return all.toString();
    }


    @Test
    void aDelayRuleHoldsTheReplyAndADisconnectRuleDropsTheSession() throws Exception {
        assertThat(ctl("bhm", "set", "fault.rcpt=delay:400ms").code()).isZero();
        long start = System.nanoTime();
        assertThat(rcpt("b@example.com")).startsWith("250");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(380L, 5000L);
        assertThat(ctl("bhm", "set", "fault.rcpt=off").code()).isZero();
        assertThat(ctl("bhm", "set", "fault.mail=disconnect").code()).isZero();
        try (LineClient client = new LineClient(new InetSocketAddress("127.0.0.1", port))) {
            client.reply();
            client.command("EHLO test");
            client.send("MAIL FROM:<a@example.com>");
            assertThat(client.closedByServer()).isTrue();
        }
    }
}
