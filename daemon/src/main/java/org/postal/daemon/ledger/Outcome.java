// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** What a ledger line says happened to one message for one recipient or mailbox. */
public enum Outcome {
    /** postal: the server took responsibility (2xx after the data). */
    ACCEPTED,
    /** postal: a 4xx reply, at the phase the line names. */
    DEFERRED,
    /** postal: a 5xx reply, at the phase the line names. */
    REFUSED,
    /**
     * postal: the data went out but no reply came (the connection dropped or timed out), so the
     * server may or may not have taken the message; postal sends it again under the same identity.
     */
    UNANSWERED,
    /** bhm or rabid: the X-PostalHash held. */
    VERIFIED,
    /** bhm or rabid: the X-PostalHash did not hold. */
    CORRUPT,
    /** bhm or rabid: no X-PostalHash, so nothing to check. */
    UNSIGNED;

    private final String word = name().toLowerCase(Locale.ROOT);
    private final byte[] wordBytes = word.getBytes(StandardCharsets.US_ASCII);

    /** The lowercase word a ledger writes. */
    public String word() {
        return word;
    }

    /** The word in ASCII, for the ledger writer (callers must not change it). */
    byte[] wordBytes() {
        return wordBytes;
    }

    /** True for the outcomes a receiver (bhm, rabid) writes. */
    public boolean received() {
        return ordinal() >= VERIFIED.ordinal();
    }

    /** The outcome for a reply code after the data or at a refusing phase. */
    public static Outcome ofReply(int code) {
        return code / 100 == 2 ? ACCEPTED : code / 100 == 4 ? DEFERRED : REFUSED;
    }

    /** The outcome a ledger word names, or null. */
    public static Outcome parse(String word) {
        for (Outcome o : values()) {
            if (o.word.equals(word)) {
                return o;
            }
        }
        return null;
    }
}
