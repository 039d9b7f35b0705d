// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.postal.daemon.message.HashVerifier;
import org.postal.daemon.message.Verdict;

/** The transaction-scoped part of a session: everything RSET, a new MAIL or the end of a message clears. */
final class SinkTransaction {

    private final HashVerifier verifier;
    private final boolean keepContent;
    private final List<String> recipients = new ArrayList<>(4);
    /** Accepted recipients whose action is to bounce (user-list action b). */
    private final List<String> bounced = new ArrayList<>(1);
    private boolean dropReply;
    private String sender;
    private boolean recipientTried;
    private boolean chunked;
    private long octets;
    private CompositeByteBuf content;

    SinkTransaction(HashVerifier verifier, boolean keepContent) {
        this.verifier = verifier;
        this.keepContent = keepContent;
    }

    void begin(String from) {
        clear();
        sender = from;
    }

    boolean open() {
        return sender != null;
    }

    String sender() {
        return sender;
    }

    List<String> recipients() {
        return recipients;
    }

    void triedRecipient() {
        recipientTried = true;
    }

    boolean recipientTried() {
        return recipientTried;
    }

    void addRecipient(String address) {
        recipients.add(address);
    }

    /** An accepted recipient that is bounced once the message is accepted. */
    void addBouncedRecipient(String address) {
        recipients.add(address);
        bounced.add(address);
    }

    /** The accepted recipients to be bounced, in RCPT order. */
    List<String> bounced() {
        return bounced;
    }

    boolean chunked() {
        return chunked;
    }

    void useChunks() {
        chunked = true;
    }

    long octets() {
        return octets;
    }

    void addOctets(long n) {
        octets += n;
    }

    /** Takes one piece of message content; releases it unless the message log needs it. */
    void content(ByteBufAllocator alloc, ByteBuf piece) {
        verifier.update(piece);
        if (keepContent) {
            if (content == null) {
                content = alloc.compositeBuffer(Integer.MAX_VALUE);
            }
            content.addComponent(true, piece);
        } else {
            piece.release();
        }
    }

    /** The hash verdict for the content seen so far; call once per message. */
    Verdict verdict() {
        return verifier.finish();
    }

    /** The kept content (for the message log), or an empty buffer; valid until the next clear. */
    ByteBuf keptContent() {
        return content == null ? io.netty.buffer.Unpooled.EMPTY_BUFFER : content;
    }

    /** fault.data=drop-reply came up: the message's reply after the data is not sent, the connection closes. */
    void dropReply() {
        dropReply = true;
    }

    boolean replyDropped() {
        return dropReply;
    }

    void clear() {
        dropReply = false;
        sender = null;
        recipients.clear();
        bounced.clear();
        recipientTried = false;
        chunked = false;
        octets = 0;
        verifier.reset();
        if (content != null) {
            content.release();
            content = null;
        }
    }
}
