// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Rates as the load generators take them: a bare number per minute (0.76's -r), or {@code 500/s}, {@code 600/m}, {@code 1e6/h}. */
public final class LoadRates {

    private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?(?:[eE][0-9]+)?)(?:/(s|m|min|h))?");

    private LoadRates() {
    }

    /** Parses a rate into events per second; null means no rate (0). */
    public static double perSecond(String text) {
        if (text == null) {
            return 0;
        }
        Matcher m = RATE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad rate \"" + text + "\" (use e.g. 6000 per minute, 500/s, 30000/m)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "m" : m.group(2);
        return switch (unit) {
            case "s" -> n;
            case "h" -> n / 3600;
            default -> n / 60;
        };
    }

    /** Highest rate {@code postalctl rate} may set. */
    public static final double MAX_CONTROL = 10_000_000;

    /** A rate sent by {@code postalctl rate}: as {@link #perSecond}, and at most {@link #MAX_CONTROL} per second. */
    public static double controlled(String text) {
        double perSecond = perSecond(text);
        if (perSecond > MAX_CONTROL) {
            throw new IllegalArgumentException("rate out of range: at most 10000000/s");
        }
        return perSecond;
    }
}
