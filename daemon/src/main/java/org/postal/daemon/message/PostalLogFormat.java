// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The two forms in which postal.log records a delivered message (doc/POSTAL-0.76.md §5.2). */
public final class PostalLogFormat {
    private static final byte[] END_OF_DATA = ".\r\n".getBytes(StandardCharsets.US_ASCII);

    private PostalLogFormat() {
    }

    /** The default line: {@code <hash> <from> <to>} and a newline, addresses in brackets. */
    public static String summary(Message message) {
        return message.hash() + " <" + message.sender() + "> <" + message.recipient() + ">\n";
    }

    /**
     * The {@code -a} form: the message as sent, headers, body and the end-of-data line. Reads the
     * buffers without consuming them, so call it before they are written to a channel.
     */
    public static void writeFullText(Message message, OutputStream out) throws IOException {
        write(message.header(), out);
        write(message.lines(), out);
        write(message.lastLine(), out);
        out.write(END_OF_DATA);
    }

    private static void write(ByteBuf buffer, OutputStream out) throws IOException {
        buffer.getBytes(buffer.readerIndex(), out, buffer.readableBytes());
    }
}
