// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Option values that name an enum constant: lower case, hyphens for underscores ({@code md5-lp64}). */
public final class Words {

    private Words() {
    }

    /** The constant {@code text} names; else a message with the option, the value and the words allowed. */
    public static <E extends Enum<E>> E parse(String text, Class<E> type, String option) {
        for (E value : type.getEnumConstants()) {
            if (word(value).equalsIgnoreCase(text.trim())) {
                return value;
            }
        }
        throw new IllegalArgumentException("bad " + option + " \"" + text + "\": use "
                + Arrays.stream(type.getEnumConstants()).map(Words::word).collect(Collectors.joining(", ")));
    }

    /** How {@code value} is written in options, config files and reports. */
    public static String word(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
