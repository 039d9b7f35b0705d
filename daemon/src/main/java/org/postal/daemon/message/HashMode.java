// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Which digest an {@code X-PostalHash} value is computed with, as chosen by {@code --hash}. */
public enum HashMode {
    /** Accept either digest, so mail from original 64-bit builds and from 1.0 both verify. */
    AUTO("auto"),
    /** Real MD5, as 32-bit and OpenSSL builds of the original compute. */
    MD5("md5"),
    /** The 64-bit Debian build's digest, see {@link Md5Lp64}. */
    MD5_LP64("md5-lp64");

    private final String word;

    HashMode(String word) {
        this.word = word;
    }

    /** The word that selects this mode on the command line. */
    public String word() {
        return word;
    }

    /** Parses {@code auto}, {@code md5} or {@code md5-lp64}; anything else is a usage error. */
    public static HashMode parse(String word) {
        for (HashMode mode : values()) {
            if (mode.word.equals(word)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown hash mode \"" + word + "\", expected one of "
                + Arrays.stream(values()).map(HashMode::word).collect(Collectors.joining(", ")));
    }

    boolean computesMd5() {
        return this != MD5_LP64;
    }

    boolean computesMd5Lp64() {
        return this != MD5;
    }
}
