// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import java.util.List;

/**
 * A message to send again because its data went out and no reply came: the connection dropped
 * or timed out between the end of the data and the server's answer (RFC 5321 §4.1.1.4: the
 * client cannot know whether the server took it). A mail client sends such a message again,
 * which is how the classic duplicate arises, so postal does too, under the same identity and to
 * the recipients still unanswered, at most {@value #MAX_ATTEMPTS} times in all; the ledger
 * records each unanswered attempt, and postal-match tells the redelivered from the duplicated.
 *
 * @param sender     the envelope sender
 * @param recipients the recipients without an answer, in RCPT order
 * @param sequence   the message's number in the run
 * @param attempt    how many times it was sent so far
 */
record Resend(String sender, List<String> recipients, long sequence, int attempt) {
    static final int MAX_ATTEMPTS = 3;

    Resend {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty() || sequence < 0 || attempt < 1) {
            throw new IllegalArgumentException("nothing to send again");
        }
    }

    /** True when the message may be sent once more. */
    boolean allowed() {
        return attempt < MAX_ATTEMPTS;
    }
}
