// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import org.postal.daemon.load.Phase;

/** What a reply that postal is waiting for will answer. */
enum SmtpStep {
    CONNECT, BANNER, EHLO, HELO, XCLIENT, STARTTLS, HANDSHAKE, AUTH, AUTH_PASSWORD, MAIL, RCPT, DATA, CONTENT, RSET, QUIT;

    /**
     * The phase whose reply classes this step's reply counts in, or null for none: a connect
     * that fails counts as a lost greeting, HELO and XCLIENT as EHLO (postal reports a refused
     * XCLIENT as "ehlo XCLIENT"), the reply after the data as end-of-data.
     */
    Phase tallied() {
        return switch (this) {
            case CONNECT, BANNER -> Phase.BANNER;
            case EHLO, HELO, XCLIENT -> Phase.EHLO;
            case MAIL -> Phase.MAIL;
            case RCPT -> Phase.RCPT;
            case DATA -> Phase.DATA;
            case CONTENT -> Phase.END_OF_DATA;
            case QUIT -> Phase.QUIT;
            case STARTTLS, HANDSHAKE, AUTH, AUTH_PASSWORD, RSET -> null;
        };
    }

    /**
     * One entry of the queue of awaited replies.
     *
     * @param phase      where the wait is measured, or null when a later entry measures it
     * @param startNanos when the command went out
     */
    record Pending(SmtpStep step, Phase phase, long startNanos) {
    }
}
