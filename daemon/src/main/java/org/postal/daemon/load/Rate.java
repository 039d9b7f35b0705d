// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load generator's rate, checked in one place for the command line, the config file, a reload and
 * {@code postalctl rate}: a bare number per minute (0.76's -r), or {@code 500/s}, {@code 600/m},
 * {@code 1e6/h}; 0 for as fast as the servers allow.
 *
 * @param perSecond events per second, 0 (unlimited) up to {@link #MAX_PER_SECOND}
 */
public record Rate(double perSecond) {

    /** Beyond this the schedule's nanosecond steps would be below one (and no server takes it). */
    public static final double MAX_PER_SECOND = 10_000_000;
    public static final Rate UNLIMITED = new Rate(0);

    private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?(?:[eE][0-9]+)?)(?:/(s|m|min|h))?");

    public Rate {
        if (!(perSecond >= 0 && perSecond <= MAX_PER_SECOND)) {
            throw new IllegalArgumentException("rate out of range: at most " + (long) MAX_PER_SECOND + "/s");
        }
    }

    /** Parses a rate; null means none given (unlimited). */
    public static Rate parse(String text) {
        if (text == null) {
            return UNLIMITED;
        }
        Matcher m = RATE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad rate \"" + text + "\" (use e.g. 6000 per minute, 500/s, 30000/m)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "m" : m.group(2);
        return new Rate(switch (unit) {
            case "s" -> n;
            case "h" -> n / 3600;
            default -> n / 60;
        });
    }

    /** As the control socket shows it: {@code unlimited}, a whole number per minute, or per second. */
    public static String text(double perSecond) {
        if (perSecond == 0) {
            return "unlimited";
        }
        double perMinute = perSecond * 60;
        return perMinute == Math.rint(perMinute) && perMinute < 1e12
                ? (long) perMinute + "/min" : String.format(Locale.ROOT, "%.3f/s", perSecond);
    }

    @Override
    public String toString() {
        return text(perSecond);
    }
}
