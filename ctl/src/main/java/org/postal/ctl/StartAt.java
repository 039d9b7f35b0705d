// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code --at TIME}: send the command at a wall-clock instant, so that the daemons of several
 * machines pause, resume or change rate together. With --ssh the instant, made absolute here, goes
 * to each host's postalctl, which waits on its own machine and then uses its local socket: the
 * hosts then act within their clocks' agreement (NTP keeps a lab's within milliseconds) plus a
 * local round trip, whatever ssh took to reach them.
 */
final class StartAt {

    /** The latest --at: a day ahead. A farther instant is a typing error. */
    static final Duration MAX_AHEAD = Duration.ofDays(1);

    private StartAt() {
    }

    /** An instant from {@code 2026-12-08T01:30:00Z} or {@code +SECONDS} from now. */
    static Instant parse(String value, Clock clock) {
        Instant at;
        try {
            at = value.startsWith("+") ? clock.instant().plusSeconds(Long.parseUnsignedLong(value.substring(1)))
                    : Instant.parse(value);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("--at: \"" + value + "\" is neither a UTC time such as "
                    + "2026-12-08T01:30:00Z nor +SECONDS");
        }
        if (at.isAfter(clock.instant().plus(MAX_AHEAD))) {
            throw new IllegalArgumentException("--at " + at + " is more than a day ahead");
        }
        return at;
    }

    /** Waits until {@code at}; false, at once, when it has passed already. */
    static boolean await(Instant at, Clock clock) throws InterruptedException {
        long left = Duration.between(clock.instant(), at).toMillis();
        if (left < 0) {
            return false;
        }
        // Sleeping to the instant in steps, so that a clock stepped by NTP meanwhile is followed.
        while (left > 0) {
            Thread.sleep(Math.min(left, 1000));
            left = Duration.between(clock.instant(), at).toMillis();
        }
        return true;
    }

    /** The wait ahead, in ms (0 when the instant has passed), for the deadline of an answer. */
    static long millisUntil(Instant at, Clock clock) {
        return Math.max(0, Duration.between(clock.instant(), at).toMillis());
    }
}
