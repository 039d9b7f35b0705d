// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

/** Where an SMTP/LMTP session stands; the session handler has one switch over it per input. */
enum SinkState {
    /** Greeting sent; waiting for EHLO, HELO or LHLO. */
    GREETING,
    /** Greeted, no transaction open. */
    READY,
    /** MAIL accepted, no recipient accepted yet. */
    MAIL,
    /** At least one recipient accepted. */
    RCPT,
    /** Reading a DATA body or a BDAT chunk. */
    CONTENT,
    /** Inside a SASL exchange: the next line is a response, not a command. */
    AUTH,
    /** QUIT, a 421, or a fatal error: every further input is ignored. */
    CLOSING
}
