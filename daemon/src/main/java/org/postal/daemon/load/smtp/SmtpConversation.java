// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.UserPool.User;
import org.postal.daemon.smtp.Reply;

/**
 * The SMTP or LMTP dialogue of one connection: set-up (banner, EHLO with a HELO fallback,
 * STARTTLS, AUTH), then messages, each reply handled by the step it answers. Pipelined groups
 * and one-command-at-a-time dialogue are the same code: {@link AwaitedReplies} says what each
 * reply is.
 */
final class SmtpConversation {

    private final SmtpSlot slot;
    private final AwaitedReplies replies;
    private final SmtpLoad load;
    private final InetSocketAddress remote;
    private final SmtpTransaction tx;
    private Capabilities caps = Capabilities.NONE;
    private boolean triedHelo;
    private boolean tlsActive;
    private boolean authenticated;
    private boolean pipelined;
    private boolean chunked;
    private boolean quitSent;
    private User account;
    private final XclientStep xclient;

    SmtpConversation(SmtpSlot slot, AwaitedReplies replies, SmtpLoad load, InetSocketAddress remote, User account) {
        this.slot = slot;
        this.replies = replies;
        this.load = load;
        this.remote = remote;
        this.account = account;
        this.tx = new SmtpTransaction(load.sendRecord());
        this.tlsActive = load.config().target().smtps();
        this.xclient = XclientStep.of(slot, replies, load);
    }

    private boolean lmtp() {
        return load.config().target().lmtp();
    }

    // ---- set-up ----

    private void hello(boolean helo) {
        String verb = lmtp() ? "LHLO" : helo ? "HELO" : "EHLO";
        ByteBuf out = slot.alloc().ioBuffer(64);
        SmtpRequests.hello(out, verb, load.config().target().helo());
        slot.send(out, helo ? SmtpStep.HELO : SmtpStep.EHLO, Phase.EHLO);
    }

    private void afterHello() {
        if (!tlsActive && caps.starttls() && load.wantsTls(slot.random())) {
            slot.send(SmtpRequests.STARTTLS.duplicate(), SmtpStep.STARTTLS, null);
        } else {
            authOrReady();
        }
    }

    private void authOrReady() {
        if (account == null || authenticated || account.password() == null) {
            slot.ready();
            return;
        }
        boolean login = load.config().session().auth() == SmtpLoadConfig.Auth.LOGIN;
        if (!(login ? caps.authLogin() : caps.authPlain())) {
            replies.failed(Phase.AUTH, "not offered");
            account = null;
            slot.ready();
            return;
        }
        ByteBuf out = login ? SmtpRequests.authLogin(slot.alloc(), account.address())
                : SmtpRequests.authPlain(slot.alloc(), account.address(), account.password());
        slot.send(out, SmtpStep.AUTH, Phase.AUTH);
    }

    private void authDone(Reply reply) {
        if (reply.code() == 235) {
            authenticated = true;
        } else {
            replies.failed(Phase.AUTH, reply);
            account = null;
        }
        slot.ready();
    }

    /** A TLS handshake after STARTTLS ended; RFC 3207 section 4.2: greet again, forget what was offered. */
    void handshake(boolean success) {
        if (success) {
            tlsActive = true;
            caps = Capabilities.NONE;
            load.stats().tlsConnections.increment();
            hello(false);
        } else {
            replies.failed(Phase.TLS, "handshake");
            slot.abandon();
        }
    }

    // ---- one message ----

    /** The sender this connection sends as: the AUTH account if any, else one drawn per message. */
    String sender() {
        return account != null && authenticated ? account.address() : load.senders().pick(slot.random()).address();
    }

