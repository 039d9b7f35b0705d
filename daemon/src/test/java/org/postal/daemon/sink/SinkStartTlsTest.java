// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * STARTTLS with a real handshake, client and server on two EmbeddedChannels: after it the
 * session starts afresh (RFC 3207 section 4.2), which transcripts cannot show.
 */
class SinkStartTlsTest {

    private SinkServices services;
    private EmbeddedChannel server;
    private EmbeddedChannel client;

    @BeforeEach
    void setUp() throws Exception {
        CommandLine cli = new CommandLine(new SinkCommand());
        cli.parseArgs("-s", "--auth", "any", "--hostname", "bhm.test");
        services = SinkServices.create(((SinkCommand) cli.getCommand()).toConfig(), () -> { });
        server = new EmbeddedChannel(false, false);
        new SinkInitializer(services, false, null).build(server);
        server.register();
        client = new EmbeddedChannel();
    }

    @AfterEach
    void tearDown() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    @Test
    void sessionStartsAfreshAfterTheHandshake() throws Exception {
        assertThat(plain("")).isEqualTo("220 bhm.test ESMTP Postal bhm\r\n");
        assertThat(plain("EHLO c\r\n")).contains("250-STARTTLS\r\n", "250-AUTH PLAIN LOGIN\r\n");
        assertThat(plain("AUTH PLAIN AGJvYgBwdw==\r\nMAIL FROM:<a@b>\r\nRSET\r\n"))
                .startsWith("235 ").endsWith("250 2.0.0 Ok\r\n");
        assertThat(plain("STARTTLS\r\n")).isEqualTo("220 2.0.0 Ready to start TLS\r\n");

        SslContext tls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        client.pipeline().addLast(tls.newHandler(client.alloc()));
        shuttle();
        assertThat(services.stats().tlsConnections.sum()).isEqualTo(1);

        // Nothing the client said before TLS counts: not its EHLO, not its AUTH (RFC 3207 section 4.2).
        assertThat(secure("MAIL FROM:<a@b>\r\n")).isEqualTo("503 5.5.1 Send EHLO or HELO first\r\n");
        String ehlo = secure("EHLO c\r\n");
        assertThat(ehlo).doesNotContain("STARTTLS").contains("250-AUTH PLAIN LOGIN\r\n");
        assertThat(secure("STARTTLS\r\n")).isEqualTo("503 5.5.1 TLS already active\r\n");
        assertThat(secure("AUTH PLAIN AGJvYgBwdw==\r\n")).startsWith("235 ");
    }

    /** Sends plaintext straight to the server and returns what it answered. */
    private String plain(String text) {
        if (!text.isEmpty()) {
            server.writeInbound(Unpooled.copiedBuffer(text, UTF_8));
        }
        StringBuilder out = new StringBuilder();
        for (ByteBuf buf; (buf = server.readOutbound()) != null; buf.release()) {
            out.append(buf.toString(UTF_8));
        }
        return out.toString();
    }

    /** Sends text through the client's TLS handler and returns the decrypted answer. */
    private String secure(String text) {
        client.writeOutbound(Unpooled.copiedBuffer(text, UTF_8));
        shuttle();
        StringBuilder out = new StringBuilder();
        for (ByteBuf buf; (buf = client.readInbound()) != null; buf.release()) {
            out.append(buf.toString(UTF_8));
        }
        return out.toString();
    }

    /** Moves TLS records both ways until neither side has anything more to say. */
    private void shuttle() {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (ByteBuf buf; (buf = client.readOutbound()) != null; moved = true) {
                server.writeInbound(buf);
            }
            for (ByteBuf buf; (buf = server.readOutbound()) != null; moved = true) {
                client.writeInbound(buf);
            }
            server.runPendingTasks();
            client.runPendingTasks();
        }
    }
}
