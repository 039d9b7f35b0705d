// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything the match knows about one run, in primitive arrays indexed by sequence number: no
 * sorting and no object per message, since postal numbers a run's messages densely from 0 (about
 * 18 bytes a message). A message's first recipient lives in the arrays; further recipients of
 * the same message (several RCPTs) in a small map beside them.
 */
final class RunTable {
    static final int NONE = Integer.MIN_VALUE;
    /** state bits: the postal outcome in the low two, then what the receivers said. */
    static final int ACCEPTED = 1;
    static final int DEFERRED = 2;
    static final int REFUSED = 3;
    static final int OUTCOME = 3;
    static final int CORRUPT = 4;
    static final int EXTRAS = 8;
    /** Two bits counting postal's unanswered attempts (connection lost after the data), up to 3. */
    static final int UNANSWERED_ONE = 16;
    static final int UNANSWERED = 48;
    /** An extra that is a list member postal never named (--lists), reached by the fan-out. */
    static final int MEMBER = 64;

    final long run;
    /** What this run's receivers and the final pass counted. */
    final Tally tally = new Tally();
    /** True when this run's postal ledger ended without its #end line. */
    boolean cut;
    int size;
    int[] rcpt = new int[0];
    int[] answered = new int[0];
    int[] first = new int[0];
    byte[] state = new byte[0];
    byte[] count = new byte[0];
    /** List fan-out: members reached (each once, as a MEMBER extra), and the time of the last. */
    int[] fanCount;
    int[] fanLast;
    final Map<Long, Extra> extras = new HashMap<>();

    /** A further recipient of a message: the same fields as one array slot. */
    static final class Extra {
        final long key;
        int answered;
        int first = NONE;
        byte state;
        byte count;

        Extra(long key) {
            this.key = key;
        }
    }

    RunTable(long run) {
        this.run = run;
    }

    static long key(int sequence, int rcptHash) {
        return (long) sequence << 32 | rcptHash & 0xFFFFFFFFL;
    }

    void ensure(int sequence) {
        if (sequence < rcpt.length) {
            return;
        }
        int n = Math.max(sequence + 1, Math.max(1024, rcpt.length + (rcpt.length >> 1)));
        rcpt = Arrays.copyOf(rcpt, n);
        answered = Arrays.copyOf(answered, n);
        first = Arrays.copyOf(first, n);
        Arrays.fill(first, state.length, n, NONE);
        state = Arrays.copyOf(state, n);
        count = Arrays.copyOf(count, n);
        if (fanCount != null) {
            fanCount = Arrays.copyOf(fanCount, n);
            fanLast = Arrays.copyOf(fanLast, n);
        }
    }

    void fanOut() {
        if (fanCount == null) {
            fanCount = new int[rcpt.length];
            fanLast = new int[rcpt.length];
        }
    }

    /** True when postal recorded this sequence at all. */
    boolean sent(long sequence) {
        return sequence < size && state[(int) sequence] != 0;
    }

    static int outcomeBits(Outcome o) {
        return switch (o) {
            case ACCEPTED -> ACCEPTED;
            case DEFERRED -> DEFERRED;
            case REFUSED -> REFUSED;
            default -> 0;
        };
    }

    /** The state with one more unanswered attempt counted (saturating at 3). */
    static int unanswered(int state) {
        return (state & UNANSWERED) == UNANSWERED ? state : state + UNANSWERED_ONE;
    }

    /** How many times postal sent the message: its unanswered attempts and the answered one. */
    static int attempts(int state) {
        return (state & UNANSWERED) / UNANSWERED_ONE + ((state & OUTCOME) != 0 ? 1 : 0);
    }

    static byte more(byte count) {
        return count == Byte.MAX_VALUE ? count : (byte) (count + 1);
    }
}
