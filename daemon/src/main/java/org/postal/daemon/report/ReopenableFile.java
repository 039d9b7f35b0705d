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
    private FileChannel channel;
    private byte[] pending = new byte[256];
    private int pendingLength;
    private long reopens;
    private boolean closed;

    private ReopenableFile(Path file, FileChannel channel, OpenLogs registry) {
        this.file = file;
        this.channel = channel;
        this.registry = registry;
    }

    /** Opens {@code file} (created if missing; {@code append} false truncates it) and registers it for reopening. */
    public static ReopenableFile open(Path file, boolean append, OpenLogs registry) throws IOException {
        ReopenableFile log = new ReopenableFile(file, channel(file, append), registry);
        registry.add(log);
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
