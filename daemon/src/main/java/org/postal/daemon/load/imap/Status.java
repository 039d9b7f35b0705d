// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

/** The result of a tagged command (RFC 3501 section 7.1): OK, NO or BAD. */
public enum Status {
    /** The command succeeded. */
    OK,
    /** The command failed. */
    NO,
    /** The command was not understood. */
    BAD
}
