// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import java.nio.charset.StandardCharsets;

/**
 * Writes header text into a reused byte array, so building a message's headers allocates
 * nothing: ASCII constants, addresses as UTF-8, hex numbers, the Date value and Message-ID parts.
 */
final class HeaderWriter {
    /** The longest address, in UTF-8 bytes, that keeps {@code From: <…>} within 998 characters. */
    static final int MAX_ADDRESS = 900;
    /** RFC 5321 §4.5.3.1.1 and .2: the longest local part and domain kept in a Message-ID. */
    static final int MAX_ID_LOCAL = 64;
    static final int MAX_ID_DOMAIN = 255;
    static final String NO_DOMAIN = "postal.invalid";

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DAYS = "SunMonTueWedThuFriSat".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MONTHS =
            "JanFebMarAprMayJunJulAugSepOctNovDec".getBytes(StandardCharsets.US_ASCII);
    // RFC 5322 §3.2.3: atext = ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" /
    //                          "-" / "/" / "=" / "?" / "^" / "_" / "`" / "{" / "|" / "}" / "~"
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    final byte[] bytes;
    int length;

    HeaderWriter(int capacity) {
        bytes = new byte[capacity];
    }

    HeaderWriter ascii(byte[] text) {
        System.arraycopy(text, 0, bytes, length, text.length);
        length += text.length;
        return this;
    }

    HeaderWriter ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
        return this;
    }

    /** The address as UTF-8, refusing what would break the header line it sits in. */
    HeaderWriter address(String address) {
        int start = length;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("address contains CR, LF or NUL: " + address.strip());
            }
            if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else if (c < 0x800) {
                bytes[length++] = (byte) (0xC0 | c >> 6);
                bytes[length++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < address.length()
                    && Character.isLowSurrogate(address.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, address.charAt(++i));
                bytes[length++] = (byte) (0xF0 | cp >> 18);
                bytes[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp & 0x3F);
            } else {
                char unit = Character.isSurrogate(c) ? '\uFFFD' : c;
                bytes[length++] = (byte) (0xE0 | unit >> 12);
                bytes[length++] = (byte) (0x80 | unit >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | unit & 0x3F);
            }
            // The array has room for the few bytes a character can overshoot by.
            if (length - start > MAX_ADDRESS) {
                throw new IllegalArgumentException("address longer than " + MAX_ADDRESS + " bytes");
            }
        }
        return this;
    }

    /** Uppercase hex without leading zeros, or exactly {@code digits} digits when that is positive. */
    HeaderWriter hex(long value, int digits) {
        int n = digits > 0 ? digits : Math.max(1, (67 - Long.numberOfLeadingZeros(value)) / 4);
        for (int i = n - 1; i >= 0; i--) {
            bytes[length + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        length += n;
        return this;
    }

    /**
     * {@code EEE, dd MMM yyyy HH:mm:ss +0000} in UTC with English names, the value strftime's
     * {@code %a, %d %b %Y %H:%M:%S %z} gives 0.76 in the C locale (doc/POSTAL-0.76.md §6.2).
     */
    HeaderWriter date(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86_400L);
        int second = (int) Math.floorMod(epochSecond, 86_400L);
        int day = (int) Math.floorMod(days + 4, 7L); // 1970-01-01 was a Thursday
        System.arraycopy(DAYS, day * 3, bytes, length, 3);
        length += 3;
        // Civil date from days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097L);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int dayOfMonth = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        ascii(", ");
        decimal(dayOfMonth, 2);
        bytes[length++] = ' ';
        System.arraycopy(MONTHS, (month - 1) * 3, bytes, length, 3);
        length += 3;
        bytes[length++] = ' ';
        decimal(year, 4);
        bytes[length++] = ' ';
        decimal(second / 3600, 2);
        bytes[length++] = ':';
        decimal(second / 60 % 60, 2);
        bytes[length++] = ':';
        decimal(second % 60, 2);
        return ascii(" +0000");
    }

    /**
     * The sender as the end of a Message-ID: {@code local@domain} as RFC 5322 dot-atom-text on
     * both sides, so the id stays valid whatever the user list holds. Characters outside atext
     * and misplaced dots become {@code _}; a missing domain becomes {@value #NO_DOMAIN}. Like
     * 0.76, which keeps the last 221 characters, long parts keep their ends.
     */
    HeaderWriter idAddress(String sender) {
        int at = sender.lastIndexOf('@');
        int localEnd = at < 0 ? sender.length() : at;
        dotAtom(sender, Math.max(0, localEnd - MAX_ID_LOCAL), localEnd, "postal");
        bytes[length++] = '@';
        if (at < 0 || at == sender.length() - 1) {
            return ascii(NO_DOMAIN);
        }
        return dotAtom(sender, Math.max(at + 1, sender.length() - MAX_ID_DOMAIN), sender.length(), NO_DOMAIN);
    }

    String string(int from) {
        return new String(bytes, from, length - from, StandardCharsets.UTF_8);
    }

    // RFC 5322 §3.2.3: dot-atom-text = 1*atext *("." 1*atext)
    private HeaderWriter dotAtom(String text, int from, int to, String ifEmpty) {
        if (from == to) {
            return ascii(ifEmpty);
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            boolean dotOk = c == '.' && i > from && i < to - 1 && bytes[length - 1] != '.';
            bytes[length++] = (byte) (atext(c) || dotOk ? c : '_');
        }
        return this;
    }

    private static boolean atext(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c < 0x80 && ATEXT_SPECIALS.indexOf(c) >= 0;
    }

    private void decimal(long value, int digits) {
        int n = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            n++;
        }
        n = Math.max(n, digits);
        for (int i = n - 1; i >= 0; i--) {
            bytes[length + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += n;
    }
}
