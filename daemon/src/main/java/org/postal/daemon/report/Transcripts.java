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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The -z and -Z transcripts: every plaintext octet read and written, in order, as 0.76 writes them.
 *
 * <p>{@code -z base} appends every session of slot (postal: thread) N to {@code base:N};
 * {@code -Z base} writes each session to its own {@code base:N:K}, K counting that slot's sessions
 * from 0. (0.76 bhm truncated per connection and overwrote its -Z files; postal-original.md 5.4.)
 * Files are written on the event loop: transcripts are for debugging, not for full-rate runs.
 */
public final class Transcripts {

    private static final Logger LOG = LoggerFactory.getLogger(Transcripts.class);

    private final Path base;
    private final boolean perConnection;
    private final java.util.Set<Path> opened = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Transcripts(Path base, boolean perConnection) {
        this.base = base;
        this.perConnection = perConnection;
    }

    public Path file(int slot, int connection) {
        String name = base.getFileName() + ":" + slot + (perConnection ? ":" + connection : "");
        return base.resolveSibling(name);
    }

    /**
     * Opens the transcript of a new session; the caller puts the handler just inside TLS.
     *
     * @return the recording handler, or null when the file cannot be opened (a warning is logged)
     */
    public ChannelHandler open(int slot, int connection) {
        return open(slot, connection, e -> LOG.warn("transcript: {}", e.getMessage()));
    }

    /**
     * Opens the transcript of a new session, as {@link #open(int, int)}, telling {@code onFailure}
     * (once per session) when the file cannot be opened or written, e.g. on a full disk. The
     * session goes on unrecorded from there: a transcript is never a reason to end one.
     */
    public ChannelHandler open(int slot, int connection, Consumer<IOException> onFailure) {
        Path file = file(slot, connection);
        try {
            // A slot's file is started afresh by its first session of this run, then appended to;
            // a service only ever appends (LogFiles).
            boolean append = LogFiles.appendOnly() || !perConnection && !opened.add(file);
            return new Recorder(new BufferedOutputStream(LogFiles.open(file, append)), file, onFailure);
        } catch (IOException e) {
            onFailure.accept(new IOException("cannot open " + file + ": " + e.getMessage(), e));
            return null;
        }
    }

    private static final class Recorder extends ChannelDuplexHandler {
        private final OutputStream out;
        private final Path file;
        private final Consumer<IOException> onFailure;
        private boolean failed;

        Recorder(OutputStream out, Path file, Consumer<IOException> onFailure) {
            this.out = out;
            this.file = file;
            this.onFailure = onFailure;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf && !failed) {
                guard(() -> buf.getBytes(buf.readerIndex(), out, buf.readableBytes()));
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf buf && !failed) {
                guard(() -> buf.getBytes(buf.readerIndex(), out, buf.readableBytes()));
            }
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!failed) {
                guard(out::flush);
            }
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            try {
                out.close();
            } catch (IOException e) {
                if (!failed) {
                    failed = true;
                    onFailure.accept(new IOException("cannot write " + file + ": " + e.getMessage(), e));
                }
            }
            ctx.fireChannelInactive();
        }

        private interface Write {
            void run() throws IOException;
        }

        /** Runs one write; the first failure is reported and ends the recording, not the session. */
        private void guard(Write write) {
            try {
                write.run();
            } catch (IOException e) {
                failed = true;
                onFailure.accept(new IOException("cannot write " + file + ": " + e.getMessage(), e));
            }
        }
    }
}
