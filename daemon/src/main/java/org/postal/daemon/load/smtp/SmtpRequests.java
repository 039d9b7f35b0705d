// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The command lines postal sends, written straight into a buffer (RFC 5321 syntax: no space after
 * the colon, unlike 0.76's {@code MAIL FROM: <a>}, which Dovecot's LMTP refuses).
 */
final class SmtpRequests {

    static final ByteBuf QUIT = constant("QUIT\r\n");
    static final ByteBuf RSET = constant("RSET\r\n");
    static final ByteBuf DATA = constant("DATA\r\n");
    static final ByteBuf STARTTLS = constant("STARTTLS\r\n");
    static final ByteBuf END_OF_DATA = constant(".\r\n");
    /** The end of data and QUIT in one buffer, for a connection's last message when pipelining. */
    static final ByteBuf END_OF_DATA_QUIT = constant(".\r\nQUIT\r\n");

    private SmtpRequests() {
    }

    private static ByteBuf constant(String line) {
        // Direct, so the transport writes it as it is rather than copying it off the heap first.
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes)).asReadOnly();
    }

    static void hello(ByteBuf out, String verb, String name) {
        out.writeCharSequence(verb, StandardCharsets.US_ASCII);
        out.writeByte(' ');
        out.writeCharSequence(name, StandardCharsets.UTF_8);
        crlf(out);
    }

    static void mail(ByteBuf out, String sender, long size, boolean utf8) {
        out.writeCharSequence("MAIL FROM:<", StandardCharsets.US_ASCII);
        out.writeCharSequence(sender, StandardCharsets.UTF_8);
        out.writeByte('>');
        if (size >= 0) {
            out.writeCharSequence(" SIZE=", StandardCharsets.US_ASCII);
            out.writeCharSequence(Long.toString(size), StandardCharsets.US_ASCII);
        }
        if (utf8) {
            out.writeCharSequence(" SMTPUTF8", StandardCharsets.US_ASCII);
        }
        crlf(out);
    }

    static void rcpt(ByteBuf out, String recipient) {
        out.writeCharSequence("RCPT TO:<", StandardCharsets.US_ASCII);
        out.writeCharSequence(recipient, StandardCharsets.UTF_8);
        out.writeByte('>');
        crlf(out);
    }

    static void bdatLast(ByteBuf out, long size) {
        out.writeCharSequence("BDAT ", StandardCharsets.US_ASCII);
        out.writeCharSequence(Long.toString(size), StandardCharsets.US_ASCII);
        out.writeCharSequence(" LAST", StandardCharsets.US_ASCII);
        crlf(out);
    }

    /** {@code AUTH PLAIN} with its initial response (RFC 4616: authzid NUL authcid NUL passwd). */
    static ByteBuf authPlain(ByteBufAllocator alloc, String user, String password) {
        String response = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
                .getBytes(StandardCharsets.UTF_8));
        return ByteBufUtil.writeAscii(alloc, "AUTH PLAIN " + response + "\r\n");
    }

    static ByteBuf authLogin(ByteBufAllocator alloc, String user) {
        return ByteBufUtil.writeAscii(alloc, "AUTH LOGIN " + base64(user) + "\r\n");
    }

    static ByteBuf line(ByteBufAllocator alloc, String text) {
        return ByteBufUtil.writeUtf8(alloc, text + "\r\n");
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void crlf(ByteBuf out) {
        out.writeByte('\r');
        out.writeByte('\n');
    }

    /** True when an address needs SMTPUTF8 (RFC 6531). */
    static boolean needsUtf8(String address) {
        for (int i = 0; i < address.length(); i++) {
            if (address.charAt(i) > 0x7f) {
                return true;
            }
        }
        return false;
    }
}
