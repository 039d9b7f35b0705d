// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

import java.util.Locale;
import java.util.Set;

/**
 * What the first line of a response says about it: its kind, tag or keyword, and where the rest starts.
 *
 * @param keyword   the status word (tagged), the response name (untagged) or "+" (continuation)
 * @param restStart index in the response text where {@code rest} / resp-text begins
 */
record ResponseHead(Kind kind, String tag, String keyword, long number, int restStart) {

    enum Kind { TAGGED, UNTAGGED, CONTINUATION }

    /** Untagged responses whose remainder is resp-text, where a trailing "{n}" is text and not a literal. */
    private static final Set<String> CONDITIONS = Set.of("OK", "NO", "BAD", "BYE", "PREAUTH");

    /*
     * RFC 3501 section 9:
     *   response-tagged = tag SP resp-cond-state CRLF
     *   resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text
     *   response-data   = "*" SP (resp-cond-state / resp-cond-bye / mailbox-data / message-data /
     *                     capability-data) CRLF
     *   message-data    = nz-number SP ("EXPUNGE" / ("FETCH" SP msg-att))
     *   mailbox-data    = ... / number SP "EXISTS" / number SP "RECENT"
     *   continue-req    = "+" SP (resp-text / base64) CRLF
     *   tag             = 1*<any ASTRING-CHAR except "+">
     * A lone "+" and a tagged status without text are accepted: servers send both.
     */
    static ResponseHead parse(String line) {
        if (line.startsWith("+")) {
            if (line.length() > 1 && line.charAt(1) != ' ') {
                throw new IllegalArgumentException("no space after \"+\"");
            }
            return new ResponseHead(Kind.CONTINUATION, null, "+", -1, Math.min(2, line.length()));
        }
        if (line.startsWith("* ")) {
            int pos = 2;
            long number = -1;
            if (pos < line.length() && digit(line.charAt(pos))) {
                int end = wordEnd(line, pos);
                number = number(line.substring(pos, end));
                pos = end + 1;
            }
            int end = wordEnd(line, pos);
            String keyword = atom(line.substring(Math.min(pos, line.length()), end), "response name");
            return new ResponseHead(Kind.UNTAGGED, null, keyword, number, Math.min(end + 1, line.length()));
        }
        int tagEnd = wordEnd(line, 0);
        String tag = line.substring(0, tagEnd);
        if (tag.isEmpty() || !tag.chars().allMatch(c -> c == ']' || atomChar(c))) {
            throw new IllegalArgumentException("not a tag: \"" + tag + "\"");
        }
        int end = wordEnd(line, tagEnd + 1);
        String status = tagEnd < line.length() ? line.substring(tagEnd + 1, end).toUpperCase(Locale.ROOT) : "";
        if (!status.equals("OK") && !status.equals("NO") && !status.equals("BAD")) {
            throw new IllegalArgumentException("tagged response neither OK, NO nor BAD");
        }
        return new ResponseHead(Kind.TAGGED, tag, status, -1, Math.min(end + 1, line.length()));
    }

    /** Whether a "{n}" at the end of one of this response's lines announces a literal. */
    boolean literalsAllowed() {
        return kind == Kind.UNTAGGED && !CONDITIONS.contains(keyword);
    }

    /** The response record, given the whole response text with literals as their markers. */
    Object complete(String response) {
        String rest = response.substring(restStart);
        return switch (kind) {
            case TAGGED -> new Tagged(tag, Status.valueOf(keyword), RespText.code(rest), RespText.text(rest));
            case UNTAGGED -> new Untagged(keyword, number, rest);
            case CONTINUATION -> new Continuation(rest);
        };
    }

    // literal = "{" number "}" CRLF *CHAR8 ; literal8 = "~{" number "}" CRLF *OCTET (RFC 3516)
    /** The size announced by a literal marker that ends the line, or -1 if it does not end in one. */
    static long literalAtEnd(String line) {
        int open = line.lastIndexOf('{');
        if (!line.endsWith("}") || open < 0 || open + 2 >= line.length()) {
            return -1;
        }
        String digits = line.substring(open + 1, line.length() - 1);
        return digits.chars().allMatch(ResponseHead::digit) ? number(digits) : -1;
    }

    private static boolean digit(int c) {
        return c >= '0' && c <= '9';
    }

    static boolean atomChar(int c) {
        return c > ' ' && c < 0x7f && "(){%*\"\\]".indexOf(c) < 0;
    }

    private static String atom(String word, String what) {
        if (word.isEmpty() || !word.chars().allMatch(ResponseHead::atomChar)) {
            throw new IllegalArgumentException("bad " + what + ": \"" + word + "\"");
        }
        return word.toUpperCase(Locale.ROOT);
    }

    private static long number(String digits) {
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(ResponseHead::digit)) {
            throw new IllegalArgumentException("bad number: \"" + digits + "\"");
        }
        return Long.parseLong(digits);
    }

    private static int wordEnd(String line, int from) {
        if (from >= line.length()) {
            return line.length();
        }
        int sp = line.indexOf(' ', from);
        return sp < 0 ? line.length() : sp;
    }
}
