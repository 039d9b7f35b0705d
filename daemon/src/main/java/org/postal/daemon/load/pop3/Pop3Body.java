// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.pop3;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * The resumable end-of-body automaton of {@link Pop3ResponseDecoder}: streams a multi-line body
 * as retained slices of the input, holding back only the few octets at a line start that may
 * still turn out to be the terminator (or, with the qmail quirk, an empty line before it).
 */
final class Pop3Body {

    /** How much of the input is copied for scanning at a time; longer than any look-ahead (5 octets). */
    static final int WINDOW = 8192;

    private final byte[] window = new byte[WINDOW];

    private int lineLimit;
    private boolean dropBlankLine;
    private long octets;
    private long lineLength;
    private boolean atLineStart;
    private boolean lastWasCr;
    private boolean lineTooLong;
    private boolean bareLf;

    void start(int limit, boolean qmailBlankLine) {
        lineLimit = limit;
        dropBlankLine = qmailBlankLine;
        octets = 0;
        lineLength = 0;
        atLineStart = true;
        lastWasCr = false;
        lineTooLong = false;
        bareLf = false;
    }

    /** Counts a listing line that the decoder emitted itself. */
    void count(long lineOctets, boolean lfOnly) {
        octets += lineOctets;
        bareLf |= lfOnly;
    }

    /** Body octets emitted so far. */
    long octets() {
        return octets;
    }

    Pop3End end() {
        return new Pop3End(octets, lineTooLong, bareLf);
    }

    // RFC 1939 section 3: the body ends with a line of "." CRLF; any other line starting with
    // "." has that octet removed. A bare LF is taken as a line end too (lax servers).
    /** Emits what can be emitted; true once the terminator has been consumed. */
    boolean decode(ByteBuf in, List<Object> out) {
        int runStart = in.readerIndex();
        int pos = runStart;
        int end = in.writerIndex();
        while (pos < end) {
            // Scanned in a copy: rabid runs on C1, where a loop over an array costs a fraction of
            // the ByteBuf calls (indexOf, getByte) it would take per line.
            int n = Math.min(end - pos, window.length);
            in.getBytes(pos, window, 0, n);
            boolean last = pos + n == end;
            int i = 0;
            while (i < n) {
                if (atLineStart) {
                    int term = terminatorAt(window, i, n);
                    int blank = 0;
                    if (term == 0 && dropBlankLine) {
                        blank = blankLineAt(window, i, n);
                        term = blank > 0 ? terminatorAt(window, i + blank, n) : blank;
                    }
                    if (term < 0 && last) {
                        emit(in, runStart, pos + i, out);
                        in.readerIndex(pos + i);
                        return false;
                    }
                    if (term < 0) {
                        break; // the window ends inside a possible terminator: copy again from this line
                    }
                    if (term > 0) {
                        emit(in, runStart, pos + i, out);
                        bareLf |= blank == 1 || term == 2;
                        in.readerIndex(pos + i + blank + term);
                        return true;
                    }
                    if (window[i] == '.') {
                        emit(in, runStart, pos + i, out);
                        runStart = pos + i + 1;
                    }
                    atLineStart = false;
                }
                int lf = i;
                while (lf < n && window[lf] != '\n') {
                    lf++;
                }
                int stop = lf < n ? lf + 1 : n;
                lineLength += stop - i;
                lineTooLong |= lineLength > lineLimit;
                if (lf == n) {
                    lastWasCr = window[n - 1] == '\r';
                } else {
                    bareLf |= lf > i ? window[lf - 1] != '\r' : !lastWasCr;
                    lastWasCr = false;
                    lineLength = 0;
                    atLineStart = true;
                }
                i = stop;
            }
            pos += i;
        }
        emit(in, runStart, pos, out);
        in.readerIndex(pos);
        return false;
    }

    /** Length of a "." CRLF or "." LF line at pos, 0 if there is none, -1 if more input must tell. */
    private static int terminatorAt(byte[] in, int pos, int end) {
        if (pos >= end) {
            return -1;
        }
        if (in[pos] != '.') {
            return 0;
        }
        if (pos + 1 >= end) {
            return -1;
        }
        byte next = in[pos + 1];
        if (next == '\n') {
            return 2;
        }
        if (next != '\r') {
            return 0;
        }
        if (pos + 2 >= end) {
            return -1;
        }
        return in[pos + 2] == '\n' ? 3 : 0;
    }

    /** Length of an empty line (CRLF or LF) at pos, 0 if there is none, -1 if more input must tell. */
    private static int blankLineAt(byte[] in, int pos, int end) {
        byte first = in[pos];
        if (first == '\n') {
            return 1;
        }
        if (first != '\r') {
            return 0;
        }
        if (pos + 1 >= end) {
            return -1;
        }
        return in[pos + 1] == '\n' ? 2 : 0;
    }

    private void emit(ByteBuf in, int from, int to, List<Object> out) {
        if (to > from) {
            octets += to - from;
            out.add(in.retainedSlice(from, to - from));
        }
    }
}
