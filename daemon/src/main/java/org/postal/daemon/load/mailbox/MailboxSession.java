// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

/** One POP3 or IMAP session on a connection of a {@link RabidSlot}; every call comes on the slot's event loop. */
interface MailboxSession {

    /** The connection is up: wait for the greeting. */
    void start();

    /** One decoded item from the protocol's response decoder (ByteBufs must be released). */
    void read(Object item);

    /** A TLS handshake after STLS or STARTTLS ended. */
    void handshake(boolean success);

    /** The phase whose reply is awaited, for timeout and error accounting; null when idle. */
    org.postal.daemon.load.Phase awaiting();

    /** Frees what the session holds; the connection is gone. */
    void release();
}
