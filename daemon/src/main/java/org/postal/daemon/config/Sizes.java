// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes in octets as written in options: a bare number is KiB (as in 0.76's -m), or {@code 512B}, {@code 10KiB}, {@code 40MiB}. */
public final class Sizes {

    private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,12})(B|K|KiB|M|MiB|G|GiB)?");

    private Sizes() {
    }

    /** Parses a size into octets. */
    public static long parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad size \"" + text + "\" (use KiB as a bare number, or e.g. 512B, 10KiB, 40MiB)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "KiB" : m.group(2);
        long factor = switch (unit) {
            case "B" -> 1L;
            case "K", "KiB" -> 1L << 10;
            case "M", "MiB" -> 1L << 20;
            default -> 1L << 30;
        };
        if (n > Long.MAX_VALUE / factor) {
            throw new IllegalArgumentException("size too large: " + text);
        }
        return n * factor;
    }

    /** picocli's hook for sizes counted in KiB, as postal's -m and -M: a bare number, or a whole number of KiB with a unit. */
    public static final class KibConverter implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long octets = parse(value);
            if (octets % 1024 != 0) {
                throw new IllegalArgumentException("size \"" + value + "\" is not a whole number of KiB");
            }
            return octets / 1024;
        }
    }
}
