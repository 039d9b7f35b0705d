// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import org.postal.daemon.message.Message;
import java.util.ArrayList;
import java.util.List;

/** The message a slot is sending: envelope, content, and how the server has answered so far. */
final class SmtpTransaction {

    private final List<String> recipients = new ArrayList<>(4);
    private long intendedNanos;
    private String sender;
    private ByteBuf content;
    private long size;
    private String hash;
    private boolean rcptsSent;
    private int accepted;
    private boolean failed;
    private boolean delivered;

    void begin(long intended, String from) {
        clear();
        intendedNanos = intended;
        sender = from;
    }

    void addRecipient(String address) {
        recipients.add(address);
    }

    /** The generated message, as one buffer over its header and body parts. */
    void message(Message message) {
        content = Unpooled.wrappedUnmodifiableBuffer(message.header(), message.lines(), message.lastLine());
        size = content.readableBytes();
        hash = message.hash();
    }

    /** The message as written to the wire; valid until {@link #takeContent} or {@link #clear}. */
    ByteBuf content() {
        return content;
    }

    /** Hands the content to the writer, which releases it; a transaction sends it at most once. */
    ByteBuf takeContent() {
        ByteBuf taken = content;
        content = null;
        return taken;
    }

    long intendedNanos() {
        return intendedNanos;
    }

    String sender() {
        return sender;
    }

    List<String> recipients() {
        return recipients;
    }

    long size() {
        return size;
    }

    String hash() {
        return hash;
    }

    boolean needsUtf8() {
        if (SmtpRequests.needsUtf8(sender)) {
            return true;
        }
        for (String r : recipients) {
            if (SmtpRequests.needsUtf8(r)) {
                return true;
            }
        }
        return false;
    }

    boolean rcptsSent() {
        return rcptsSent;
    }

    void markRcptsSent() {
        rcptsSent = true;
    }

    void accepted() {
        accepted++;
    }

    int acceptedCount() {
        return accepted;
    }

    void fail() {
        failed = true;
    }

    boolean failed() {
        return failed;
    }

    void delivered() {
        delivered = true;
    }

    boolean wasDelivered() {
        return delivered;
    }

    void clear() {
        if (content != null) {
            ReferenceCountUtil.release(content);
            content = null;
        }
        recipients.clear();
        sender = null;
        rcptsSent = false;
        accepted = 0;
        failed = false;
        delivered = false;
    }
}
