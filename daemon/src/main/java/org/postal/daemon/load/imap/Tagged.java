// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

import java.util.Objects;

/**
 * The tagged completion of a command (RFC 3501 section 7.1).
 *
 * @param tag    the tag the client sent with the command
 * @param status OK, NO or BAD
 * @param code   the resp-text-code between "[" and "]", e.g. {@code READ-WRITE}, or null
 * @param text   the human-readable text after the code
 */
public record Tagged(String tag, Status status, String code, String text) {

    public Tagged {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(text, "text");
    }
}
