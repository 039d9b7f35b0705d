// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.postal.daemon.message.Verdict;
import org.postal.daemon.report.LogFiles;

/**
 * bhm.log under -a: every accepted message in mboxrd format, so mail readers open it as a folder.
 *
 * <p>Each message starts with a {@code From } separator line, then an {@code X-Bhm-Envelope}
 * header with the client, envelope and hash verdict, then the message with LF line ends and
 * {@code >}-quoted {@code From } lines. Written under a lock on the event loop: -a is a
 * debugging mode, not one for full-rate runs.
 */
final class MessageLog implements AutoCloseable {

    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    private final OutputStream out;

    MessageLog(Path file) throws IOException {
        this.out = LogFiles.open(file);
    }

    /**
     * Appends one message.
     *
     * @throws IOException when it cannot be written (a full disk): the caller counts it and goes on
     */
    synchronized void append(String client, String sender, List<String> recipients, ByteBuf content,
                             Verdict verdict) throws IOException {
        // Built whole, then written at once: after a failed write no half message waits in a buffer.
        ByteArrayOutputStream message = new ByteArrayOutputStream(content.readableBytes() + 256);
        String from = sender.isEmpty() ? "MAILER-DAEMON" : sender.replace(' ', '_');
        write(message, "From " + from + " " + ASCTIME.format(ZonedDateTime.now()) + "\n");
        write(message, "X-Bhm-Envelope: client=" + client + " from=<" + sender + "> to=<"
                + String.join(">,<", recipients) + "> hash=" + verdict.status().name().toLowerCase(Locale.ROOT)
                + "\n");
        writeQuoted(message, content);
        write(message, "\n");
        message.writeTo(out);
    }

    private static void writeQuoted(ByteArrayOutputStream message, ByteBuf content) {
        int pos = content.readerIndex();
        int end = content.writerIndex();
        while (pos < end) {
            int lf = content.indexOf(pos, end, (byte) '\n');
            int next = lf < 0 ? end : lf + 1;
            int stop = lf < 0 ? end : (lf > pos && content.getByte(lf - 1) == '\r' ? lf - 1 : lf);
            if (quoted(content, pos, stop)) {
                message.write('>');
            }
            message.write(ByteBufUtil.getBytes(content, pos, stop - pos), 0, stop - pos);
            message.write('\n');
            pos = next;
        }
    }

    // mboxrd: a line matching ^>*From gets one more '>'.
    private static boolean quoted(ByteBuf content, int from, int to) {
        int i = from;
        while (i < to && content.getByte(i) == '>') {
            i++;
        }
        return to - i >= 5 && content.toString(i, 5, StandardCharsets.US_ASCII).equals("From ");
    }

    private static void write(ByteArrayOutputStream message, String text) {
        message.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
