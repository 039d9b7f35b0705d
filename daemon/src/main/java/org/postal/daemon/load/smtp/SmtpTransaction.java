// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.ledger.Identity;
import org.postal.daemon.ledger.SendRecord;
import org.postal.daemon.message.Message;
import org.postal.daemon.smtp.Reply;

/** The message a connection is sending: envelope, content, and how the server has answered so far. */
final class SmtpTransaction {

    /** The ledger's view of the replies, or null without --ledger. */
    private final SendRecord record;
    private final List<String> recipients = new ArrayList<>(4);
    private final List<String> accepted = new ArrayList<>(4);
    private final List<String> delivered = new ArrayList<>(4);
    private long intendedNanos;
    private String sender;
    private ByteBuf content;
    private long size;
    private String hash;
    private int rcptsSent;
    private int rcptReplies;
    private int finalReplies;
    private boolean failed;
    private boolean sizeSent;
    private boolean again;
    private long sequence = -1;
    /** How many times this message has been sent, this time included. */
    private int attempt = 1;

    SmtpTransaction(SendRecord record) {
        this.record = record;
    }

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
        sequence = message.sequence();
        if (record != null) {
            long intendedMillis = System.currentTimeMillis()
                    - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - intendedNanos);
            record.begin(new Identity(message.run().value(), message.sequence()), intendedMillis, recipients);
        }
    }

    /** A reply the dialogue received while this message was open, for the ledger. */
    void answered(SmtpStep step, Reply reply) {
        if (record == null || sender == null) {
            return;
        }
        // The text is kept only where the ledger writes it: refusals and the reply after the data.
        int code = reply.code();
        switch (step) {
            case MAIL -> record.mail(code, code / 100 == 2 ? null : text(reply));
            case RCPT -> record.rcpt(code, code / 100 == 2 ? null : text(reply));
            case DATA -> record.data(code, code == 354 ? null : text(reply));
            case CONTENT -> record.content(code, text(reply));
            default -> {
            }
        }
    }

    private static String text(Reply reply) {
        List<String> lines = reply.lines();
        return lines.size() == 1 ? lines.get(0) : String.join(" ", lines);
    }

    /** The message as it will be written; valid until {@link #takeContent} or {@link #clear}. */
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

    /** The next recipient to send RCPT for, or null when all have been sent. */
    String nextRecipient() {
        return rcptsSent < recipients.size() ? recipients.get(rcptsSent++) : null;
    }

    /** Records the reply to the next RCPT in order; returns true when it was the last one. */
    boolean rcptReply(boolean ok) {
        if (ok) {
            accepted.add(recipients.get(rcptReplies));
        }
        return ++rcptReplies == recipients.size();
    }

    int acceptedCount() {
        return accepted.size();
    }

    /** Records one final reply after the data (LMTP: one per accepted recipient, in order). */
    void finalReply(boolean ok) {
        if (ok) {
            delivered.add(accepted.isEmpty() ? recipients.get(0) : accepted.get(Math.min(finalReplies,
                    accepted.size() - 1)));
        }
        finalReplies++;
    }

    /** Every recipient accepted at RCPT, for SMTP where one final reply covers them all. */
    void deliveredToAll() {
        delivered.addAll(accepted);
    }

    /** Recipients the server took the message for. */
    List<String> delivered() {
        return delivered;
    }

    void sizeSent(boolean sent) {
        sizeSent = sent;
    }

    boolean sizeSent() {
        return sizeSent;
    }

    /** This message is {@code earlier} sent again; call after {@link #begin}. */
    void resending(Resend earlier) {
        attempt = earlier.attempt() + 1;
    }

    /**
     * The connection ended after the data went out: the ledger says which recipients had no
     * answer, and they are what to send again (null when every recipient was answered).
     */
    Resend unanswered() {
        List<String> open = accepted.subList(Math.min(finalReplies, accepted.size()), accepted.size());
        if (open.isEmpty() || sequence < 0) {
            return null;
        }
        if (record != null) {
            record.unanswered();
        }
        return new Resend(sender, open, sequence, attempt);
    }

    /** The message is to be sent again on this connection (after a refused SIZE= parameter). */
    void sendAgain() {
        again = true;
    }

    boolean again() {
        return again;
    }

    void fail() {
        failed = true;
    }

    boolean failed() {
        return failed;
    }

    /** True once the message is in flight: MAIL was sent. */
    boolean open() {
        return sender != null;
    }

    void clear() {
        if (record != null) {
            if (again) {
                record.discard();
            } else {
                record.end();
            }
        }
        if (content != null) {
            ReferenceCountUtil.release(content);
            content = null;
        }
        recipients.clear();
        accepted.clear();
        delivered.clear();
        sender = null;
        rcptsSent = 0;
        rcptReplies = 0;
        finalReplies = 0;
        failed = false;
        sizeSent = false;
        again = false;
        sequence = -1;
        attempt = 1;
    }
}
