// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

import java.util.List;

/**
 * One SMTP reply: a code and one or more text lines (RFC 5321 section 4.2).
 *
 * @param code  the three-digit reply code, 200 to 599
 * @param lines the text lines, each without CR or LF; the last line ends the reply
 */
public record Reply(int code, List<String> lines) {

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line");
        }
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("CR or LF in reply text: " + line);
            }
        }
    }

    /** A one-line reply. */
    public static Reply of(int code, String text) {
        return new Reply(code, List.of(text));
    }

    /** True for 4xx replies. */
    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    /** True for 4xx and 5xx replies. */
    public boolean failure() {
        return code >= 400;
    }

    /** The reply as it goes on the wire, continuation lines marked with a hyphen. */
    public String wire() {
        StringBuilder out = new StringBuilder(32 * lines.size());
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append("\r\n");
        }
        return out.toString();
    }
}
