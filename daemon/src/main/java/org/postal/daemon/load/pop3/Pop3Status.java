// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.pop3;

import java.util.Objects;

/**
 * One POP3 status line: {@code +OK} or {@code -ERR} and the text after it.
 *
 * @param ok   {@code +OK} rather than {@code -ERR}
 * @param text what followed the status indicator and its space, possibly empty
 */
public record Pop3Status(boolean ok, String text) {

    public Pop3Status {
        Objects.requireNonNull(text, "text");
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("CR or LF in status text");
        }
    }

    /**
     * The extended response code, e.g. {@code IN-USE} or {@code AUTH} (RFC 2449 section 8), or null.
     *
     * <pre>
     * resp-code = "[" resp-level *("/" resp-level) "]"   ; RFC 2449 section 8
     * </pre>
     */
    public String code() {
        int close = text.indexOf(']');
        return text.startsWith("[") && close > 1 ? text.substring(1, close) : null;
    }
}
