// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.ByteProcessor;
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
 * <p>A record is encoded straight into bytes under a lock (no string is built: postal writes a
 * record per message on its event loops, where formatting numbers through a StringBuilder and
 * encoding the result again was most of the ledger's cost); the run id's hex digits are encoded
 * once per run. A flusher thread swaps the filled buffer for the spare one every
 * {@value #FLUSH_MILLIS} ms and hands it to the kernel outside the lock, so a {@code kill -9}
 * loses at most the last second; a buffer past {@value #MAX_BUFFER} bytes is written at once by
 * the thread that filled it, so memory stays bounded when the disk is slower than the mail.
 */
public final class LedgerWriter implements AutoCloseable {
    static final long FLUSH_MILLIS = 500;
    static final int MAX_BUFFER = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);
    private static final byte TAB = '\t';
    /** Stops at a control character (below 0x20, or DEL); bytes are signed, so 0x80 and above are masked. */
    private static final ByteProcessor CLEAN = c -> (c & 0xFF) >= 0x20 && c != 0x7F;

    private final OutputStream out;
    private final Object writing = new Object();
    private final ScheduledExecutorService flusher;
    /** Where records gather; guarded by this. */
    private ByteBuf buffer = Unpooled.buffer(1 << 16);
    /** The buffer not being filled; guarded by {@link #writing}. */
    private ByteBuf spare = Unpooled.buffer(1 << 16);
    private final byte[] digits = new byte[20];
    private final EpochDigits times = new EpochDigits();
    private final EpochDigits intendedTimes = new EpochDigits();
    private String lastPhase;
    private byte[] lastPhaseBytes;
    private final byte[] runHex = new byte[16];
    private long hexRun;
    private boolean hexValid;
    private long records;
    private boolean closed;
    private volatile boolean failed;

    private LedgerWriter(OutputStream out, String header) {
        this.out = out;
        ByteBufUtil.writeUtf8(buffer, header + "\n" + LedgerFormat.COLUMNS + "\n");
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
            ByteBuf b = buffer;
            times.write(b, time);
            b.writeByte(TAB);
            if (identity != null) {
                b.writeBytes(runHex(identity.run()));
                b.writeByte(TAB);
                decimal(b, identity.sequence());
            } else {
                b.writeByte(TAB);
            }
            b.writeByte(TAB);
            field(b, rcpt);
            b.writeByte(TAB);
            b.writeBytes(outcome.wordBytes());
            b.writeByte(TAB);
            if (code > 0) {
                decimal(b, code);
            }
            b.writeByte(TAB);
            if (phase != null) {
                b.writeBytes(phaseBytes(phase));
            }
            b.writeByte(TAB);
            if (intended >= 0) {
                intendedTimes.write(b, intended);
            }
            b.writeByte(TAB);
            field(b, text);
            b.writeByte('\n');
            records++;
            full = b.readableBytes() > MAX_BUFFER;
        }
        if (full) {
            flush();
        }
    }

    /** The run id's 16 uppercase hex digits, encoded again only when the run changes (bhm sees several). */
    private byte[] runHex(long run) {
        if (!hexValid || run != hexRun) {
            for (int i = 0; i < runHex.length; i++) {
                runHex[i] = (byte) Character.toUpperCase(Character.forDigit((int) (run >>> (60 - 4 * i)) & 0xF, 16));
            }
            hexRun = run;
            hexValid = true;
        }
        return runHex;
    }

    /**
     * A text field in UTF-8 with controls turned into spaces, as {@link LedgerFormat#clean} does:
     * done on the bytes once written, which is safe since every byte of a multi-byte UTF-8
     * sequence is 0x80 or above.
     */
    private static void field(ByteBuf b, String value) {
        if (value == null) {
            return;
        }
        int from = b.writerIndex();
        ByteBufUtil.writeUtf8(b, value);
        int at;
        while ((at = b.forEachByte(from, b.writerIndex() - from, CLEAN)) >= 0) {
            b.setByte(at, ' ');
            from = at + 1;
        }
    }

    /** The phase in ASCII; the callers pass a few constants, so the last one's bytes are kept. */
    private byte[] phaseBytes(String phase) {
        if (!phase.equals(lastPhase)) {
            lastPhaseBytes = LedgerFormat.clean(phase).getBytes(StandardCharsets.UTF_8);
            lastPhase = phase;
        }
        return lastPhaseBytes;
    }

    /** A non-negative number in decimal ASCII digits. */
    private void decimal(ByteBuf b, long value) {
        int at = digits.length;
        long v = value;
        do {
            digits[--at] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        b.writeBytes(digits, at, digits.length - at);
    }

    /** Hands what has gathered to the kernel; called every {@value #FLUSH_MILLIS} ms and at close. */
    public void flush() {
        synchronized (writing) {
            ByteBuf full;
            synchronized (this) {
                if (buffer.readableBytes() == 0 || failed) {
                    return;
                }
                full = buffer;
                buffer = spare;
            }
            try {
                full.readBytes(out, full.readableBytes());
                out.flush();
            } catch (IOException e) {
                failed = true;
                LOG.error("ledger write failed, no more records are written: {}", e.getMessage());
            }
            full.clear();
            spare = full;
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
            ByteBufUtil.writeAscii(buffer, LedgerFormat.END + " records=" + records + " time="
                    + System.currentTimeMillis() + "\n");
        }
        flush();
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
