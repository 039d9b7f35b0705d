// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.util.Locale;

/** The steps of a client session whose latency and errors are measured separately. */
public enum Phase {
    /** Looking up a {@code +name} server before a connection (postal). */
    RESOLVE,
    CONNECT, BANNER, EHLO, TLS, AUTH, MAIL, RCPT, DATA, END_OF_DATA, QUIT,
    /** A whole message, from its intended start (the schedule) to the server's final reply. */
    MESSAGE,
    /** POP3 and IMAP commands (rabid). */
    LOGIN, STAT, LIST, UIDL, RETR, DELE, SELECT, FETCH, STORE, EXPUNGE, LOGOUT;

    /** The name used in reports: lower case, hyphens. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
