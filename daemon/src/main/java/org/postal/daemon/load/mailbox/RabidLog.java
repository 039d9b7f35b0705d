// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.postal.daemon.message.Verdict;
import org.postal.daemon.report.BufferedLog;
import org.postal.daemon.report.RunLog;
import org.postal.daemon.report.WriteFailures;

/**
 * rabid.log as 0.76 writes it (doc/POSTAL-0.76.md 5.2 and 6.6): the hash of each verified message
 * on a line; for a mismatch, the mis-match line and the whole message as fetched again; with -a,
 * the text of every retrieved message. Buffered and flushed with each statistics row.
 */
final class RabidLog implements RunLog, AutoCloseable {

    private final BufferedLog out;
    private final boolean full;

    RabidLog(Path file, boolean full) throws IOException {
        this(BufferedLog.open(file), full);
    }

    private RabidLog(BufferedLog out, boolean full) {
        this.out = out;
        this.full = full;
    }

    /** A log that writes nothing, for --probe. */
    static RabidLog discarding() {
        return new RabidLog(new BufferedLog(OutputStream.nullOutputStream(), Path.of("/dev/null"), new WriteFailures()), false);
    }

    boolean full() {
        return full;
    }

    synchronized void verified(Verdict verdict) {
        out.write(verdict.expected() + "\n");
    }

    /** The 0.76 line, to this log and (by the caller) stderr. */
    static String mismatchLine(Verdict verdict, String account) {
        String calculated = verdict.md5() != null ? verdict.md5() : verdict.md5Lp64();
        return "MD5 mis-match, calculated:" + calculated + ", expected " + verdict.expected() + "!  Account name "
                + account;
    }

    synchronized void mismatch(Verdict verdict, String account, ByteBuf text) {
        out.write(mismatchLine(verdict, account) + "\n");
        message(text);
    }

    /** A message's text as retrieved (-a, and after a mismatch). */
    synchronized void message(ByteBuf text) {
        out.write(text);
    }

    /** Where a failed write of rabid.log is counted (the run stops on one: exit 74). */
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
