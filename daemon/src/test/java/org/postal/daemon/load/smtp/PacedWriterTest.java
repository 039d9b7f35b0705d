// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The slow client's writer and reader on an embedded channel whose clock the test moves. */
class PacedWriterTest {

    private static SlowClient slow(long rate, long lineMs, long dataMs, long readMs) {
        return new SlowClient(rate, Duration.ofMillis(lineMs), Duration.ofMillis(dataMs), 0, 0,
                Duration.ofMillis(readMs), Duration.ZERO, SlowClient.Abandon.NONE);
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    /** What reached the wire so far, one string per write. */
    private static List<String> written(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            out.add(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return out;
    }

    @Test
    void eachCommandLineWaitsItsPauseAndAPipelinedGroupGoesLineByLine() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacedWriter(slow(0, 100, 0, 0)));
        ch.freezeTime(); // the test moves the clock
        ch.writeAndFlush(ascii("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n"));
        assertThat(written(ch)).isEmpty();
        ch.advanceTimeBy(99, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(written(ch)).isEmpty();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(written(ch)).containsExactly("MAIL FROM:<a@b>\r\n");
        ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(written(ch)).containsExactly("RCPT TO:<c@d>\r\n");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void contentTakesTheDataPauseBeforeEachLineAndCommandsNone() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacedWriter(slow(0, 0, 50, 0)));
        ch.freezeTime(); // the test moves the clock
        ch.writeAndFlush(ascii("DATA\r\n"));
        assertThat(written(ch)).containsExactly("DATA\r\n");
        ch.writeAndFlush(new PacedWriter.Content(ascii("Subject: x\r\n\r\nbody\r\n")));
        ch.write(ascii(".\r\n"));
        ch.flush();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ch.advanceTimeBy(50, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            seen.add(String.join("|", written(ch)));
        }
        // The end of data is a command: it follows the last content line without a pause.
        assertThat(seen).containsExactly("Subject: x\r\n", "\r\n", "body\r\n|.\r\n");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void theRateSpreadsALargeWriteInTenthsOfASecond() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacedWriter(slow(1000, 0, 0, 0)));
        ch.freezeTime(); // the test moves the clock
        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[350]));
        List<Integer> sizes = new ArrayList<>();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            sizes.add(b.readableBytes());
            b.release();
        }
        assertThat(sizes).containsExactly(100); // a tenth of a second's worth goes at once
        for (int i = 0; i < 3; i++) {
            ch.advanceTimeBy(99, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            assertThat((Object) ch.readOutbound()).isNull();
            ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            ByteBuf b = ch.readOutbound();
            sizes.add(b.readableBytes());
            b.release();
        }
        assertThat(sizes).containsExactly(100, 100, 100, 50);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void whatIsQueuedWhenTheChannelClosesIsReleased() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacedWriter(slow(0, 100, 0, 0)));
        ch.freezeTime(); // the test moves the clock
        ByteBuf line = ascii("QUIT\r\n");
        ch.writeAndFlush(line);
        ch.close();
        assertThat(line.refCnt()).isZero();
        assertThat(written(ch)).isEmpty();
    }

    @Test
    void repliesAreReadOneReadAtATimeAfterThePause() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime(); // the test moves the clock
        int[] reads = new int[1];
        ch.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void read(io.netty.channel.ChannelHandlerContext ctx) {
                reads[0]++;
            }
        });
        ch.pipeline().addLast(new ReadPacer(TimeUnit.MILLISECONDS.toNanos(200)));
        assertThat(ch.config().isAutoRead()).isFalse();
        ch.pipeline().fireChannelActive(); // as a connect ends
        ch.advanceTimeBy(199, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(reads[0]).isZero();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(reads[0]).isEqualTo(1);
        ch.pipeline().fireChannelReadComplete();
        ch.pipeline().fireChannelReadComplete(); // a second end of read asks for no second read
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(reads[0]).isEqualTo(2);
        ch.finishAndReleaseAll();
    }
}
