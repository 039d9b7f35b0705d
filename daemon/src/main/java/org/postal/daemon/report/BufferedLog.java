// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import io.netty.buffer.ByteBuf;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The bytes of a log such as postal.log or rabid.log, held in a 64 KiB buffer until {@link #flush()}
 * or {@link #close()}, so a line costs no system call; each log keeps its own line format.
 *
 * <p>No method throws on an I/O error (a full disk): the first failure goes to the log's
 * {@link WriteFailures} with the entries written since the last good flush, and every later
 * entry is dropped and counted there too, so the program can say what was lost and stop.
 * Not thread-safe: the log that holds one serialises its calls, so that its own multi-part
 * entries stay whole.
 */
public final class BufferedLog implements AutoCloseable {

    /** One step on the stream. */
    private interface Io {
        void run() throws IOException;
    }

    private final OutputStream out;
    private final Path file;
    private final WriteFailures failures;
    private boolean failed;
    private long unflushed;

    /** Buffers what is written before it reaches {@code out}, named {@code file} in a failure. */
    public BufferedLog(OutputStream out, Path file, WriteFailures failures) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.file = file;
        this.failures = failures;
    }

    /** Opens {@code file} as every log is opened ({@link LogFiles#open(Path)}). */
    public static BufferedLog open(Path file) throws IOException {
        return new BufferedLog(LogFiles.open(file), file, new WriteFailures());
    }

    /** Where this log's write failures are counted. */
    public WriteFailures failures() {
        return failures;
    }

    /** Adds {@code text} in UTF-8 as one entry. */
    public void write(String text) {
        entry(() -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Adds the readable bytes of {@code bytes} as one entry, leaving its indexes where they are. */
    public void write(ByteBuf bytes) {
        entry(() -> bytes.getBytes(bytes.readerIndex(), out, bytes.readableBytes()));
    }

    /** Writes out what is buffered. */
    public void flush() {
        if (!failed && attempt(out::flush, 0)) {
            unflushed = 0;
        }
    }

    /** Writes out what is buffered and closes the file, which is closed even when that write fails. */
    @Override
    public void close() {
        flush();
        try {
            out.close();
        } catch (IOException e) {
            // The flush above already failed and was counted; closing only frees the descriptor.
        }
    }

    private void entry(Io step) {
        if (failed) {
            failures.lost(1);
        } else if (attempt(step, 1)) {
            unflushed++;
        }
    }

    /** Runs a step; on failure, counts the entries since the last good flush plus {@code entries}. */
    private boolean attempt(Io step, int entries) {
        try {
            step.run();
            return true;
        } catch (IOException e) {
            failed = true;
            failures.failed(file, e, unflushed + entries);
            return false;
        }
    }
}
