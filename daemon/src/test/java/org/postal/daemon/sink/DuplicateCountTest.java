// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.message.Message;
import org.postal.daemon.message.MessageGenerator;
import org.postal.daemon.message.MessageSource;
import org.postal.daemon.message.MessageSpec;
import org.postal.daemon.message.RunId;

/** bhm's live duplicate count and its ledger, over an {@link EmbeddedChannel}. */
class DuplicateCountTest {

    private static final String ENVELOPE = "MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n";

    private final MessageSource source = new MessageSource(MessageSpec.DEFAULT, 7, new RunId(0x5EED), Clock.systemUTC());
    private final MessageGenerator generator = source.generator(1, ByteBufAllocator.DEFAULT);
    private SinkServices services;
    private EmbeddedChannel channel;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        channel.finishAndReleaseAll();
        source.close();
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
        channel.writeInbound(Unpooled.copiedBuffer("HELO client.example\r\n", US_ASCII));
    }

    private String text(Message m) {
        String s = m.header().toString(US_ASCII) + m.lines().toString(US_ASCII) + m.lastLine().toString(US_ASCII);
        m.release();
        return s;
    }

    private void deliver(String message) {
        channel.writeInbound(Unpooled.copiedBuffer(ENVELOPE + message + ".\r\n", US_ASCII));
        channel.runPendingTasks();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            ((ByteBuf) out).release();
        }
    }

    private long duplicates() {
        return services.stats().snapshot().duplicates();
    }

    @Test
    void oneSignedMessageSentTwiceCountsOneDuplicate() throws Exception {
        start();
        String message = text(generator.next("a@example.com", "b@example.com"));
        deliver(message);
        assertThat(duplicates()).isZero();
        deliver(message);
        assertThat(services.stats().snapshot().verified()).isEqualTo(2);
        assertThat(duplicates()).isEqualTo(1);
    }

    @Test
    void distinctMessagesAndMailWithoutAnIdentityAreNoDuplicates() throws Exception {
        start();
        deliver(text(generator.next("a@example.com", "b@example.com")));
        deliver(text(generator.next("a@example.com", "b@example.com")));
        String old = "From: <a@example.com>\r\nMessage-Id: <6B072C7F.453.001.a@example.com>\r\n\r\nhi\r\n";
        deliver(old);
        deliver(old);
        assertThat(services.stats().snapshot().messages()).isEqualTo(4);
        assertThat(duplicates()).isZero();
    }

    @Test
    void theLedgerHasOneLinePerMessageWithItsIdentityAndVerdict() throws Exception {
        Path ledger = dir.resolve("bhm.ledger");
        start("--ledger", ledger.toString());
        Message first = generator.next("a@example.com", "b@example.com");
        long seq = first.sequence();
        deliver(text(first));
        deliver("Subject: foreign\r\nMessage-ID: <x@y>\r\n\r\nhi\r\n");
        services.arrivals().close();
        List<String> lines = Files.readAllLines(ledger, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("#postal-ledger v1 program=bhm ");
        assertThat(lines.get(2).split("\t", -1)).containsSubsequence(
                "0000000000005EED", Long.toString(seq), "b@example.com", "verified");
        assertThat(lines.get(3).split("\t", -1)).containsSubsequence("", "", "b@example.com", "unsigned");
        assertThat(lines.get(3)).endsWith("\t<x@y>");
        assertThat(lines.get(4)).startsWith("#end records=2 time=");
    }
}
