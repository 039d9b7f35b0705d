// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

/**
 * Splits resp-text into its optional response code and the human text.
 *
 * <pre>
 * resp-text      = ["[" resp-text-code "]" SP] text   ; RFC 3501 section 9
 * resp-text-code = "ALERT" / ... / atom [SP 1*&lt;any TEXT-CHAR except "]"&gt;]
 * </pre>
 * The first "]" ends the code: no resp-text-code may contain one. A "[" without its "]" is
 * taken as text, since the text is for humans and a lax server should not end the session.
 */
final class RespText {

    private RespText() {
    }

    /** The resp-text-code between the brackets, or null. */
    static String code(String respText) {
        int close = respText.indexOf(']');
        return respText.startsWith("[") && close > 1 ? respText.substring(1, close) : null;
    }

    /** The text after the response code and its space, or all of it when there is no code. */
    static String text(String respText) {
        int close = respText.indexOf(']');
        if (!respText.startsWith("[") || close <= 1) {
            return respText;
        }
        return respText.startsWith(" ", close + 1) ? respText.substring(close + 2) : respText.substring(close + 1);
    }
}
