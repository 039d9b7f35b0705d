// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** bhm behind a PROXY protocol header: the announced client is the one it greets, counts and keys on. */
class ProxyReceiverIT {

    private RunningSink sink;

    @AfterEach
    void stop() {
        sink.close();
    }

    private String greetingAfter(byte[] header) throws IOException {
        try (LineClient client = new LineClient(sink.address())) {
            client.raw(header);
            String greeting = client.reply();
            if (greeting != null) {
                client.command("QUIT");
            }
            return greeting;
        }
    }

    private static byte[] v1(String source) {
        return ("PROXY TCP4 " + source + " 192.0.2.25 40000 25\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void aTrustedPeerIsCountedAsTheAnnouncedClients() throws Exception {
        sink = new RunningSink("--proxy-trusted", "127.0.0.0/8");
        assertThat(greetingAfter(v1("198.51.100.1"))).startsWith("220 ");
        assertThat(greetingAfter(v1("198.51.100.1"))).startsWith("220 ");
        assertThat(greetingAfter(v1("198.51.100.2"))).startsWith("220 ");
        assertThat(greetingAfter(v2(InetAddress.getByName("203.0.113.9")))).startsWith("220 ");
        sink.awaitIdle();
        assertThat(sink.sink().services().stats().clients.distinct()).isEqualTo(3);
    }

    @Test
    void aTrustedPeerWithoutAHeaderIsClosedUngreeted() throws Exception {
        sink = new RunningSink("--proxy-trusted", "127.0.0.1");
        assertThat(greetingAfter("EHLO client.example\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isNull();
        assertThat(sink.sink().services().stats().clients.distinct()).isZero();
    }

    @Test
    void anUntrustedPeerIsGreetedAsItselfAndItsHeaderIsACommand() throws Exception {
        sink = new RunningSink("--proxy-trusted", "10.0.0.0/8");
        try (LineClient client = new LineClient(sink.address())) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.command("PROXY TCP4 198.51.100.1 192.0.2.25 40000 25")).startsWith("5");
        }
        sink.awaitIdle();
        assertThat(sink.sink().services().stats().clients.distinct()).isEqualTo(1);
    }

    /** A version 2 header (proxy-protocol.txt section 2.2): signature, PROXY, TCP over IPv4, 12 address bytes. */
    private static byte[] v2(InetAddress source) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a, 0x21, 0x11, 0, 12});
        out.write(source.getAddress());
        out.write(new byte[] {(byte) 192, 0, 2, 25, (byte) 0x9c, 0x40, 0, 25});
        return out.toByteArray();
    }
}
