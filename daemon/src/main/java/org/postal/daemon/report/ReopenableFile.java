// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A log file that can be reopened by name while it is written to, so logrotate can rename it and
 * the daemon go on in a new file of the same name, without a line lost or split between the two.
 *
 * <p>Bytes reach the file in whole lines: what follows the last line feed of a write waits here
 * until its line ends (or until {@value #MAX_PENDING} bytes wait, which no log line of this suite
 * reaches: then it is written as it is), and every write and the reopen hold one lock. So a line
 * is in the renamed file or in the new one, whole, whichever thread wrote it and whenever the
 * reopen came. The new file is always appended to: a reopen never truncates what is already there.
 */
public final class ReopenableFile extends OutputStream {

    /** A partial line longer than this is written without waiting for its end. */
    static final int MAX_PENDING = 1 << 16;

    private final Path file;
    private final OpenLogs registry;
    private final boolean repeatsHeader;
    private byte[] header;
    private FileChannel channel;
    private byte[] pending = new byte[256];
    private int pendingLength;
    private long reopens;
    private boolean closed;

    private ReopenableFile(Path file, FileChannel channel, OpenLogs registry, boolean repeatsHeader) {
        this.file = file;
        this.channel = channel;
        this.registry = registry;
        this.repeatsHeader = repeatsHeader;
    }

    /** Opens {@code file} (created if missing; {@code append} false truncates it) and registers it for reopening. */
    public static ReopenableFile open(Path file, boolean append, OpenLogs registry) throws IOException {
        return register(new ReopenableFile(file, channel(file, append), registry, false));
    }

    /**
     * Opens a CSV file for appending, as {@link #open}, whose first line is its header: a reopen
     * that starts a new, empty file writes the header there first, so every rotated file can be
     * read on its own. A first line that starts with '{' is a JSON row, not a header: none is repeated.
     */
    public static ReopenableFile openWithHeader(Path file, OpenLogs registry) throws IOException {
        return register(new ReopenableFile(file, channel(file, true), registry, true));
    }

    private static ReopenableFile register(ReopenableFile log) {
        log.registry.add(log);
        return log;
    }

    private static FileChannel channel(Path file, boolean append) throws IOException {
        return append
                ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The name it is opened by. */
    public Path file() {
        return file;
    }

    /** How often it was reopened. */
    public synchronized long reopens() {
        return reopens;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("closed: " + file);
        }
        int lastLf = off + len - 1;
        while (lastLf >= off && b[lastLf] != '\n') {
            lastLf--;
        }
        if (lastLf < off) {
            hold(b, off, len);
            if (pendingLength > MAX_PENDING) {
                writePending();
            }
            return;
        }
        int whole = lastLf + 1 - off;
        if (repeatsHeader && header == null) {
            keepHeader(b, off, lastLf);
        }
        if (pendingLength > 0) {
            hold(b, off, whole);
            writePending();
        } else {
            writeFully(ByteBuffer.wrap(b, off, whole));
        }
        hold(b, lastLf + 1, len - whole);
    }

    /**
     * Closes the file and opens its name again for appending, creating it if logrotate renamed it
     * away; a partial line waits and goes to the new file. If the name cannot be opened, the old
     * file stays in use and the exception says why.
     */
    public synchronized void reopen() throws IOException {
        if (closed) {
            return;
        }
        FileChannel next = channel(file, true);
        FileChannel old = channel;
        channel = next;
        reopens++;
        old.close();
        if (header != null && header.length > 0 && next.size() == 0) {
            writeFully(ByteBuffer.wrap(header));
        }
    }

    /** The first line, from what waits and the bytes up to {@code lastLf}; empty for a JSON row. */
    private void keepHeader(byte[] b, int off, int lastLf) {
        byte[] line = new byte[pendingLength + lastLf + 1 - off];
        System.arraycopy(pending, 0, line, 0, pendingLength);
        System.arraycopy(b, off, line, pendingLength, lastLf + 1 - off);
        int end = 0;
        while (line[end] != '\n') {
            end++;
        }
        header = line[0] == '{' ? new byte[0] : Arrays.copyOf(line, end + 1);
    }

    /** Writes nothing of a partial line: a line reaches the file when it ends. */
    @Override
    public void flush() {
        // FileChannel writes go straight to the kernel; there is nothing of ours to push.
    }

    /** Writes a partial line as it is, closes the file and unregisters it. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        registry.remove(this);
        try {
            writePending();
        } finally {
            channel.close();
        }
    }

    private void hold(byte[] b, int off, int len) {
        if (pendingLength + len > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + len));
        }
        System.arraycopy(b, off, pending, pendingLength, len);
        pendingLength += len;
    }

    private void writePending() throws IOException {
        int length = pendingLength;
        pendingLength = 0;
        writeFully(ByteBuffer.wrap(pending, 0, length));
        if (pending.length > MAX_PENDING) {
            pending = new byte[256];
        }
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
