// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import java.security.SecureRandom;
import java.util.OptionalInt;

/**
 * A random 64-bit identity of one postal run, the first part of every Message-ID it sends.
 *
 * <p>It is drawn from {@link SecureRandom} and never from {@code --seed}, so two runs repeated
 * with the same seed, or started on two hosts at once, still send different Message-IDs. A
 * {@code --run-id} tag fixes the high 32 bits, so a machine's or a campaign's runs are told apart
 * by name, while the low 32 stay random and a rerun with the same tag still differs.
 *
 * @param value the 64 bits, written as 16 uppercase hex digits
 */
public record RunId(long value) {
    /** A fresh identity from the system's secure random source. */
    public static RunId random() {
        return random(OptionalInt.empty());
    }

    /** A fresh identity whose high 32 bits are {@code tag} when one is given. */
    public static RunId random(OptionalInt tag) {
        long bits = new SecureRandom().nextLong();
        return new RunId(tag.isEmpty() ? bits : (long) tag.getAsInt() << 32 | bits & 0xFFFF_FFFFL);
    }

    /** The high 32 bits, which {@code --run-id} sets. */
    public int tag() {
        return (int) (value >>> 32);
    }

    @Override
    public String toString() {
        return String.format("%016X", value);
    }
}
