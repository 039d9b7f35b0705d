// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import io.netty.buffer.ByteBuf;

/**
 * What a {@link MailboxSession} may ask of the slot that runs it: the one interface between
 * rabid's POP3 and IMAP sessions and its connections, schedule, message checks and statistics,
 * so a session can be driven by a test without any of them.
 *
 * <p>A session calls, in this order:
 * <ol>
 * <li>{@link #send} for each command line and {@link #await} once it expects a reply (the
 *     greeting included): the host times the wait, and flushes what was sent once the session
 *     has handled the event in hand (a read batch, a handshake);</li>
 * <li>{@link #measured} when a reply came, {@link #failed} for a refusal it goes on after;</li>
 * <li>{@link #startTls} after a positive STLS or STARTTLS reply, then waits for
 *     {@link MailboxSession#handshake}; {@link #tlsUp} once that succeeded;</li>
 * <li>for each message it retrieves: {@link #messageBegin}, {@link #content} for each piece,
 *     then {@link #messageEnd} or, if the text never came whole, {@link #messageAbandoned};</li>
 * <li>{@link #done} exactly once, last: after the QUIT or LOGOUT reply, or to give up on a
 *     server that broke the protocol. The host then closes the connection and calls
 *     {@link MailboxSession#release}.</li>
 * </ol>
 * {@link #stopping} may be asked at any time: a stopping run starts no new retrieval.
 */
public interface SessionHost {

    /** Queues a command line (CRLF is appended). */
    void send(CharSequence line);

    /** A reply is awaited from now on, within the timeout. */
    void await();

    /** A reply for {@code phase} came; the wait began at {@code startNanos} ({@link System#nanoTime}). */
    void measured(Phase phase, long startNanos);

    /** The server refused or broke {@code phase}; {@code what} says how (a reply status or a short word). */
    void failed(Phase phase, String what);

    /** Puts TLS on the connection; the session hears the outcome through its handshake method. */
    void startTls();

    /** The TLS that {@link #startTls} started is up. */
    void tlsUp();

    /** A message's text starts; {@code again}: it is the second fetch of a message that was corrupt. */
    void messageBegin(boolean again);

    /** A piece of the message's text; the host releases it. */
    void content(ByteBuf piece);

    /**
     * The message has been read to its end and is checked and counted.
     *
     * @return true when it should be fetched once more: it was corrupt, and this was not already the second fetch
     */
    boolean messageEnd(Phase phase, long startNanos, boolean again);

    /** The message begun will not be completed (refused, or no text came): forget it. */
    void messageAbandoned();

    /** Whether the run is stopping. */
    boolean stopping();

    /** The session is over; {@code trouble}: it ended on an error, so the slot pauses before the next. */
    void done(boolean trouble);
}
