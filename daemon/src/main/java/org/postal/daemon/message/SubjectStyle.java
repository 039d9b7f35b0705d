// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import java.util.Locale;

/** The {@code -b} choice of what goes before the random Subject text (doc/POSTAL-0.76.md §6.2). */
public enum SubjectStyle {
    /** No {@code -b}: the random text alone, which may start with a space. */
    PLAIN(""),
    /** {@code -b netscape}: an {@code N} first, so the text never starts with a space. */
    NETSCAPE("N"),
    /** {@code -b nonetscape}: always one space first. */
    NONETSCAPE(" ");

    private final String prefix;

    SubjectStyle(String prefix) {
        this.prefix = prefix;
    }

    /** What the Subject text starts with. */
    public String prefix() {
        return prefix;
    }

    /**
     * Parses the {@code -b} argument, case-insensitively as 0.76 does. 0.76 silently ignores
     * other words; here they are a usage error, so a typo cannot pass unnoticed.
     */
    public static SubjectStyle parse(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "netscape" -> NETSCAPE;
            case "nonetscape" -> NONETSCAPE;
            default -> throw new IllegalArgumentException(
                    "unknown -b value \"" + word + "\", expected netscape or nonetscape");
        };
    }
}
