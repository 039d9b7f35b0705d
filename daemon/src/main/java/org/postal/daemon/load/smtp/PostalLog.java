// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.buffer.ByteBuf;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.postal.daemon.report.LogFiles;

/**
 * postal.log: one line per delivered message, {@code <hash> <from> <to>} as 0.76 writes it
 * (postal-original.md 5.2), with every recipient of the message after the sender.
 *
 * <p>Opened when the run starts (0.76 opened it lazily, so an old log survived a run that sent
 * nothing). Lines are buffered and flushed with every statistics row and at the end, not per
 * line, so logging costs no system call per message. With -a the whole message text follows.
 */
final class PostalLog implements AutoCloseable {

    private final BufferedWriter out;
    private final OutputStream raw;
    private final boolean full;

    PostalLog(Path file, boolean full) throws IOException {
        this.raw = LogFiles.open(file);
        this.out = new BufferedWriter(new java.io.OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16);
        this.full = full;
    }

    boolean full() {
        return full;
    }

    synchronized void delivered(String hash, String sender, List<String> recipients) {
        if (full) {
            return;
        }
        try {
            out.write(hash);
            out.write(" <");
            out.write(sender);
            out.write('>');
            for (String r : recipients) {
                out.write(" <");
                out.write(r);
                out.write('>');
            }
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Under -a: the message text as sent, then the end-of-data line, as 0.76 does. */
    synchronized void message(ByteBuf content) {
        try {
            out.flush();
            content.getBytes(content.readerIndex(), raw, content.readableBytes());
            raw.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
