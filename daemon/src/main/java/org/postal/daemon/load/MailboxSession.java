// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

/**
 * One POP3 or IMAP session of rabid on one connection, driven by its {@link SessionHost}.
 *
 * <p>Every call comes on the connection's event loop, in this order: {@link #start} once the
 * connection (and any implicit TLS) is up; then {@link #read} for each item the protocol's
 * response decoder emits, and {@link #handshake} once after each {@link SessionHost#startTls};
 * {@link #awaiting} at any time; {@link #release} exactly once at the end, whether the session
 * ended itself ({@link SessionHost#done}) or the host cut it off (close, timeout, stop).
 */
public interface MailboxSession {

    /** The connection is up: wait for the greeting. */
    void start();

    /** One decoded item from the protocol's response decoder; a ByteBuf passed here is the session's to release. */
    void read(Object item);

    /** The TLS handshake asked for by {@link SessionHost#startTls} ended. */
    void handshake(boolean success);

    /** The phase whose reply is awaited, for timeout and error accounting; null when none is. */
    Phase awaiting();

    /** Frees what the session holds; nothing is called on it afterwards. */
    void release();
}
