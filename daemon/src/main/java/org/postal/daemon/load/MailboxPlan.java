// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * What one rabid session does, fixed when it starts.
 *
 * @param loginName     the name to log in with (the address, or its local part with -u)
 * @param password      the account's password
 * @param implicitTls   the connection is TLS from its start (--pop3s, --imaps)
 * @param wantTls       STLS or STARTTLS, when offered (drawn by -s)
 * @param saslPlain     AUTH PLAIN / AUTHENTICATE PLAIN when offered, instead of USER/PASS or LOGIN
 * @param perConnection 0.76's -c: -1 every listed message, 0 log in and out only, N the first N
 * @param draws         which listed messages to retrieve and which of those to delete
 */
public record MailboxPlan(String loginName, String password, boolean implicitTls, boolean wantTls,
                          boolean saslPlain, int perConnection, MailboxDraws draws) {

    public MailboxPlan {
        Objects.requireNonNull(loginName, "loginName");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(draws, "draws");
        if (perConnection < -1) {
            throw new IllegalArgumentException("per-connection count below -1: " + perConnection);
        }
        if ((loginName + password).chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("CR or LF in a login name or password");
        }
    }

    /** How many listed messages a session works through. */
    public int limit() {
        return perConnection < 0 ? Integer.MAX_VALUE : perConnection;
    }

    /** RFC 4616 section 2: the PLAIN message {@code [authzid] NUL authcid NUL passwd}, in base64. */
    public String plainResponse() {
        return Base64.getEncoder().encodeToString(("\0" + loginName + "\0" + password)
                .getBytes(StandardCharsets.UTF_8));
    }
}
