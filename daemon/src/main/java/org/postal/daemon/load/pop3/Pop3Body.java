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
            if (atLineStart) {
                int term = terminatorAt(in, pos, end);
                int blank = 0;
                if (term == 0 && dropBlankLine) {
                    blank = blankLineAt(in, pos, end);
                    term = blank > 0 ? terminatorAt(in, pos + blank, end) : blank;
                }
                if (term < 0) {
                    break;
                }
                if (term > 0) {
                    emit(in, runStart, pos, out);
                    bareLf |= blank == 1 || term == 2;
                    in.readerIndex(pos + blank + term);
                    return true;
                }
                if (in.getByte(pos) == '.') {
                    emit(in, runStart, pos, out);
                    runStart = pos + 1;
                }
                atLineStart = false;
            }
            int lf = in.indexOf(pos, end, (byte) '\n');
            int stop = lf < 0 ? end : lf + 1;
            lineLength += stop - pos;
            lineTooLong |= lineLength > lineLimit;
            if (lf < 0) {
                lastWasCr = in.getByte(end - 1) == '\r';
            } else {
                bareLf |= lf > pos ? in.getByte(lf - 1) != '\r' : !lastWasCr;
                lastWasCr = false;
                lineLength = 0;
                atLineStart = true;
            }
            pos = stop;
        }
        emit(in, runStart, pos, out);
        in.readerIndex(pos);
        return false;
    }

    /** Length of a "." CRLF or "." LF line at pos, 0 if there is none, -1 if more input must tell. */
    private static int terminatorAt(ByteBuf in, int pos, int end) {
        if (pos >= end) {
            return -1;
        }
        if (in.getByte(pos) != '.') {
            return 0;
        }
        if (pos + 1 >= end) {
            return -1;
        }
        byte next = in.getByte(pos + 1);
        if (next == '\n') {
            return 2;
        }
        if (next != '\r') {
            return 0;
        }
        if (pos + 2 >= end) {
            return -1;
        }
        return in.getByte(pos + 2) == '\n' ? 3 : 0;
    }

    /** Length of an empty line (CRLF or LF) at pos, 0 if there is none, -1 if more input must tell. */
    private static int blankLineAt(ByteBuf in, int pos, int end) {
        byte first = in.getByte(pos);
        if (first == '\n') {
            return 1;
        }
        if (first != '\r') {
            return 0;
        }
        if (pos + 1 >= end) {
            return -1;
        }
        return in.getByte(pos + 1) == '\n' ? 2 : 0;
    }

    private void emit(ByteBuf in, int from, int to, List<Object> out) {
        if (to > from) {
            octets += to - from;
            out.add(in.retainedSlice(from, to - from));
        }
    }
}
