// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import io.netty.buffer.ByteBuf;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The bytes of a log such as postal.log or rabid.log, held in a 64 KiB buffer until {@link #flush()}
 * or {@link #close()}, so a line costs no system call; each log keeps its own line format.
 *
 * <p>An I/O error comes out of every method as an {@link UncheckedIOException}, for the statistics
 * ticker or the end of the run to report. Not thread-safe: the log that holds one serialises its
 * calls, so that its own multi-part entries stay whole.
 */
public final class BufferedLog implements AutoCloseable {

    /** One step on the stream. */
    private interface Io {
        void run() throws IOException;
    }

    private final OutputStream out;

    /** Buffers what is written before it reaches {@code out}. */
    public BufferedLog(OutputStream out) {
        this.out = new BufferedOutputStream(out, 1 << 16);
    }

    /** Opens {@code file} as every log is opened ({@link LogFiles#open(Path)}). */
    public static BufferedLog open(Path file) throws IOException {
        return new BufferedLog(LogFiles.open(file));
    }

    /** Adds {@code text} in UTF-8. */
    public void write(String text) {
        // Once per postal.log or rabid.log line: no lambda to allocate on this path.
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds the readable bytes of {@code bytes}, leaving its indexes where they are. */
    public void write(ByteBuf bytes) {
        unchecked(() -> bytes.getBytes(bytes.readerIndex(), out, bytes.readableBytes()));
    }

    /** Writes out what is buffered. */
    public void flush() {
        unchecked(out::flush);
    }

    /** Writes out what is buffered and closes the file, which is closed even when that write fails. */
    @Override
    public void close() {
        unchecked(out::close);
    }

    private static void unchecked(Io step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
