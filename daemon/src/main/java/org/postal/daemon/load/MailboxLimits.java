// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.time.Duration;

/**
 * The bounds rabid holds every server to, so that no server (broken or hostile) can make it wait,
 * read or remember without end. Each is checked where the data arrives; the man page lists them.
 */
public final class MailboxLimits {

    /**
     * The largest message read: a RETR body or an IMAP literal beyond this ends the session as
     * "too large". postal (like 0.76) sends at most 40 MiB of body; this leaves room for headers.
     */
    public static final long MAX_MESSAGE = 64L << 20;

    /** Listed messages kept per session; a mailbox with more is worked through in later sessions. */
    public static final int MAX_LISTED = 1 << 20;

    /**
     * Untagged IMAP responses, or POP3 listing lines, taken in answer to one command that lists
     * the mailbox (LIST, UIDL, {@code UID FETCH 1:*}, EXPUNGE): the listed messages and as many
     * again. Past it the server is flooding, and the session ends.
     */
    public static final int MAX_RESPONSES = 2 * MAX_LISTED;

    /**
     * The same for any other command (a greeting, CAPA, SELECT, a message's FETCH): room for a
     * server's unsolicited EXISTS and EXPUNGE news, far below a flood.
     */
    public static final int MAX_OTHER_RESPONSES = 10_000;

    /** How long a session may still run once the run stops (--duration, --count, a signal) before it is cut off. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private MailboxLimits() {
    }
}
