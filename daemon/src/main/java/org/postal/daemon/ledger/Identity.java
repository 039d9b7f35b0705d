// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

/**
 * The name of one message postal sent: its run id and its number in the run's sequence.
 *
 * <p>postal writes both as the first two parts of the Message-ID, {@code <RUN.SEQ.STREAM.sender>}
 * with RUN 16 hex digits and SEQ hex, so the identity survives relaying and is covered by the
 * {@code X-PostalHash} (the Message-Id line is one of the signed lines). 0.76's ids start with 8
 * hex digits of seconds, so they never parse as an identity: such mail is counted, unmatched.
 *
 * @param run      the 64-bit run id
 * @param sequence the message's number in its run, from 0
 */
public record Identity(long run, long sequence) {
    private static final int RUN_DIGITS = 16;
    private static final int MAX_SEQUENCE_DIGITS = 15;

    public Identity {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence " + sequence + " is negative");
        }
    }

    /**
     * The identity in a Message-ID header value (with or without its angle brackets and blanks
     * around it), or null when the id is not one postal 1.0 wrote.
     */
    public static Identity parse(String messageId) {
        if (messageId == null) {
            return null;
        }
        String id = messageId.strip();
        int i = id.startsWith("<") ? 1 : 0;
        int runEnd = i + RUN_DIGITS;
        if (id.length() < runEnd + 2 || id.charAt(runEnd) != '.') {
            return null;
        }
        if (!allHex(id, i, runEnd)) {
            return null;
        }
        int seqEnd = id.indexOf('.', runEnd + 1);
        if (seqEnd < 0 || seqEnd == runEnd + 1 || seqEnd - runEnd - 1 > MAX_SEQUENCE_DIGITS) {
            return null;
        }
        long run = hex(id, i, runEnd);
        long sequence = hex(id, runEnd + 1, seqEnd);
        return sequence < 0 ? null : new Identity(run, sequence);
    }

    /** {@code RUN.SEQ}: the run as 16 uppercase hex digits, the sequence in decimal, as ledgers write them. */
    @Override
    public String toString() {
        return runText(run) + "." + sequence;
    }

    /** A run id as ledgers and Message-IDs write it. */
    public static String runText(long run) {
        return String.format("%016X", run);
    }

    private static boolean allHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The hex number in s[from, to), or -1 (for a sequence: not hex); 16 digits wrap to a full long. */
    private static long hex(String s, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            value = value << 4 | d;
        }
        return value;
    }
}
