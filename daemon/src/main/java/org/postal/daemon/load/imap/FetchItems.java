// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The FETCH data items rabid reads, pulled out of a FETCH response's {@link Untagged#rest()}.
 *
 * @param uid        the UID item, or -1 when absent
 * @param rfc822Size the RFC822.SIZE item, or -1 when absent
 * @param flags      the FLAGS item, e.g. {@code \Seen}, or null when absent
 */
public record FetchItems(long uid, long rfc822Size, List<String> flags) {

    public FetchItems {
        flags = flags == null ? null : List.copyOf(flags);
    }

    /*
     * RFC 3501 section 9:
     *   msg-att         = "(" (msg-att-dynamic / msg-att-static) *(SP (msg-att-dynamic / msg-att-static)) ")"
     *   msg-att-dynamic = "FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")"
     *   msg-att-static  = "ENVELOPE" SP envelope / "INTERNALDATE" SP date-time / "RFC822.SIZE" SP number /
     *                     "BODY" section ["<" number ">"] SP nstring / "UID" SP uniqueid / ...
     * Items other than these three are skipped whole, literal markers and nested lists included.
     */
    /** Parses {@code (UID 7 RFC822.SIZE 1234 BODY[] {1234} FLAGS (\Seen))}; garbage raises IllegalArgumentException. */
    public static FetchItems parse(String rest) {
        ImapTokenizer tokens = new ImapTokenizer(rest);
        if (tokens.next().type() != ImapTokenizer.Type.OPEN) {
            throw new IllegalArgumentException("FETCH data not a list: \"" + rest + "\"");
        }
        long uid = -1;
        long size = -1;
        List<String> flags = null;
        while (true) {
            ImapTokenizer.Token name = tokens.next();
            if (name.type() == ImapTokenizer.Type.CLOSE) {
                break;
            }
            if (name.type() != ImapTokenizer.Type.ATOM) {
                throw new IllegalArgumentException("FETCH item name expected: \"" + rest + "\"");
            }
            switch (name.text().toUpperCase(Locale.ROOT)) {
                case "UID" -> uid = number(tokens.next(), rest);
                case "RFC822.SIZE" -> size = number(tokens.next(), rest);
                case "FLAGS" -> flags = list(tokens, rest);
                default -> tokens.skipValue();
            }
        }
        if (tokens.hasNext()) {
            throw new IllegalArgumentException("text after FETCH data: \"" + rest + "\"");
        }
        return new FetchItems(uid, size, flags);
    }

    private static long number(ImapTokenizer.Token token, String rest) {
        if (token.type() != ImapTokenizer.Type.ATOM || !token.text().matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException("number expected: \"" + rest + "\"");
        }
        return Long.parseLong(token.text());
    }

    private static List<String> list(ImapTokenizer tokens, String rest) {
        if (tokens.next().type() != ImapTokenizer.Type.OPEN) {
            throw new IllegalArgumentException("flag list expected: \"" + rest + "\"");
        }
        List<String> flags = new ArrayList<>();
        for (ImapTokenizer.Token flag = tokens.next(); flag.type() != ImapTokenizer.Type.CLOSE; flag = tokens.next()) {
            if (flag.type() != ImapTokenizer.Type.ATOM) {
                throw new IllegalArgumentException("flag expected: \"" + rest + "\"");
            }
            flags.add(flag.text());
        }
        return flags;
    }
}
