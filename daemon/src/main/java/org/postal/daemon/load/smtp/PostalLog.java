// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.postal.daemon.report.BufferedLog;
import org.postal.daemon.report.RunLog;
import org.postal.daemon.report.WriteFailures;

/**
 * postal.log: one line per delivered message, {@code <hash> <from> <to>} as 0.76 writes it
 * (doc/POSTAL-0.76.md 5.2), with every recipient of the message after the sender.
 *
 * <p>Opened when the run starts (0.76 opened it lazily, so an old log survived a run that sent
 * nothing). Lines are buffered and flushed with every statistics row and at the end, not per
 * line, so logging costs no system call per message. With -a the whole message text follows.
 */
final class PostalLog implements RunLog, AutoCloseable {

    private final BufferedLog out;
    private final boolean full;

    PostalLog(Path file, boolean full) throws IOException {
        this.out = BufferedLog.open(file);
        this.full = full;
    }

    boolean full() {
        return full;
    }

    synchronized void delivered(String hash, String sender, List<String> recipients) {
        if (full) {
            return;
        }
        StringBuilder line = new StringBuilder(128).append(hash).append(" <").append(sender).append('>');
        for (String r : recipients) {
            line.append(" <").append(r).append('>');
        }
        out.write(line.append('\n').toString());
    }

    /** Under -a: the message text as sent, then the end-of-data line, as 0.76 does; in the file at once. */
    synchronized void message(ByteBuf content) {
        out.write(content);
        out.write(".\r\n");
        out.flush();
    }

    /** Where a failed write of postal.log is counted (the run stops on one: exit 74). */
    @Override
    public WriteFailures failures() {
        return out.failures();
    }

    @Override
    public synchronized void flush() {
        out.flush();
    }

    @Override
    public synchronized void close() {
        out.close();
    }
}
