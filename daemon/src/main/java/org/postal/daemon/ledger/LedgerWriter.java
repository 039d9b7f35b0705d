// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.report.LogFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends {@link LedgerFormat} records to a file as they happen, from any thread.
 *
 * <p>Records gather in memory under a lock (a few appends per message, nothing written to the
 * disk on the event loops) and a flusher thread hands them to the kernel every
 * {@value #FLUSH_MILLIS} ms, so a {@code kill -9} loses at most the last second; a buffer past
 * {@value #MAX_BUFFER} characters is written at once by the thread that filled it, so memory stays
 * bounded when the disk is slower than the mail.
 */
public final class LedgerWriter implements AutoCloseable {
    static final long FLUSH_MILLIS = 500;
    static final int MAX_BUFFER = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final OutputStream out;
    private final Object writing = new Object();
    private final ScheduledExecutorService flusher;
    private StringBuilder buffer = new StringBuilder(8192);
    private long records;
    private boolean closed;
    private boolean failed;

    private LedgerWriter(OutputStream out, String header) {
        this.out = out;
        buffer.append(header).append('\n').append(LedgerFormat.COLUMNS).append('\n');
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleAtFixedRate(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens {@code file} (appended to in a service, started afresh otherwise) and writes the
     * section's header: {@code program} and {@code name} say who writes, {@code attributes} are
     * more {@code key=value} words (the run id for postal).
     */
    public static LedgerWriter open(Path file, String program, String name, String attributes) throws IOException {
        String extra = (attributes.isEmpty() ? "" : attributes + " ") + "started=" + Instant.now();
        LedgerWriter writer = new LedgerWriter(LogFiles.open(file, LogFiles.appendOnly()), LedgerFormat.header(program, name, extra));
        writer.flush();
        return writer;
    }

    /**
     * One record. {@code identity} null leaves run and seq empty (mail postal 1.0 did not send),
     * {@code code} 0, {@code phase} null and {@code intended} below 0 leave theirs empty.
     */
    public void record(long time, Identity identity, String rcpt, Outcome outcome, int code, String phase,
                       long intended, String text) {
        boolean full;
        synchronized (this) {
            if (closed) {
                return;
            }
            StringBuilder b = buffer;
            b.append(time).append('\t');
            if (identity != null) {
                long run = identity.run();
                for (int shift = 60; shift >= 0; shift -= 4) {
                    b.append(HEX[(int) (run >>> shift) & 0xF]);
                }
                b.append('\t').append(identity.sequence());
            } else {
                b.append('\t');
            }
            b.append('\t').append(LedgerFormat.clean(rcpt)).append('\t').append(outcome.word()).append('\t');
            if (code > 0) {
                b.append(code);
            }
            b.append('\t');
            if (phase != null) {
                b.append(phase);
            }
            b.append('\t');
            if (intended >= 0) {
                b.append(intended);
            }
            b.append('\t').append(LedgerFormat.clean(text)).append('\n');
            records++;
            full = b.length() > MAX_BUFFER;
        }
        if (full) {
            flush();
        }
    }

    /** Hands what has gathered to the kernel; called every {@value #FLUSH_MILLIS} ms and at close. */
    public void flush() {
        synchronized (writing) {
            String chunk;
            synchronized (this) {
                if (buffer.length() == 0 || failed) {
                    return;
                }
                chunk = buffer.toString();
                buffer.setLength(0);
            }
            try {
                out.write(chunk.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                failed = true;
                LOG.error("ledger write failed, no more records are written: {}", e.getMessage());
            }
        }
    }

    /** Records written so far. */
    public synchronized long records() {
        return records;
    }

    /** Writes what is left and the {@code #end} line that says the section is complete. */
    @Override
    public void close() {
        flusher.shutdownNow();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            buffer.append(LedgerFormat.END).append(" records=").append(records).append(" time=")
                    .append(System.currentTimeMillis()).append('\n');
        }
        flush();
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