    void send(long token) {
        Resend again = slot.takeResend();
        if (again != null) {
            tx.begin(token, again.sender());
            again.recipients().forEach(tx::addRecipient);
            tx.resending(again);
            tx.message(slot.generate(tx.sender(), tx.recipients().get(0), again.sequence()));
        } else {
            tx.begin(token, sender());
            int rcpts = load.recipientCount(slot.random());
            for (int i = 0; i < rcpts; i++) {
                tx.addRecipient(load.recipients().pick(slot.random()).address());
            }
            tx.message(slot.generate(tx.sender(), tx.recipients().get(0)));
        }
        int rcpts = tx.recipients().size();
        if (load.log().full()) {
            load.log().message(tx.content());
        }
        pipelined = load.pipelining(caps);
        chunked = load.config().session().bdat() && caps.chunking();
        ByteBuf group = slot.alloc().ioBuffer(128 + 64 * rcpts);
        boolean size = caps.maxSize() >= 0 && !load.sizeRefused();
        tx.sizeSent(size);
        SmtpRequests.mail(group, tx.sender(), size ? tx.size() : -1, caps.smtputf8() && tx.needsUtf8());
        replies.expect(SmtpStep.MAIL, Phase.MAIL);
        if (pipelined) {
            // RFC 2920: MAIL, every RCPT and then DATA (or BDAT with the message) in one write.
            for (String rcpt = tx.nextRecipient(); rcpt != null; rcpt = tx.nextRecipient()) {
                SmtpRequests.rcpt(group, rcpt);
                replies.expect(SmtpStep.RCPT, Phase.RCPT);
            }
            if (chunked) {
                SmtpRequests.bdatLast(group, tx.size());
                slot.write(group, false);
                slot.writeContent(tx.takeContent(), true);
                replies.expect(SmtpStep.CONTENT, Phase.END_OF_DATA);
            } else {
                group.writeBytes(SmtpRequests.DATA, SmtpRequests.DATA.readerIndex(), SmtpRequests.DATA.readableBytes());
                slot.write(group, true);
                replies.expect(SmtpStep.DATA, Phase.DATA);
            }
        } else {
            slot.write(group, true);
        }
    }

    private void onMail(Reply reply) {
        if ((reply.code() == 501 || reply.code() == 555) && tx.sizeSent()) {
            // RFC 1870 says a server that offers SIZE takes the parameter; 0.76's bhm does not.
            load.refuseSize(reply);
            tx.fail();
            tx.sendAgain();
        } else if (reply.code() / 100 != 2) {
            tx.fail();
            replies.failed(Phase.MAIL, reply);
        }
        if (!pipelined) {
            if (tx.failed()) {
                rset();
            } else {
                rcpt();
            }
        }
    }

    private void rcpt() {
        ByteBuf out = slot.alloc().ioBuffer(64);
        SmtpRequests.rcpt(out, tx.nextRecipient());
        slot.send(out, SmtpStep.RCPT, Phase.RCPT);
    }

    private void onRcpt(Reply reply) {
        boolean ok = reply.code() / 100 == 2;
        if (!ok && !tx.failed()) {
            replies.failed(Phase.RCPT, reply);
        }
        boolean last = tx.rcptReply(ok);
        if (pipelined) {
            if (last && chunked && lmtp()) {
                // LMTP with BDAT: one final reply per accepted recipient (RFC 2033 section 4.2).
                replies.expectMore(SmtpStep.CONTENT, Math.max(0, tx.acceptedCount() - 1));
            }
        } else if (!last) {
            rcpt();
        } else if (tx.failed() || tx.acceptedCount() == 0) {
            rset();
        } else if (chunked) {
            ByteBuf out = slot.alloc().ioBuffer(32);
            SmtpRequests.bdatLast(out, tx.size());
            slot.write(out, false);
            slot.writeContent(tx.takeContent(), true);
            finalReplies();
        } else {
            slot.send(SmtpRequests.DATA.duplicate(), SmtpStep.DATA, Phase.DATA);
        }
    }

    private void finalReplies() {
        int count = lmtp() ? Math.max(1, tx.acceptedCount()) : 1;
        for (int i = 0; i < count; i++) {
            replies.expect(SmtpStep.CONTENT, Phase.END_OF_DATA);
        }
    }

    private void onData(Reply reply) {
        if (reply.code() == 354 && !tx.failed() && tx.acceptedCount() > 0) {
            slot.writeContent(tx.takeContent(), false);
            if (pipelined && slot.lastOnConnection() && !slot.abandonsAt(SmtpStep.QUIT)) {
                // RFC 2920 section 3.1: QUIT may end a group; after the connection's last message it
                // goes out with the end of data, as Postfix's smtp client sends it, saving a round trip.
                finalReplies();
                quitSent = true;
                replies.expect(SmtpStep.QUIT, Phase.QUIT);
                slot.write(SmtpRequests.END_OF_DATA_QUIT.duplicate(), true);
            } else {
                finalReplies();
                slot.write(SmtpRequests.END_OF_DATA.duplicate(), true);
            }
        } else if (reply.code() == 354) {
            // A 354 although no recipient was taken: ending the data would deliver an empty
            // message, so drop the connection instead.
            replies.failed(Phase.DATA, "354 without recipients");
            slot.abandon();
        } else {
            if (!tx.failed() && tx.acceptedCount() > 0) {
                replies.failed(Phase.DATA, reply);
            }
            rset();
        }
    }

