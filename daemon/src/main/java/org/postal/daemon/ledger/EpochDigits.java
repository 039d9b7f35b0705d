// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import io.netty.buffer.ByteBuf;

/**
 * Writes epoch milliseconds in decimal for {@link LedgerWriter}, keeping the digits of the last
 * second: records come in time order, many a second, so most need only their last three digits
 * worked out (the division loop over 13 digits was the largest part of a record's cost).
 * Not thread-safe; the writer calls it under its lock.
 */
final class EpochDigits {
    private final byte[] digits = new byte[23];
    private long second = -1;
    /** Where the cached second's digits start in {@link #digits}; they end 3 bytes before its end. */
    private int from;

    /** Writes {@code millis} (not negative) in decimal. */
    void write(ByteBuf out, long millis) {
        if (millis < 1000) { // no second to keep, and no leading zeros
            if (millis >= 100) {
                out.writeByte('0' + (int) (millis / 100));
            }
            if (millis >= 10) {
                out.writeByte('0' + (int) (millis / 10 % 10));
            }
            out.writeByte('0' + (int) (millis % 10));
            return;
        }
        long s = millis / 1000;
        int end = digits.length;
        if (s != second) {
            int at = end - 3;
            for (long v = s; v != 0; v /= 10) {
                digits[--at] = (byte) ('0' + v % 10);
            }
            from = at;
            second = s;
        }
        int m = (int) (millis - s * 1000);
        digits[end - 3] = (byte) ('0' + m / 100);
        digits[end - 2] = (byte) ('0' + m / 10 % 10);
        digits[end - 1] = (byte) ('0' + m % 10);
        out.writeBytes(digits, from, end - from);
    }
}
