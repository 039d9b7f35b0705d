// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hostile clients against a real bhm on a loopback port: each gets 5xx or 421, and others still get through. */
class SinkHostileIT {

    private RunningSink sink;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    private void start(String... args) throws Exception {
        sink = new RunningSink(args);
    }

    /** A well-behaved client sends one message; proves the server still serves. */
    private void normalClientGetsThrough() throws IOException {
        try (LineClient c = new LineClient(sink.address())) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO good.example")).startsWith("250-");
            assertThat(c.command("MAIL FROM:<a@example.com>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<b@example.com>")).startsWith("250 ");
            assertThat(c.command("DATA")).startsWith("354 ");
            assertThat(c.command("Subject: still alive\r\n\r\nhello\r\n.")).startsWith("250 ");
            assertThat(c.command("QUIT")).startsWith("221 ");
        }
    }

    @Test
    void overlongLineIsRefusedAndBufferedMemoryStaysBounded() throws Exception {
        start("--max-line", "1000");
        long before = usedMemory();
        try (LineClient c = new LineClient(sink.address())) {
            c.reply();
            byte[] junk = new byte[1 << 20];
            Arrays.fill(junk, (byte) 'A');
            for (int i = 0; i < 64; i++) {
                c.raw(junk);
            }
            assertThat(c.reply()).startsWith("500 5.5.2 Line too long");
            c.raw("\r\n");
            assertThat(c.command("NOOP")).startsWith("250 ");
            long during = usedMemory();
            // The allocator reserves memory in chunks of a few MiB; holding the line would take 64.
            assertThat(during - before).as("memory held after 64 MiB of one line").isLessThan(16L << 20);
        }
        normalClientGetsThrough();
    }

    @Test
    void oversizedMessageIsReadButNotHeld() throws Exception {
        start("--max-size", "1");
        long before = usedMemory();
        try (LineClient c = new LineClient(sink.address())) {
            c.reply();
            c.command("EHLO x");
            c.command("MAIL FROM:<a@x>");
            c.command("RCPT TO:<b@y>");
            assertThat(c.command("DATA")).startsWith("354");
            String line = "x".repeat(998) + "\r\n";
            StringBuilder chunk = new StringBuilder();
            for (int i = 0; i < 1024; i++) {
                chunk.append(line);
            }
            byte[] mebibyte = chunk.toString().getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 64; i++) {
                c.raw(mebibyte);
            }
            assertThat(usedMemory() - before).as("memory held after a 64 MiB message").isLessThan(16L << 20);
            assertThat(c.command(".")).startsWith("552 5.3.4");
            assertThat(c.command("RSET")).startsWith("250");
        }
        assertThat(sink.stats().messages()).isZero();
        assertThat(sink.stats().rejects()).containsEntry(552, 1L);
        normalClientGetsThrough();
    }

    @Test
    void tooManyErrorsEndTheSession() throws Exception {
        start("--max-errors", "5");
        try (LineClient c = new LineClient(sink.address())) {
            c.reply();
            for (int i = 0; i < 4; i++) {
                assertThat(c.command("GARBAGE " + i)).startsWith("500 ");
            }
            assertThat(c.command("GARBAGE 5")).startsWith("500 ");
            assertThat(c.reply()).startsWith("421 ");
            assertThat(c.closedByServer()).isTrue();
        }
        normalClientGetsThrough();
    }

    @Test
    void bareLfAndNulCommandsAreRefused() throws Exception {
        start();
        try (LineClient c = new LineClient(sink.address())) {
            c.reply();
            c.raw("EHLO x\n");
            assertThat(c.reply()).startsWith("500 5.5.2 Bare <LF>");
            c.raw("NOOP\0\r\n");
            assertThat(c.reply()).startsWith("500 5.5.2 NUL");
            assertThat(c.command("EHLO x")).startsWith("250-");
        }
    }

    @Test
    void slowLorisIsCutOffByTheCommandTimeout() throws Exception {
        start("--command-timeout", "1s");
        try (LineClient c = new LineClient(sink.address())) {
            c.reply();
            long start = System.nanoTime();
            String reply = null;
            for (int i = 0; i < 40 && reply == null; i++) {
                try {
                    c.raw("N");
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(100);
                if (c.socket().getInputStream().available() > 0) {
                    reply = c.reply();
                }
            }
            if (reply == null) {
                reply = c.reply();
            }
            assertThat(reply).startsWith("421 ").contains("timeout");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 3000L);
        }
        normalClientGetsThrough();
    }

    @Test
    void slowDataIsCutOffByTheDataTimeout() throws Exception {
        start("--data-timeout", "1s");
        try (LineClient c = new LineClient(sink.address())) {
            c.reply();
            c.command("HELO x");
            c.command("MAIL FROM:<a@x>");
            c.command("RCPT TO:<b@y>");
            c.command("DATA");
            c.raw("Subject: slow\r\n");
            Thread.sleep(1500);
            assertThat(c.reply()).startsWith("421 ");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(sink.stats().messages()).isZero();
    }

    @Test
    void connectionFloodGets421AndOthersGetInAfterwards() throws Exception {
        start("--connections", "5");
        List<LineClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                LineClient c = new LineClient(sink.address());
                assertThat(c.reply()).startsWith("220 ");
                held.add(c);
            }
            for (int i = 0; i < 20; i++) {
                try (LineClient extra = new LineClient(sink.address())) {
                    assertThat(extra.reply()).startsWith("421 ").contains("too many sessions");
                    assertThat(extra.closedByServer()).isTrue();
                }
            }
        } finally {
            for (LineClient c : held) {
                c.close();
            }
        }
        Thread.sleep(200);
        normalClientGetsThrough();
        assertThat(sink.stats().rejects()).containsEntry(421, 20L);
    }

    @Test
    void tlsGarbageClosesOnlyThatSession() throws Exception {
        start("--tls", "--tls-port", "0", "--command-timeout", "2s");
        try (LineClient c = new LineClient(sink.tlsAddress())) {
            c.raw("this is not a TLS client hello\r\n".repeat(100).getBytes(StandardCharsets.US_ASCII));
            assertThat(c.closedByServer()).isTrue();
        }
        try (LineClient c = new LineClient(sink.address())) {
            c.reply();
            c.command("EHLO x");
            assertThat(c.command("STARTTLS")).startsWith("220 ");
            c.raw(new byte[] {0x16, 0x03, 0x01, 0x7f, 0x7f, 0, 0, 0});
            c.raw(new byte[4096]);
            assertThat(c.closedByServer()).isTrue();
        }
        normalClientGetsThrough();
        assertThat(sink.stats().errors()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void implicitTlsListenerGreetsAfterTheHandshake() throws Exception {
        start("--tls-port", "0");
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAll()}, null);
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(sink.tlsAddress().getAddress(),
                sink.tlsAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            byte[] greeting = new byte[4];
            assertThat(s.getInputStream().readNBytes(greeting, 0, 4)).isEqualTo(4);
            assertThat(new String(greeting, StandardCharsets.US_ASCII)).isEqualTo("220 ");
        }
        assertThat(sink.stats().tlsConnections()).isEqualTo(1);
    }

    @Test
    void clientInitiatedRenegotiationClosesTheConnection() throws Exception {
        start("--tls-port", "0");
        SSLContext tls = SSLContext.getInstance("TLSv1.2");
        tls.init(null, new TrustManager[] {new TrustAll()}, null);
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(sink.tlsAddress().getAddress(),
                sink.tlsAddress().getPort())) {
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.setSoTimeout(10_000);
            s.startHandshake();
            assertThat(s.getInputStream().readNBytes(4)).asString(StandardCharsets.US_ASCII).isEqualTo("220 ");
            s.getInputStream().skip(s.getInputStream().available());
            // RFC 5246 section 7.4.1.2: a new ClientHello on an established TLS 1.2 connection.
            try {
                s.startHandshake();
                s.getOutputStream().write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                assertThat(s.getInputStream().read()).as("no reply after a renegotiation").isEqualTo(-1);
            } catch (IOException expected) {
                // The server closed the connection under the handshake.
            }
        }
        assertThat(sink.stats().errors()).isEqualTo(1);
        normalClientGetsThrough();
    }

    @Test
    void pipelinedStartTlsInjectionIsDiscarded() throws Exception {
        start("--tls");
        try (LineClient c = new LineClient(sink.address())) {
            c.reply();
            c.command("EHLO x");
            // CVE-2011-0411: a command pipelined behind STARTTLS must not run after the handshake.
            c.raw("STARTTLS\r\nRSET\r\n");
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.socket().getInputStream().available()).isZero();
        }
    }

    private static long usedMemory() {
        System.gc();
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            ByteBufAllocatorMetric metric = provider.metric();
            return metric.usedDirectMemory() + metric.usedHeapMemory();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Accepts the self-signed certificate bhm makes at start-up. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
