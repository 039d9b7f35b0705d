// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The content half of a bhm session on an {@link EmbeddedChannel}: the BDAT paths and the log line
 * that the dialogue transcripts do not reach.
 */
class ContentReceiverTest {

    private static final String TRANSACTION = "HELO client.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n";
    private static final String ACCEPTED = "250 bhm.test\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n";

    private final Logger sessionLog = (Logger) LoggerFactory.getLogger(SinkSessionHandler.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private SinkServices services;
    private EmbeddedChannel channel;

    @AfterEach
    void stop() {
        sessionLog.detachAppender(logged);
        channel.finishAndReleaseAll();
    }

    private void start(String... args) throws Exception {
        SinkCommand command = new SinkCommand();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--hostname=bhm.test");
        new picocli.CommandLine(command).parseArgs(all.toArray(String[]::new));
        services = SinkServices.create(command.toConfig(), () -> { });
        channel = new EmbeddedChannel(false, false);
        new SinkInitializer(services, false, null).build(channel);
        channel.register();
        assertThat(replies()).startsWith("220 bhm.test ");
    }

    /** Sends {@code input} in one read and returns every reply it drew. */
    private String send(String input) {
        channel.writeInbound(Unpooled.copiedBuffer(input, US_ASCII));
        channel.runPendingTasks();
        return replies();
    }

    private String replies() {
        StringBuilder text = new StringBuilder();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) out;
            text.append(buf.toString(US_ASCII));
            buf.release();
        }
        return text.toString();
    }

    // bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CRLF    ; RFC 3030 section 2
    @ParameterizedTest
    @ValueSource(strings = {"BDAT", "BDAT ten LAST", "BDAT 5 MORE", "BDAT 5 LAST now", "BDAT -5", "BDAT 1234567890123"})
    void aBdatWhoseSizeOrEndMarkerCannotBeReadIsAnsweredAndClosed(String bdat) throws Exception {
        start();
        assertThat(send(TRANSACTION)).isEqualTo(ACCEPTED);
        assertThat(send(bdat + "\r\nhello")).isEqualTo("501 5.5.4 Syntax: BDAT size [LAST]\r\n");
        assertThat(channel.isOpen()).as("closed: the chunk cannot be found in the input").isFalse();
        assertThat(services.stats().snapshot().errors()).isEqualTo(1);
    }

    @Test
    void anEmptyChunkBeforeTheLastOneIsAcknowledgedWithTheOctetsSoFar() throws Exception {
        start();
        assertThat(send(TRANSACTION + "BDAT 3\r\nabcBDAT 0\r\nBDAT 0 LAST\r\n")).isEqualTo(ACCEPTED
                + "250 2.0.0 3 octets received\r\n250 2.0.0 3 octets received\r\n250 2.0.0 Ok: queued\r\n");
        assertThat(services.stats().snapshot().messages()).isEqualTo(1);
    }

    @Test
    void refusedChunksCountTowardsMaxErrors() throws Exception {
        start("--max-errors", "2");
        assertThat(send("HELO client.example\r\nBDAT 3\r\nabcBDAT 2 LAST\r\nxy")).isEqualTo("250 bhm.test\r\n"
                + "503 5.5.1 Need MAIL command\r\n503 5.5.1 Need MAIL command\r\n"
                + "421 4.3.2 bhm.test too many errors, closing connection\r\n");
        assertThat(channel.isOpen()).isFalse();
        assertThat(services.stats().snapshot().errors()).isEqualTo(2);
    }

    @Test
    void aChunkMustArriveWithinTheDataTimeoutNotTheCommandTimeout() throws Exception {
        start("--command-timeout", "1m", "--data-timeout", "100ms");
        assertThat(send(TRANSACTION + "BDAT 10 LAST\r\nabc")).isEqualTo(ACCEPTED);
        Thread.sleep(300);
        channel.runScheduledPendingTasks();
        assertThat(replies()).isEqualTo("421 4.3.2 bhm.test Error: timeout exceeded, closing connection\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aCorruptMessageIsLoggedUnderTheSessionsNameWithTheClient() throws Exception {
        logged.start();
        sessionLog.addAppender(logged);
        start();
        assertThat(send(TRANSACTION + "DATA\r\n")).isEqualTo(ACCEPTED + "354 End data with <CR><LF>.<CR><LF>\r\n");
        assertThat(send("Message-Id: <m@example.com>\r\nX-PostalHash: 761a4d16e073bdea81cc8705930d9fa5\r\n"
                + "\r\nnot what was signed\r\n.\r\n")).isEqualTo("250 2.0.0 Ok: queued\r\n");
        assertThat(services.stats().snapshot().corrupt()).isEqualTo(1);
        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getLoggerName()).isEqualTo(SinkSessionHandler.class.getName());
            assertThat(event.getFormattedMessage())
                    .startsWith("corrupt message from embedded: Message-ID <m@example.com>: X-PostalHash 761a4d16");
        });
    }
}
