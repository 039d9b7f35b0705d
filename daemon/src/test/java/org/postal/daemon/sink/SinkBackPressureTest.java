// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postal.daemon.TrackingAllocator;
import picocli.CommandLine;

/**
 * A client that pipelines commands and never reads the replies: the session stops making replies
 * once the unread ones pass the high-water mark, answers the rest when the client reads, and is
 * closed at its command deadline if it never does. The client's not reading is modelled by a
 * handler at the head of the pipeline that holds every flush back while the gate is shut.
 */
class SinkBackPressureTest {

    private static final int NOOPS = 100_000;
    /** Netty's default high-water mark (64 KiB) plus one read's worth of replies, with room to spare. */
    private static final long BOUND = 256 * 1024;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final Gate gate = new Gate();
    private SinkServices services;
    private EmbeddedChannel channel;

    /** Holds flushes back while shut: the replies stay queued, as for a client that does not read. */
    private static final class Gate extends ChannelOutboundHandlerAdapter {
        boolean open;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (open) {
                ctx.flush();
            }
        }
    }

    private void start(String... args) throws Exception {
        CommandLine cli = new CommandLine(new SinkCommand());
        cli.parseArgs(args);
        services = SinkServices.create(((SinkCommand) cli.getCommand()).toConfig(), () -> { });
        channel = new EmbeddedChannel(false, false);
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(gate);
        new SinkInitializer(services, false, null).build(channel);
        channel.register();
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        assertThat(alloc.unreleased()).as("buffers still held after the session").isEmpty();
    }

    private void send(String text, int times) {
        channel.writeInbound(Unpooled.copiedBuffer(text.repeat(times), US_ASCII));
    }

    private long pending() {
        return channel.unsafe().outboundBuffer().totalPendingWriteBytes();
    }

    /** Opens the gate until every queued reply is out; returns how many reply lines came. */
    private int readAll() {
        gate.open = true;
        int lines = 0;
        for (int round = 0; round < 10_000; round++) {
            channel.flush();
            channel.runPendingTasks();
            if (channel.outboundMessages().isEmpty()) {
                break;
            }
            for (ByteBuf buf; (buf = channel.readOutbound()) != null; buf.release()) {
                lines += buf.getByte(buf.writerIndex() - 1) == '\n' ? 1 : 0;
            }
        }
        return lines;
    }

    @Test
    void unreadRepliesStopTheSessionFromAnsweringAndReadingResumesIt() throws Exception {
        start("--hostname", "bhm.test");
        send("HELO c\r\n" + "NOOP\r\n".repeat(NOOPS), 1);
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.config().isAutoRead()).as("reading the socket").isFalse();
        assertThat(pending()).as("bytes of replies queued for a client that reads nothing").isLessThan(BOUND);

        // What a client sends while it is not read (bytes already in flight) is held, not answered.
        send("NOOP\r\n", NOOPS);
        assertThat(pending()).isLessThan(BOUND);

        // Once the client reads, every command is answered, in order, and reading starts again.
        assertThat(readAll()).isEqualTo(2 + 2 * NOOPS);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aClientThatNeverReadsIsClosedAtItsCommandDeadlineAndCounted() throws Exception {
        start("--hostname", "bhm.test", "--command-timeout", "100ms");
        send("HELO c\r\n" + "NOOP\r\n".repeat(NOOPS), 1);
        assertThat(channel.isWritable()).isFalse();
        Thread.sleep(200);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("closed without waiting for its last reply to be read").isFalse();
        assertThat(services.stats().stalled.count()).isEqualTo(1);
        assertThat(services.slots().inUse()).isZero();
    }
}
