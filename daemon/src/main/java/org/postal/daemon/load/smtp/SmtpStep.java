// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import org.postal.daemon.load.Phase;

/** What a reply that postal is waiting for will answer. */
enum SmtpStep {
    CONNECT, BANNER, EHLO, HELO, XCLIENT, STARTTLS, HANDSHAKE, AUTH, AUTH_PASSWORD, MAIL, RCPT, DATA, CONTENT, RSET, QUIT;

    /**
     * One entry of the queue of awaited replies.
     *
     * @param phase      where the wait is measured, or null when a later entry measures it
     * @param startNanos when the command went out
     */
    record Pending(SmtpStep step, Phase phase, long startNanos) {
    }
}
