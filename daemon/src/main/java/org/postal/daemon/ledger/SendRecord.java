// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the server answered for each recipient of the message one postal connection is sending,
 * written to the ledger when the transaction ends. Reused from message to message; event loop only.
 *
 * <p>The replies come in the order the dialogue defines (RFC 5321 §3.3, RFC 2920 for pipelining):
 * MAIL, one per RCPT, DATA (354 or a refusal), then after the data one reply for all accepted
 * recipients in SMTP or one per accepted recipient in RCPT order in LMTP (RFC 2033 §4.2).
 * A recipient gets the first non-2xx reply that concerns it, or the final 2xx; a recipient
 * with no answer gets no line, unless the connection ended after the data was sent: then it gets
 * an {@code unanswered} line, since the server may have delivered what postal sends again.
 */
public final class SendRecord {
    /** The phases a ledger names, as postal's statistics name them. */
    private static final String MAIL = "MAIL";
    private static final String RCPT = "RCPT";
    private static final String DATA = "DATA";
    private static final String END = "END_OF_DATA";
    /** The code slot of a recipient whose reply after the data never came. */
    private static final int NO_REPLY = -1;

    private final LedgerWriter ledger;
    private final boolean lmtp;
    private final List<String> recipients = new ArrayList<>(4);
    private int[] codes = new int[4];
    private String[] phases = new String[4];
    private String[] texts = new String[4];
    private long[] times = new long[4];
    private Identity identity;
    private long intended;
    private int rcptReplies;

    public SendRecord(LedgerWriter ledger, boolean lmtp) {
        this.ledger = ledger;
        this.lmtp = lmtp;
    }

    /** A new message: its identity, its intended send time (epoch ms) and its recipients in RCPT order. */
    public void begin(Identity id, long intendedMillis, List<String> rcpts) {
        identity = id;
        intended = intendedMillis;
        recipients.clear();
        recipients.addAll(rcpts);
        int n = rcpts.size();
        if (codes.length < n) {
            codes = new int[n];
            phases = new String[n];
            texts = new String[n];
            times = new long[n];
        }
        Arrays.fill(codes, 0, n, 0);
        rcptReplies = 0;
    }

    /** MAIL's reply: a refusal answers for every recipient. */
    public void mail(int code, String text) {
        if (code / 100 != 2) {
            for (int i = 0; i < recipients.size(); i++) {
                answer(i, code, MAIL, text);
            }
        }
    }

    /** The next RCPT's reply, in order: a refusal answers for that recipient. */
    public void rcpt(int code, String text) {
        int i = rcptReplies++;
        if (i < recipients.size() && code / 100 != 2) {
            answer(i, code, RCPT, text);
        }
    }

    /** DATA's reply: anything but 354 refuses every recipient still open. */
    public void data(int code, String text) {
        if (code != 354) {
            for (int i = 0; i < recipients.size(); i++) {
                answer(i, code, DATA, text);
            }
        }
    }

    /**
     * A reply after the data: SMTP's one for all recipients still open, or LMTP's for the next
     * open one (the refused ones were answered already, so the next open one is the next accepted).
     */
    public void content(int code, String text) {
        for (int i = 0; i < recipients.size(); i++) {
            if (codes[i] == 0) {
                answer(i, code, END, text);
                if (lmtp) {
                    break;
                }
            }
        }
    }

    /** The connection ended after the data: every recipient still open is unanswered. */
    public void unanswered() {
        for (int i = 0; i < recipients.size(); i++) {
            answer(i, NO_REPLY, END, "no reply after the data");
        }
    }

    /** Writes one line per answered recipient and forgets the message. */
    public void end() {
        if (identity == null) {
            return;
        }
        for (int i = 0; i < recipients.size(); i++) {
            if (codes[i] != 0) {
                Outcome outcome = codes[i] == NO_REPLY ? Outcome.UNANSWERED : Outcome.ofReply(codes[i]);
                ledger.record(times[i], identity, recipients.get(i), outcome, Math.max(0, codes[i]),
                        phases[i], intended, texts[i]);
            }
        }
        identity = null;
    }

    /** Forgets the message without writing (it is to be sent again). */
    public void discard() {
        identity = null;
    }

    private void answer(int i, int code, String phase, String text) {
        if (codes[i] == 0) {
            codes[i] = code;
            phases[i] = phase;
            texts[i] = text;
            times[i] = System.currentTimeMillis();
        }
    }
}
