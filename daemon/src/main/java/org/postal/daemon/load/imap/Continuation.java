// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

import java.util.Objects;

/**
 * A command continuation request (RFC 3501 section 7.5): the server is ready for a literal or a SASL step.
 *
 * <pre>
 * continue-req = "+" SP (resp-text / base64) CRLF   ; RFC 3501 section 9
 * </pre>
 *
 * @param text what followed "+ " (a lone "+" gives ""): resp-text or a base64 challenge
 */
public record Continuation(String text) {

    public Continuation {
        Objects.requireNonNull(text, "text");
    }
}
