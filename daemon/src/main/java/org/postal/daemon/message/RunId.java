// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import java.security.SecureRandom;

/**
 * A random 64-bit identity of one postal run, the first part of every Message-ID it sends.
 *
 * <p>It is drawn from {@link SecureRandom} and never from {@code --seed}, so two runs repeated
 * with the same seed, or started on two hosts at once, still send different Message-IDs.
 *
 * @param value the 64 bits, written as 16 uppercase hex digits
 */
public record RunId(long value) {
    /** A fresh identity from the system's secure random source. */
    public static RunId random() {
        return new RunId(new SecureRandom().nextLong());
    }

    @Override
    public String toString() {
        return String.format("%016X", value);
    }
}
