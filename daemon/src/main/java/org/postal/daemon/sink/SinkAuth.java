// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

/**
 * The AUTH half of one bhm session: whether the client has authenticated, and the SASL exchange
 * while one runs (the session is then in {@link SinkState#AUTH} and every line is a response).
 *
 * <p>It moves the session's state through {@link SinkSessionHandler}, which owns the state and the
 * replies; one of each per session.
 */
final class SinkAuth {

    private final SinkServices services;
    private final SinkTransaction transaction;
    private final SinkSessionHandler session;

    private boolean authenticated;
    private SaslExchange sasl;
    private SinkState after;

    SinkAuth(SinkServices services, SinkTransaction transaction, SinkSessionHandler session) {
        this.services = services;
        this.transaction = transaction;
        this.session = session;
    }

    boolean authenticated() {
        return authenticated;
    }

    /** RFC 3207 section 4.2: STARTTLS forgets everything the client said before, AUTH included. */
    void forget() {
        authenticated = false;
    }

    /** The AUTH command, after the session checked the client has greeted. */
    void start(String argument) {
        if (authenticated) {
            session.refuse(SinkReplies.ALREADY_AUTHENTICATED);
        } else if (transaction.open()) {
            session.refuse(SinkReplies.AUTH_IN_TRANSACTION);
        } else {
            sasl = new SaslExchange(services::credentials);
            after = session.state();
            finish(sasl.start(argument));
        }
    }

    /** A line of the client's while the exchange runs. */
    void respond(String line) {
        finish(sasl.respond(line));
    }

    /** Ends a running exchange without a reply of its own: the caller's refusal answers the line. */
    void abort() {
        if (session.state() == SinkState.AUTH) {
            session.enter(after);
            sasl = null;
        }
    }

    private void finish(SaslExchange.Outcome outcome) {
        if (!outcome.finished()) {
            session.reply(outcome.reply());
            session.enter(SinkState.AUTH);
            return;
        }
        session.enter(after);
        sasl = null;
        if (outcome.success()) {
            session.reply(outcome.reply());
            authenticated = true;
        } else {
            // A failed login counts towards --max-errors, so passwords cannot be guessed without end.
            session.refuse(outcome.reply());
        }
    }
}
