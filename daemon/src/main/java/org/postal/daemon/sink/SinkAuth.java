// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.util.function.BiPredicate;
import org.postal.daemon.smtp.Reply;

/**
 * The AUTH half of one bhm session: whether the client has authenticated, and the SASL exchange
 * while one runs (the session is then in {@link SinkState#AUTH} and every line is a response).
 *
 * <p>It changes no session state itself: each call returns a {@link Step} that
 * {@link SinkSessionHandler} applies, so the session's state changes in one place.
 */
final class SinkAuth {

    /**
     * What the session does after an AUTH line: enter {@code next}, then answer {@code reply},
     * as a refusal (counted towards --max-errors) when {@code refusal} is set.
     */
    record Step(SinkState next, Reply reply, boolean refusal) {
        static Step refuse(SinkState stay, Reply reply) {
            return new Step(stay, reply, true);
        }
    }

    private final BiPredicate<String, String> credentials;

    private boolean authenticated;
    private SaslExchange sasl;
    private SinkState after;

    /** @param credentials checks a user name and password under the configured AUTH mode */
    SinkAuth(BiPredicate<String, String> credentials) {
        this.credentials = credentials;
    }

    boolean authenticated() {
        return authenticated;
    }

    /** RFC 3207 section 4.2: STARTTLS forgets everything the client said before, AUTH included. */
    void forget() {
        authenticated = false;
    }

    /** The AUTH command in state {@code current}, after the session checked the client has greeted. */
    Step start(String argument, SinkState current, boolean inTransaction) {
        if (authenticated) {
            return Step.refuse(current, SinkReplies.ALREADY_AUTHENTICATED);
        }
        if (inTransaction) {
            return Step.refuse(current, SinkReplies.AUTH_IN_TRANSACTION);
        }
        sasl = new SaslExchange(credentials);
        after = current;
        return finish(sasl.start(argument));
    }

    /** A line of the client's while the exchange runs. */
    Step respond(String line) {
        return finish(sasl.respond(line));
    }

    /**
     * Ends a running exchange without a reply of its own (the caller's refusal answers the line).
     *
     * @return the state the session goes back to, or null when no exchange was running
     */
    SinkState abort() {
        if (sasl == null) {
            return null;
        }
        sasl = null;
        return after;
    }

    private Step finish(SaslExchange.Outcome outcome) {
        if (!outcome.finished()) {
            return new Step(SinkState.AUTH, outcome.reply(), false);
        }
        sasl = null;
        if (outcome.success()) {
            authenticated = true;
            return new Step(after, outcome.reply(), false);
        }
        // A failed login counts towards --max-errors, so passwords cannot be guessed without end.
        return Step.refuse(after, outcome.reply());
    }
}
