// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The argument of MAIL FROM or RCPT TO: a path and its ESMTP parameters.
 *
 * <pre>
 * mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF    ; RFC 5321 section 4.1.1.2
 * rcpt = "RCPT TO:" Forward-path [SP Rcpt-parameters] CRLF      ; RFC 5321 section 4.1.1.3
 * esmtp-param = esmtp-keyword ["=" esmtp-value]                 ; RFC 5321 section 4.1.2
 * </pre>
 * Spaces after the colon are tolerated because postal 0.76 sends {@code MAIL FROM: <a>}; a path
 * without angle brackets is taken as written, as Postfix does unless told to be strict.
 *
 * @param address    the address inside the brackets; "" for the null reverse-path
 * @param parameters keywords in upper case mapped to their values ("" when a keyword has none)
 */
public record MailArgument(String address, Map<String, String> parameters) {

    /** Longest path RFC 5321 section 4.5.3.1.3 allows, brackets included. */
    public static final int MAX_PATH = 256;

    public MailArgument {
        parameters = Map.copyOf(parameters);
    }

    /**
     * Parses {@code argument}, which must start with {@code keyword} ("FROM:" or "TO:").
     *
     * @return the parsed argument, or empty when the syntax is wrong
     */
    public static Optional<MailArgument> parse(String argument, String keyword) {
        if (!argument.regionMatches(true, 0, keyword, 0, keyword.length())) {
            return Optional.empty();
        }
        String rest = argument.substring(keyword.length()).stripLeading();
        String address;
        String tail;
        if (rest.startsWith("<")) {
            int close = rest.indexOf('>');
            if (close < 0) {
                return Optional.empty();
            }
            address = rest.substring(1, close);
            tail = rest.substring(close + 1);
            if (!tail.isEmpty() && tail.charAt(0) != ' ') {
                return Optional.empty();
            }
        } else {
            int space = rest.indexOf(' ');
            address = space < 0 ? rest : rest.substring(0, space);
            tail = space < 0 ? "" : rest.substring(space);
            if (address.isEmpty() || address.indexOf('>') >= 0) {
                return Optional.empty();
            }
        }
        if (address.length() + 2 > MAX_PATH || address.indexOf('<') >= 0 || hasControl(address)) {
            return Optional.empty();
        }
        if (tail.isBlank()) {
            return Optional.of(new MailArgument(address, Map.of()));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String word : tail.trim().split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            int equals = word.indexOf('=');
            String key = (equals < 0 ? word : word.substring(0, equals)).toUpperCase(Locale.ROOT);
            if (key.isEmpty() || parameters.size() >= 16) {
                return Optional.empty();
            }
            parameters.put(key, equals < 0 ? "" : word.substring(equals + 1));
        }
        return Optional.of(new MailArgument(address, parameters));
    }

    private static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
