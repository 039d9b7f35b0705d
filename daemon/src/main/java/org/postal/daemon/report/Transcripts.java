// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The -z and -Z transcripts: every plaintext octet read and written, in order, as 0.76 writes them.
 *
 * <p>{@code -z base} appends every session of slot (postal: thread) N to {@code base:N};
 * {@code -Z base} writes each session to its own {@code base:N:K}, K counting that slot's sessions
 * from 0. (0.76 bhm truncated per connection and overwrote its -Z files; doc/POSTAL-0.76.md 5.4.)
 * Files are written on the event loop: transcripts are for debugging, not for full-rate runs.
 */
public final class Transcripts {

    private static final Logger LOG = LoggerFactory.getLogger(Transcripts.class);

    private final Path base;
    private final boolean perConnection;
    private final java.util.Set<Path> opened = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final WriteFailures failures = new WriteFailures();

    public Transcripts(Path base, boolean perConnection) {
        this.base = base;
        this.perConnection = perConnection;
    }

    /** Where transcripts that could not be opened or written are counted, one entry per session. */
    public WriteFailures failures() {
        return failures;
    }

    public Path file(int slot, int connection) {
        String name = base.getFileName() + ":" + slot + (perConnection ? ":" + connection : "");
        return base.resolveSibling(name);
    }

    /**
     * Opens the transcript of a new session; the caller puts the handler just inside TLS.
     *
     * @return the recording handler, or null when the file cannot be opened (a warning is logged
     *     and the failure counted)
     */
    public ChannelHandler open(int slot, int connection) {
        Path file = file(slot, connection);
        try {
            // A slot's file is started afresh by its first session of this run, then appended to;
            // a service only ever appends (LogFiles).
            boolean append = LogFiles.appendOnly() || !perConnection && !opened.add(file);
            return new Recorder(new BufferedOutputStream(LogFiles.open(file, append)), file);
        } catch (IOException e) {
            LOG.warn("cannot open transcript {}: {}", file, e.getMessage());
            failures.failed(file, e, 1);
            return null;
        }
    }

    /**
     * Records a session's bytes; a failed write (a full disk) ends the recording, not the session:
     * the failure is counted, the file closed and the handler removed, and the bytes go on.
     */
    private final class Recorder extends ChannelDuplexHandler {
        private final OutputStream out;
        private final Path file;
        private boolean failed;

        Recorder(OutputStream out, Path file) {
            this.out = out;
            this.file = file;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            record(ctx, msg);
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            record(ctx, msg);
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            attempt(ctx, out::flush);
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            attempt(ctx, out::close);
            ctx.fireChannelInactive();
        }

        private void record(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                attempt(ctx, () -> buf.getBytes(buf.readerIndex(), out, buf.readableBytes()));
            }
        }

        private void attempt(ChannelHandlerContext ctx, Io step) {
            if (failed) {
                return;
            }
            try {
                step.run();
            } catch (IOException e) {
                failed = true;
                failures.failed(file, e, 1);
                try {
                    out.close();
                } catch (IOException closing) {
                    // the write failed already; closing only frees the descriptor
                }
                ctx.pipeline().remove(this);
            }
        }
    }

    /** One step on a transcript's stream. */
    private interface Io {
        void run() throws IOException;
    }
}
