// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * What {@code X-PostalHash} covers, shared by the message generator and {@link HashVerifier}.
 *
 * <p>The digest input is the first header line starting with each of {@link #SIGNED_PREFIXES},
 * in that order and with its CRLF, followed by every body byte; the {@code X-Postal} lines, the
 * hash line itself and the blank line are not covered (doc/POSTAL-0.76.md §6.4). Prefixes are
 * case-sensitive, so a {@code Message-ID:} line is not signed.
 */
public final class PostalHash {
    /** The signature header as postal writes it, one space after the colon. */
    public static final String HEADER_PREFIX = "X-PostalHash: ";

    /** Prefixes of the signed header lines, in the order the lines enter the digest. */
    public static final List<String> SIGNED_PREFIXES =
            List.of("From: ", "To: ", "Subject: ", "Date: ", "Message-Id: ");

    private static final byte[] HEADER_PREFIX_BYTES = ascii(HEADER_PREFIX);
    private static final byte[][] SIGNED_PREFIX_BYTES =
            SIGNED_PREFIXES.stream().map(PostalHash::ascii).toArray(byte[][]::new);
    private static final HexFormat HEX = HexFormat.of();

    private PostalHash() {
    }

    /** Lowercase hex, as postal writes the header value. */
    public static String hex(byte[] digest) {
        return HEX.formatHex(digest);
    }

    /** The index in {@link #SIGNED_PREFIXES} of the prefix {@code line} starts with, or -1. */
    static int signedSlot(byte[] line, int length) {
        for (int slot = 0; slot < SIGNED_PREFIX_BYTES.length; slot++) {
            if (startsWith(line, length, SIGNED_PREFIX_BYTES[slot])) {
                return slot;
            }
        }
        return -1;
    }

    /** The length of the {@code X-PostalHash: } prefix if {@code line} starts with it, or -1. */
    static int hashValueStart(byte[] line, int length) {
        return startsWith(line, length, HEADER_PREFIX_BYTES) ? HEADER_PREFIX_BYTES.length : -1;
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE implementation must provide MD5 (MessageDigest Javadoc).
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    private static boolean startsWith(byte[] line, int length, byte[] prefix) {
        return length >= prefix.length
                && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