    private void onContent(Reply reply) {
        boolean ok = reply.code() / 100 == 2;
        boolean counts = !tx.failed() && tx.acceptedCount() > 0;
        if (counts && !ok) {
            replies.failed(Phase.END_OF_DATA, reply);
        }
        if (counts && lmtp()) {
            tx.finalReply(ok);
        } else if (counts && ok) {
            tx.deliveredToAll();
        }
        if (!replies.awaits(SmtpStep.CONTENT)) {
            if (counts) {
                slot.messageDone(tx);
            } else {
                rset();
            }
        }
    }

    /** Ends a refused transaction; some servers keep MAIL open after refusing RCPT or DATA. */
    private void rset() {
        slot.send(SmtpRequests.RSET.duplicate(), SmtpStep.RSET, null);
    }

    void quit() {
        if (slot.abandonsAt(SmtpStep.QUIT)) {
            slot.abandonSession();
        } else if (!quitSent) {
            quitSent = true;
            slot.send(SmtpRequests.QUIT.duplicate(), SmtpStep.QUIT, Phase.QUIT);
        }
    }

    /** True once QUIT has gone out on this connection. */
    boolean quitSent() {
        return quitSent;
    }

    // ---- replies ----

    void onReply(SmtpStep step, Reply reply) {
        tx.answered(step, reply);
        switch (step) {
            case BANNER -> {
                if (reply.code() / 100 == 2) {
                    hello(false);
                } else {
                    replies.failed(Phase.BANNER, reply);
                    slot.quitAfterError();
                }
            }
            case EHLO -> {
                if (reply.code() / 100 == 2) {
                    caps = load.capabilities(reply.lines());
                    if (xclient == null || !xclient.announce(reply.lines())) {
                        afterHello();
                    }
                } else if (!triedHelo && !lmtp()) {
                    triedHelo = true;
                    hello(true);
                } else {
                    replies.failed(Phase.EHLO, reply);
                    slot.quitAfterError();
                }
            }
            case HELO -> {
                if (reply.code() / 100 == 2) {
                    caps = Capabilities.NONE;
                    if (xclient == null || !xclient.announce(java.util.List.of())) {
                        afterHello();
                    }
                } else {
                    replies.failed(Phase.EHLO, reply);
                    slot.quitAfterError();
                }
            }
            case XCLIENT -> {
                if (xclient.answered(reply)) {
                    hello(false);
                }
            }
            case STARTTLS -> {
                if (reply.code() == 220) {
                    slot.startTls(load.tlsHandler(slot.channel(), remote));
                } else {
                    replies.failed(Phase.TLS, reply);
                    authOrReady();
                }
            }
            case AUTH -> {
                if (reply.code() == 334 && load.config().session().auth() == SmtpLoadConfig.Auth.LOGIN) {
                    slot.send(SmtpRequests.line(slot.alloc(), SmtpRequests.base64(account.password())),
                            SmtpStep.AUTH_PASSWORD, Phase.AUTH);
                } else {
                    authDone(reply);
                }
            }
            case AUTH_PASSWORD -> authDone(reply);
            case MAIL -> onMail(reply);
            case RCPT -> onRcpt(reply);
            case DATA -> onData(reply);
            case CONTENT -> onContent(reply);
            case RSET -> slot.messageDone(tx);
            case QUIT -> slot.connectionDone();
            case HANDSHAKE -> {
                replies.failed(Phase.TLS, "reply before handshake");
                slot.abandon();
            }
        }
    }

    /** A 421 that ends the connection (RFC 5321 §3.8): only the ledger hears of it; the slot drops the connection. */
    void closingReply(SmtpStep step, Reply reply) {
        tx.answered(step, reply);
    }

    /** The connection failed: the message whose data went out unanswered, to send again, or null. */
    Resend unanswered() {
        return tx.open() && replies.awaits(SmtpStep.CONTENT) ? tx.unanswered() : null;
    }

    /** Frees the message in flight, if any. */
    void release() {
        tx.clear();
    }
}
