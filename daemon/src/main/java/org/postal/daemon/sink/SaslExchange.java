// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.function.BiPredicate;
import org.postal.daemon.smtp.Reply;

/**
 * One SASL exchange of the AUTH command (RFC 4954): PLAIN (RFC 4616) or LOGIN.
 *
 * <p>{@link #start} takes the AUTH argument; while the returned outcome is not finished, every
 * further client line goes to {@link #respond}. A line "*" cancels.
 */
final class SaslExchange {

    /** What to answer and whether the exchange is over. */
    record Outcome(Reply reply, boolean finished, boolean success) {
        static Outcome more(Reply challenge) {
            return new Outcome(challenge, false, false);
        }

        static Outcome done(Reply reply) {
            return new Outcome(reply, true, reply.code() == 235);
        }
    }

    private enum Step { PLAIN_RESPONSE, LOGIN_USERNAME, LOGIN_PASSWORD }

    private final BiPredicate<String, String> credentials;
    private Step step;
    private String username;

    /** @param credentials says whether a user name and password are accepted */
    SaslExchange(BiPredicate<String, String> credentials) {
        this.credentials = credentials;
    }

    Outcome start(String argument) {
        String[] words = argument.trim().split(" +");
        if (words[0].isEmpty() || words.length > 2) {
            return Outcome.done(SinkReplies.AUTH_SYNTAX);
        }
        String initial = words.length == 2 ? words[1] : null;
        switch (words[0].toUpperCase(Locale.ROOT)) {
            case "PLAIN" -> {
                step = Step.PLAIN_RESPONSE;
                return initial == null ? Outcome.more(SinkReplies.AUTH_CONTINUE) : respond(initial);
            }
            case "LOGIN" -> {
                step = Step.LOGIN_USERNAME;
                return initial == null ? Outcome.more(SinkReplies.AUTH_USERNAME) : respond(initial);
            }
            default -> {
                return Outcome.done(SinkReplies.UNSUPPORTED_MECHANISM);
            }
        }
    }

    Outcome respond(String line) {
        if (line.equals("*")) {
            return Outcome.done(SinkReplies.AUTH_CANCELLED);
        }
        byte[] decoded;
        try {
            decoded = line.equals("=") ? new byte[0] : Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            return Outcome.done(SinkReplies.AUTH_BAD_ENCODING);
        }
        String text = new String(decoded, StandardCharsets.UTF_8);
        return switch (step) {
            case PLAIN_RESPONSE -> plain(text);
            case LOGIN_USERNAME -> {
                username = text;
                step = Step.LOGIN_PASSWORD;
                yield Outcome.more(SinkReplies.AUTH_PASSWORD);
            }
            case LOGIN_PASSWORD -> check(username, text);
        };
    }

    // message = [authzid] UTF8NUL authcid UTF8NUL passwd    ; RFC 4616 section 2
    private Outcome plain(String message) {
        int first = message.indexOf('\0');
        int second = first < 0 ? -1 : message.indexOf('\0', first + 1);
        if (second < 0 || message.indexOf('\0', second + 1) >= 0) {
            return Outcome.done(SinkReplies.AUTH_BAD_ENCODING);
        }
        return check(message.substring(first + 1, second), message.substring(second + 1));
    }

    private Outcome check(String user, String password) {
        boolean ok = !user.isEmpty() && credentials.test(user, password);
        return Outcome.done(ok ? SinkReplies.AUTH_OK : SinkReplies.AUTH_FAILED);
    }
}
