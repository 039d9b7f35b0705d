// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

/**
 * The Message-ID of a generated message: {@code <RUN.SEQUENCE.STREAM.local@domain>}.
 *
 * <p>0.76 writes {@code <SECONDS.USEC%2048.THREAD.sender>}, which repeats within a second with
 * odds 1/2048 (doc/POSTAL-0.76.md §6.2). Here the first part is the run's 64-bit {@link RunId}
 * and the next two are the caller's sequence and the generator's stream number, all uppercase
 * hex, so ids are unique across runs and hosts while (stream, sequence) pairs are unique within
 * a run. The sender stays last, as in 0.76, for people reading logs.
 */
final class MessageIds {
    /** "<" 16 hex "." 16 hex "." 8 hex "." local "@" domain ">" */
    static final int MAX_LENGTH = 1 + 16 + 1 + 16 + 1 + 8 + 1
            + HeaderWriter.MAX_ID_LOCAL + 1 + HeaderWriter.MAX_ID_DOMAIN + 1;

    private MessageIds() {
    }

    // RFC 5322 §3.6.4: msg-id = [CFWS] "<" id-left "@" id-right ">" [CFWS];
    // id-left = dot-atom-text, id-right = dot-atom-text / no-fold-literal
    static void write(HeaderWriter out, RunId run, int stream, long sequence, String sender) {
        out.bytes[out.length++] = '<';
        out.hex(run.value(), 16);
        out.bytes[out.length++] = '.';
        out.hex(sequence, 0);
        out.bytes[out.length++] = '.';
        out.hex(stream, 0);
        out.bytes[out.length++] = '.';
        out.idAddress(sender);
        out.bytes[out.length++] = '>';
    }
}
