// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * How slowly postal behaves as a client, so that servers' timeouts, buffers and clean-up are
 * exercised as real slow links and careless clients exercise them. Every figure 0 means off.
 *
 * @param sendRate      bytes per second each connection writes at most
 * @param linePause     a pause before each command line
 * @param dataPause     a pause before each line of a message's content
 * @param sendBuffer    SO_SNDBUF in bytes (the kernel doubles it and keeps a floor: socket(7))
 * @param receiveBuffer SO_RCVBUF in bytes
 * @param readPause     replies are read one socket read at a time, this long apart
 * @param idle          a pause between messages on a kept connection
 * @param abandon       sessions closed without QUIT
 */
public record SlowClient(long sendRate, Duration linePause, Duration dataPause, int sendBuffer, int receiveBuffer,
                         Duration readPause, Duration idle, Abandon abandon) {

    /** A client as fast as the link allows. */
    public static final SlowClient OFF = new SlowClient(0, Duration.ZERO, Duration.ZERO, 0, 0, Duration.ZERO,
            Duration.ZERO, Abandon.NONE);

    public SlowClient {
        if (sendRate < 0 || sendBuffer < 0 || receiveBuffer < 0) {
            throw new IllegalArgumentException("--send-rate, --send-buffer and --receive-buffer must not be negative");
        }
        for (Duration d : new Duration[] {linePause, dataPause, readPause, idle}) {
            if (d.isNegative() || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("pauses must lie within 0..1h: " + d);
            }
        }
        Objects.requireNonNull(abandon, "abandon");
    }

    /** True when writes pass through the pacing handler. */
    boolean pacesWrites() {
        return sendRate > 0 || !linePause.isZero() || !dataPause.isZero();
    }

    /**
     * A share of sessions that postal closes without QUIT once the server has answered the
     * command of {@code phase} (for {@code quit}: instead of sending QUIT).
     *
     * @param percent 0..100 of connections
     */
    public record Abandon(int percent, SmtpStep phase) {
        static final Abandon NONE = new Abandon(0, SmtpStep.QUIT);

        public Abandon {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("--abandon percent out of range 0..100: " + percent);
            }
            if (!switch (phase) {
                case BANNER, EHLO, MAIL, RCPT, DATA, QUIT -> true;
                default -> false;
            }) {
                throw new IllegalArgumentException("--abandon phase must be banner, ehlo, mail, rcpt, data or quit");
            }
        }

        /** {@code PERCENT@PHASE}, as "10@data"; a bare percent abandons instead of QUIT. */
        static Abandon parse(String text) {
            String[] parts = text.trim().split("@", 2);
            try {
                int percent = Integer.parseInt(parts[0].replace("%", ""));
                SmtpStep phase = parts.length == 1 ? SmtpStep.QUIT
                        : SmtpStep.valueOf(parts[1].trim().toUpperCase(Locale.ROOT));
                return new Abandon(percent, phase);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad --abandon \"" + text + "\" (use PERCENT@PHASE, as 10@data): "
                        + e.getMessage());
            }
        }

        /** Draws, for a new connection, the step after whose reply it is abandoned, or null. */
        SmtpStep draw(SplittableRandom random) {
            return percent > 0 && random.nextInt(100) < percent ? phase : null;
        }
    }
}
