// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import java.util.Objects;

/**
 * What postal's options say about the messages it sends.
 *
 * @param sizes   the {@code -M}/{@code -m} body size range
 * @param subject the {@code -b} Subject prefix
 * @param hash    the {@code --hash} digest for {@code X-PostalHash}; {@link HashMode#AUTO}
 *                signs with real MD5, as {@link PostalDigest} does
 */
public record MessageSpec(MessageSizes sizes, SubjectStyle subject, HashMode hash) {
    /** postal's defaults: 0–10 KiB bodies, no Subject prefix, real MD5. */
    public static final MessageSpec DEFAULT =
            new MessageSpec(MessageSizes.DEFAULT, SubjectStyle.PLAIN, HashMode.MD5);

    public MessageSpec {
        Objects.requireNonNull(sizes, "sizes");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(hash, "hash");
    }

    /** The one digest a signer computes: AUTO has nothing to choose between, so it means MD5. */
    HashMode signingMode() {
        return hash == HashMode.AUTO ? HashMode.MD5 : hash;
    }
}
