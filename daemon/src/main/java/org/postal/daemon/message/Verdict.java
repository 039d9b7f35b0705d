// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import java.util.Objects;

/**
 * The outcome of checking one message's {@code X-PostalHash}.
 *
 * @param status    whether the message was signed and, if so, whether the signature held
 * @param messageId the first {@code Message-ID} header value, or null if there was none
 * @param expected  the {@code X-PostalHash} value, or null when {@link Status#UNSIGNED}
 * @param md5       real MD5 of the signed bytes, or null when the mode does not compute it
 * @param md5Lp64   MD5-LP64 of the signed bytes, or null when the mode does not compute it;
 *                  a {@link Status#CORRUPT} verdict with neither digest means a signed header
 *                  line exceeded 998 bytes, so nothing was computed
 */
public record Verdict(Status status, String messageId, String expected, String md5, String md5Lp64) {

    /** Whether a message was signed, and whether its signature held. */
    public enum Status {
        /** No {@code X-PostalHash} header: foreign mail, not checked. */
        UNSIGNED,
        /** The signature equals a digest the mode accepts. */
        VERIFIED,
        /** The signature equals no digest the mode accepts. */
        CORRUPT
    }

    public Verdict {
        Objects.requireNonNull(status, "status");
        if ((status == Status.UNSIGNED) != (expected == null)) {
            throw new IllegalArgumentException("expected must be null exactly when unsigned");
        }
    }

    /** One log line, such as {@code Message-ID <x>: X-PostalHash … matches neither md5 …}. */
    public String describe() {
        String subject = "Message-ID " + (messageId == null ? "(none)" : messageId) + ": ";
        if (status == Status.UNSIGNED) {
            return subject + "no X-PostalHash";
        }
        String claim = subject + "X-PostalHash " + expected;
        if (status == Status.VERIFIED) {
            return claim + " matches " + (expected.equalsIgnoreCase(md5) ? "md5" : "md5-lp64");
        }
        if (md5 != null && md5Lp64 != null) {
            return claim + " matches neither md5 " + md5 + " nor md5-lp64 " + md5Lp64;
        }
        if (md5 != null) {
            return claim + " does not match md5 " + md5;
        }
        if (md5Lp64 != null) {
            return claim + " does not match md5-lp64 " + md5Lp64;
        }
        return claim + " not checked: a signed header line exceeds 998 bytes";
    }
}
