// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

/** A command line the decoder refused to pass on, and why. */
public enum LineError {
    /** Longer than the configured limit; the decoder discarded it up to its LF. */
    TOO_LONG,
    /** Ended by LF without CR (RFC 5321 section 2.3.8 forbids it; smuggling relies on it). */
    BARE_LF,
    /**
     * Held a CR not followed by LF (RFC 5321 section 2.3.8). Like Postfix's smtp_get, the decoder
     * ends a line only at LF, so a bare CR never splits one line into several commands.
     */
    BARE_CR,
    /** Held a NUL octet. */
    NUL
}
