// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

import java.util.Objects;

/**
 * One untagged response ({@code * ...}, RFC 3501 section 7), its literals' contents excluded.
 *
 * <p>Each literal the response held stays in {@link #rest} as its {@code {n}} (or {@code ~{n}})
 * marker; its octets went before as ByteBufs between {@link LiteralStart} and {@link LiteralEnd}.
 *
 * @param keyword the response name in upper case: OK, NO, BAD, BYE, PREAUTH, CAPABILITY, FLAGS,
 *                LIST, SEARCH, EXISTS, RECENT, EXPUNGE, FETCH and so on
 * @param number  the message number or count before the keyword ({@code * 3 EXISTS},
 *                {@code * 5 FETCH}), or -1 when there is none
 * @param rest    what followed the keyword and its space, possibly empty
 */
public record Untagged(String keyword, long number, String rest) {

    public Untagged {
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(rest, "rest");
    }

    /** For OK, NO, BAD, BYE and PREAUTH: the resp-text-code, e.g. {@code UIDVALIDITY 1700000000}, or null. */
    public String code() {
        return RespText.code(rest);
    }

    /** For OK, NO, BAD, BYE and PREAUTH: the text after the resp-text-code. */
    public String text() {
        return RespText.text(rest);
    }
}
