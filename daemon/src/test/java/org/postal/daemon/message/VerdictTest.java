// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postal.daemon.message.Verdict.Status.CORRUPT;
import static org.postal.daemon.message.Verdict.Status.UNSIGNED;
import static org.postal.daemon.message.Verdict.Status.VERIFIED;

import org.junit.jupiter.api.Test;

class VerdictTest {
    private static final String ID = "<6B072C7F.453.001.user1@example.com>";
    private static final String MD5 = "900150983cd24fb0d6963f7d28e17f72";
    private static final String LP64 = "7999dc75e8da648c6727e137c5b77803";
    private static final String BAD = "0123456789abcdef0123456789abcdef";

    @Test
    void describesEachOutcomeOnOneLine() {
        assertThat(new Verdict(UNSIGNED, null, null, null, null).describe())
                .isEqualTo("Message-ID (none): no X-PostalHash");
        assertThat(new Verdict(VERIFIED, ID, LP64.toUpperCase(), MD5, LP64).describe())
                .isEqualTo("Message-ID " + ID + ": X-PostalHash " + LP64.toUpperCase() + " matches md5-lp64");
        assertThat(new Verdict(VERIFIED, ID, MD5, MD5, null).describe()).endsWith(" matches md5");
        assertThat(new Verdict(CORRUPT, ID, BAD, MD5, LP64).describe())
                .isEqualTo("Message-ID " + ID + ": X-PostalHash " + BAD
                        + " matches neither md5 " + MD5 + " nor md5-lp64 " + LP64);
        assertThat(new Verdict(CORRUPT, ID, BAD, MD5, null).describe())
                .endsWith(BAD + " does not match md5 " + MD5);
        assertThat(new Verdict(CORRUPT, ID, BAD, null, LP64).describe())
                .endsWith(BAD + " does not match md5-lp64 " + LP64);
    }

    @Test
    void expectedIsPresentExactlyWhenSigned() {
        assertThatThrownBy(() -> new Verdict(UNSIGNED, ID, BAD, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Verdict(CORRUPT, ID, null, MD5, LP64))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Verdict(null, ID, null, null, null))
                .isInstanceOf(NullPointerException.class);
    }
}
