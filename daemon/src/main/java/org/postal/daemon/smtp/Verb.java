// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

import java.util.Locale;

/** An SMTP or LMTP command verb; anything unknown parses to {@link #UNKNOWN}. */
public enum Verb {
    HELO, EHLO, LHLO, MAIL, RCPT, DATA, BDAT, RSET, NOOP, VRFY, EXPN, HELP, QUIT, STARTTLS, AUTH, XCLIENT,
    UNKNOWN;

    private static final Verb[] KNOWN = {
        HELO, EHLO, LHLO, MAIL, RCPT, DATA, BDAT, RSET, NOOP, VRFY, EXPN, HELP, QUIT, STARTTLS, AUTH, XCLIENT
    };

    /** Parses the verb of a command line: the word before the first space, case-insensitively. */
    public static Verb of(String line) {
        int end = line.indexOf(' ');
        int length = end < 0 ? line.length() : end;
        if (length < 4 || length > 8) {
            return UNKNOWN;
        }
        for (Verb verb : KNOWN) {
            String name = verb.name();
            if (name.length() == length && line.regionMatches(true, 0, name, 0, length)) {
                return verb;
            }
        }
        return UNKNOWN;
    }

    /** The verb as a client writes it, for transcripts and logs. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
