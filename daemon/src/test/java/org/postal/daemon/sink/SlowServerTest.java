// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postal.daemon.TrackingAllocator;
import picocli.CommandLine;

/**
 * bhm as a slow server on an {@link EmbeddedChannel} whose clock the test moves by hand: reply
 * delays, stalls, read pauses and the tarpit wait exactly as long as the rules say, on timers of
 * the event loop, and are counted.
 */
class SlowServerTest {

    private final TrackingAllocator alloc = new TrackingAllocator();
    private SinkServices services;
    private EmbeddedChannel channel;

    private void start(String... args) throws Exception {
        CommandLine cli = new CommandLine(new SinkCommand());
        cli.parseArgs(java.util.stream.Stream.concat(java.util.stream.Stream.of("--hostname=bhm.test"),
                java.util.Arrays.stream(args)).toArray(String[]::new));
        services = SinkServices.create(((SinkCommand) cli.getCommand()).toConfig(), () -> { });
        channel = new EmbeddedChannel(false, false);
        channel.config().setAllocator(alloc);
        new SinkInitializer(services, false, null).build(channel);
        channel.register();
        // Frozen from here on; a timer the greeting set a few microseconds earlier is as good as set now.
        channel.freezeTime();
        assertThat(replies()).startsWith("220 ");
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        assertThat(alloc.unreleased()).as("buffers still held after the session").isEmpty();
    }

    private void send(String text) {
        ByteBuf buf = alloc.buffer();
        buf.writeCharSequence(text, US_ASCII);
        channel.writeInbound(buf);
        channel.runPendingTasks();
    }

    /** Moves the clock on and runs the timers that are due. */
    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
    }

    private String replies() {
        StringBuilder out = new StringBuilder();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            out.append(buf.toString(US_ASCII));
            buf.release();
        }
        return out.toString();
    }

    private long fired(Fired rule) {
        return services.stats().snapshot().fired(rule);
    }

    @Test
    void replyDelayHoldsEachReplyItsDrawnTime() throws Exception {
        start("--reply-delay", "2s");
        send("HELO client.example\r\n");
        assertThat(replies()).isEmpty();
        advance(1999);
        assertThat(replies()).isEmpty();
        advance(1);
        assertThat(replies()).isEqualTo("250 bhm.test\r\n");
        send("NOOP\r\n");
        advance(1999);
        assertThat(replies()).isEmpty();
        advance(1);
        assertThat(replies()).isEqualTo("250 2.0.0 Ok\r\n");
        assertThat(fired(Fired.REPLY_DELAYS)).isEqualTo(2);
    }

    @Test
    void stallAfterTheGreetingStopsReadingForItsLength() throws Exception {
        start("--stall", "greeting:5s");
        assertThat(channel.config().isAutoRead()).isFalse();
        advance(4999);
        assertThat(channel.config().isAutoRead()).isFalse();
        advance(1);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(fired(Fired.STALLS)).isEqualTo(1);
    }

    @Test
    void stallBeforeTheFinalReplyHoldsIt() throws Exception {
        start("--stall", "end:3s");
        send("HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        assertThat(replies()).endsWith("354 End data with <CR><LF>.<CR><LF>\r\n");
        send("Subject: x\r\n\r\nbody\r\n.\r\n");
        advance(2999);
        assertThat(replies()).isEmpty();
        advance(1);
        assertThat(replies()).isEqualTo("250 2.0.0 Ok: queued\r\n");
        assertThat(fired(Fired.STALLS)).isEqualTo(1);
    }

    @Test
    void stallInTheDataStopsReadingOncePerMessage() throws Exception {
        start("--stall", "data:2s");
        send("HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        replies();
        assertThat(channel.config().isAutoRead()).isTrue();
        send("Subject: x\r\n\r\n");
        assertThat(channel.config().isAutoRead()).isFalse();
        advance(2000);
        assertThat(channel.config().isAutoRead()).isTrue();
        send("body\r\n");
        assertThat(channel.config().isAutoRead()).isTrue();
        send(".\r\n");
        assertThat(replies()).isEqualTo("250 2.0.0 Ok: queued\r\n");
        assertThat(fired(Fired.STALLS)).isEqualTo(1);
    }

    @Test
    void readPauseStopsReadingAfterEachReadAndHoldsOtherReadRequests() throws Exception {
        start("--read-pause", "100ms");
        send("HELO c\r\n");
        assertThat(replies()).isEqualTo("250 bhm.test\r\n");
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.config().setAutoRead(true);   // as back-pressure's end does: the pause still holds reads
        channel.config().setAutoRead(false);
        advance(100);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(fired(Fired.READS_SLOWED)).isEqualTo(1);
    }

    @Test
    void tarpitDelaysRepliesPastTheSoftLimitAndClosesAtTheHardLimit() throws Exception {
        start("--tarpit-soft", "2", "--tarpit-sleep", "1s", "--tarpit-hard", "4");
        send("FOO\r\n");
        send("FOO\r\n");
        assertThat(replies()).isEqualTo("500 5.5.2 Command unrecognized\r\n".repeat(2));
        send("FOO\r\n");
        advance(999);
        assertThat(replies()).isEmpty();
        advance(1);
        assertThat(replies()).isEqualTo("500 5.5.2 Command unrecognized\r\n");
        send("FOO\r\n");
        advance(999);
        assertThat(replies()).isEmpty();
        advance(1);
        assertThat(replies()).isEqualTo("500 5.5.2 Command unrecognized\r\n"
                + "421 4.7.0 bhm.test Error: too many errors\r\n");
        assertThat(channel.isOpen()).isFalse();
        assertThat(fired(Fired.TARPIT_DELAYS)).isEqualTo(2);
        assertThat(fired(Fired.TARPIT_DISCONNECTS)).isEqualTo(1);
    }

    @Test
    void aMessageReceivedWholeForgivesTheErrors() throws Exception {
        start("--tarpit-soft", "1", "--tarpit-sleep", "1s");
        send("FOO\r\nHELO c\r\n");
        advance(1000);
        assertThat(replies()).isEqualTo("500 5.5.2 Command unrecognized\r\n250 bhm.test\r\n");
        send("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        advance(3000);
        replies();
        send("x\r\n.\r\n");
        advance(1000);
        assertThat(replies()).isEqualTo("250 2.0.0 Ok: queued\r\n");
        send("NOOP\r\n");
        assertThat(replies()).as("no wait after the message").isEqualTo("250 2.0.0 Ok\r\n");
    }

    @Test
    void recipientsPastTheLimitGet452AndAreCounted() throws Exception {
        start("--recipient-limit", "2");
        send("HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c1@d>\r\nRCPT TO:<c2@d>\r\nRCPT TO:<c3@d>\r\n");
        assertThat(replies()).endsWith("250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n452 4.5.3 Too many recipients\r\n");
        assertThat(fired(Fired.TOO_MANY_RECIPIENTS)).isEqualTo(1);
    }
}
