// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.time.Duration;
import org.postal.daemon.config.Durations;
import org.postal.daemon.smtp.Reply;

/**
 * An escalating tarpit, as Postfix's smtpd keeps one per session: every refused command (a 4xx or
 * 5xx reply) is an error; once the errors reach the soft limit ({@code smtpd_soft_error_limit}) every
 * reply waits the sleep time first ({@code smtpd_error_sleep_time}), and when they reach the hard limit
 * ({@code smtpd_hard_error_limit}) the client gets 421 4.7.0 and is disconnected. A message received
 * whole forgives the errors made so far, as smtpd does.
 */
final class Tarpit {

    /**
     * @param soft  errors after which each reply waits {@code sleep} (0: never)
     * @param sleep the wait
     * @param hard  errors at which the session ends (0: only bhm's --max-errors)
     */
    record Policy(int soft, Duration sleep, int hard) {
        /** Off; the limits Postfix ships with are soft 10, sleep 1s, hard 20. */
        static final Policy OFF = new Policy(0, Duration.ofSeconds(1), 0);

        Policy {
            if (soft < 0 || hard < 0) {
                throw new IllegalArgumentException("tarpit limits must not be negative");
            }
            if (sleep.isNegative() || sleep.compareTo(FaultPlan.MAX_DELAY) > 0) {
                throw new IllegalArgumentException("tarpit-sleep out of range 0..10m: " + Durations.format(sleep));
            }
        }

        boolean off() {
            return soft == 0 && hard == 0;
        }
    }

    private final Policy policy;
    private final SinkStats stats;
    private int errors;

    Tarpit(Policy policy, SinkStats stats) {
        this.policy = policy;
        this.stats = stats;
    }

    /** How long the next reply waits: the sleep once the soft limit is reached, else 0. */
    long delayNanos() {
        if (policy.soft() > 0 && errors >= policy.soft() && !policy.sleep().isZero()) {
            stats.fired(Fired.TARPIT_DELAYS);
            return policy.sleep().toNanos();
        }
        return 0;
    }

    /**
     * Takes note of a reply sent; true when it brought the errors to the hard limit, and the
     * session must end with {@link #tooManyErrors}.
     */
    boolean replied(Reply reply) {
        if (reply == SinkReplies.QUEUED) {
            errors = 0;
        } else if (reply.failure() && ++errors == policy.hard()) {
            stats.fired(Fired.TARPIT_DISCONNECTS);
            return true;
        }
        return false;
    }

    /** smtpd's words for the hard limit. */
    static Reply tooManyErrors(String host) {
        return Reply.of(421, "4.7.0 " + host + " Error: too many errors");
    }
}
