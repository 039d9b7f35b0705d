// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.util.Locale;
import java.util.Map;
import org.postal.daemon.smtp.Reply;

/** Checks the ESMTP parameters of MAIL FROM against what bhm advertises. */
final class MailParameters {

    private MailParameters() {
    }

    /**
     * Returns the refusal for the first unacceptable parameter, or null when all are acceptable.
     *
     * <p>SIZE (RFC 1870), BODY=7BIT|8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531) and AUTH (RFC 4954
     * section 5) are known; anything else was never advertised and gets 555.
     */
    static Reply check(Map<String, String> parameters, long maxMessage) {
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            String value = parameter.getValue();
            switch (parameter.getKey()) {
                case "SIZE" -> {
                    if (!value.matches("[0-9]{1,18}")) {
                        return SinkReplies.MAIL_SYNTAX;
                    }
                    if (maxMessage > 0 && Long.parseLong(value) > maxMessage) {
                        return SinkReplies.DECLARED_TOO_BIG;
                    }
                }
                case "BODY" -> {
                    String body = value.toUpperCase(Locale.ROOT);
                    if (!body.equals("7BIT") && !body.equals("8BITMIME")) {
                        return SinkReplies.UNKNOWN_PARAMETER;
                    }
                }
                case "SMTPUTF8" -> {
                    if (!value.isEmpty()) {
                        return SinkReplies.MAIL_SYNTAX;
                    }
                }
                case "AUTH" -> {
                    // The submitter's identity is informational to a sink.
                }
                default -> {
                    return SinkReplies.UNKNOWN_PARAMETER;
                }
            }
        }
        return null;
    }
}
