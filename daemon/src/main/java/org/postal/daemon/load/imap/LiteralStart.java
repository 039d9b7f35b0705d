// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

import java.util.Objects;

/**
 * The start of a literal in an untagged response; {@code size} octets follow as ByteBufs, then {@link LiteralEnd}.
 *
 * @param size    the literal's length in octets, from {@code {size}}
 * @param keyword the response name in upper case, e.g. FETCH
 * @param number  the message number before the keyword, or -1
 * @param before  the response after the keyword up to and including the {@code {size}} marker,
 *                earlier literals as their markers, e.g. {@code (UID 7 BODY[] {1234}}
 */
public record LiteralStart(long size, String keyword, long number, String before) {

    public LiteralStart {
        if (size < 0) {
            throw new IllegalArgumentException("negative literal size: " + size);
        }
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(before, "before");
    }
}
