// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What bhm writes: the message log, transcripts, statistics rows, and the certificate it presents. */
class SinkOutputIT {

    @TempDir
    Path dir;

    private RunningSink sink;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    private void send(String from, String to, String message) throws IOException {
        try (LineClient c = new LineClient(sink.address())) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO client.example")).startsWith("250");
            assertThat(c.command("MAIL FROM:<" + from + ">")).startsWith("250");
            assertThat(c.command("RCPT TO:<" + to + ">")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command(message + "\r\n.")).startsWith("250");
            assertThat(c.command("QUIT")).startsWith("221");
        }
        try {
            sink.awaitIdle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void logAllWritesAnMboxrdFolder() throws Exception {
        sink = new RunningSink("-a", "--log-dir", dir.toString());
        send("a@example.com", "b@example.com", "Subject: one\r\n\r\nFrom the start\r\n>From quoted\r\n..dot");
        send("", "c@example.com", "Subject: two\r\n\r\nbody");
        sink.close();
        String log = Files.readString(dir.resolve("bhm.log"));
        assertThat(log).startsWith("From a@example.com ");
        assertThat(log).contains("X-Bhm-Envelope: client=127.0.0.1 from=<a@example.com> to=<b@example.com> hash=unsigned\n");
        assertThat(log).contains("\n>From the start\n>>From quoted\n.dot\n");
        assertThat(log).contains("\nFrom MAILER-DAEMON ");
        assertThat(log).doesNotContain("\r");
    }

    @Test
    void transcriptPerSlotAppendsSessions() throws Exception {
        Path base = dir.resolve("bhm-z");
        sink = new RunningSink("-z", base.toString());
        send("a@x", "b@y", "Subject: first\r\n\r\nbody");
        send("a@x", "b@y", "Subject: second\r\n\r\nbody");
        String slot1 = Files.readString(dir.resolve("bhm-z:1"));
        assertThat(slot1).contains("Subject: first").contains("Subject: second");
        assertThat(slot1).startsWith("220 ").contains("EHLO client.example\r\n250-").contains("221 2.0.0 Bye\r\n");
    }

    @Test
    void transcriptPerConnectionWritesOneFileEach() throws Exception {
        Path base = dir.resolve("bhm-Z");
        sink = new RunningSink("-Z", base.toString());
        send("a@x", "b@y", "Subject: first\r\n\r\nbody");
        send("a@x", "b@y", "Subject: second\r\n\r\nbody");
        assertThat(Files.readString(dir.resolve("bhm-Z:1:0"))).contains("Subject: first").doesNotContain("second");
        assertThat(Files.readString(dir.resolve("bhm-Z:1:1"))).contains("Subject: second");
    }

    @Test
    void countStopsTheSinkAndTheTotalsSayWhy() throws Exception {
        sink = new RunningSink("--count", "2");
        send("a@x", "b@y", "Subject: 1\r\n\r\nbody");
        send("a@x", "b@y", "Subject: 2\r\n\r\nbody");
        Thread stopper = new Thread(() -> {
            try {
                sink.sink().awaitStopRequest();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        stopper.join(TimeUnit.SECONDS.toMillis(5));
        assertThat(stopper.isAlive()).as("--count 2 requested a stop").isFalse();
        sink.close();
        String rows = sink.rows();
        assertThat(rows).contains("\"type\":\"total\"").contains("\"messages\":2").contains("\"unsigned\":2");
    }

    @Test
    void csvHeaderComesAtOnceAndRowsFollowTheInterval() throws Exception {
        SinkCommand command = new SinkCommand();
        new picocli.CommandLine(command).parseArgs("--port", "0", "--interval", "1s");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Sink csv = Sink.start(command.toConfig(), new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(SinkReporter.CSV_HEADER + "\n");
            Thread.sleep(2300);
        } finally {
            csv.close();
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines.length).isBetween(3, 5);
        // Thirteen columns of counters, then one per rule (faults, bounces, pregreet, dnsbl by stage, client limits, greylist,
        // the slow link, stalls, reply delays, tarpit, rate limits).
        assertThat(lines[0]).endsWith(",clients,faults,bounces queued,bounces sent,bounces retried,bounces dropped,"
                + "pregreet,dnsbl connect,dnsbl rcpt,dnsbl data,client connections,client rate,"
                + "greylist first,greylist early,greylist passed,reads slowed,stalls,reply delays,tarpit delays,"
                + "tarpit disconnects,message rate,recipient rate,too many recipients");
        assertThat(lines[1]).matches("\\d\\d:\\d\\d:\\d\\d(,0){34}");
    }

    @Test
    void pemCertificateIsPresented() throws Exception {
        SelfSignedCertificate made = new SelfSignedCertificate("pem.example");
        sink = new RunningSink("--tls-port", "0", "--tls-cert", made.certificate().getPath(),
                "--tls-key", made.privateKey().getPath());
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("bhm", made.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(sink.tlsAddress().getAddress(),
                sink.tlsAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            assertThat(s.getSession().getPeerCertificates()[0]).isEqualTo(made.cert());
        }
        made.delete();
    }

    @Test
    void badPemFilesAreRefusedWithTheirName() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key\n");
        SinkCommand command = new SinkCommand();
        new picocli.CommandLine(command).parseArgs("--port", "0", "-s", "--tls-cert", cert.toString(),
                "--tls-key", key.toString());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sink.start(command.toConfig(), System.out))
                .isInstanceOf(IOException.class).hasMessageContaining("cert.pem");
    }
}
