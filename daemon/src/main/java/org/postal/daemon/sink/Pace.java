// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.net.InetAddress;
import java.util.SplittableRandom;
import org.postal.daemon.smtp.Reply;

/**
 * The pace one bhm session keeps, by the {@link SlowRules} in force when it connected: its stall,
 * the delay drawn before each command's reply, the tarpit, and the per-client message and
 * recipient rates (counted in the shared {@link ClientLimits}). Every wait is a held reply or a
 * paused read on the event loop ({@link SinkOutput#hold}, {@link ReadPause}), never a sleep.
 */
final class Pace {

    /** The golden ratio's 64-bit fraction: spreads one seed over sessions numbered 1, 2, 3... */
    private static final long SPREAD = 0x9E3779B97F4A7C15L;

    private final SlowRules rules;
    private final SinkStats stats;
    private final SinkOutput output;
    private final ReadPause pause;
    private final ClientLimits anvil;
    private final InetAddress client;
    private final Tarpit tarpit;
    private final SplittableRandom random;
    private boolean stalledThisMessage;

    /**
     * @param pause      the session's read pause, or null when its link is not slowed
     * @param connection the session's number, which with a seed fixes its reply-delay draws
     */
    Pace(SinkServices services, SinkOutput output, ReadPause pause, InetAddress client, long connection) {
        this.rules = services.settings().rules().slow();
        this.stats = services.stats();
        this.output = output;
        this.pause = pause;
        this.anvil = services.anvil();
        this.client = client;
        this.tarpit = new Tarpit(rules.tarpit(), stats);
        this.random = rules.seed() == 0 ? new SplittableRandom() : new SplittableRandom(rules.seed() + connection * SPREAD);
    }

    /** The greeting has been written; returns the extra time the client is given for its first command. */
    long greeted() {
        return stall(SlowRules.Point.GREETING);
    }

    /** A piece of message data has arrived: the first of each message may start a stall. */
    long content() {
        if (stalledThisMessage) {
            return 0;
        }
        stalledThisMessage = true;
        return stall(SlowRules.Point.DATA);
    }

    /** A message's end has arrived, before its reply is made; returns the time its reply is held. */
    long ended() {
        stalledThisMessage = false;
        if (rules.stall().point() != SlowRules.Point.END) {
            return 0;
        }
        stats.fired(Fired.STALLS);
        long nanos = rules.stall().length().toNanos();
        output.hold(nanos);
        return nanos;
    }

    private long stall(SlowRules.Point point) {
        if (rules.stall().point() != point || pause == null) {
            return 0;
        }
        stats.fired(Fired.STALLS);
        long nanos = rules.stall().length().toNanos();
        pause.pause(nanos);
        return nanos;
    }

    /** A command has arrived; returns the delay drawn for its reply, which is held that long. */
    long command() {
        long nanos = rules.replyDelay().draw(random);
        if (nanos > 0) {
            stats.fired(Fired.REPLY_DELAYS);
            output.hold(nanos);
        }
        return nanos;
    }

    /** A reply is about to be written: the tarpit may hold it first. */
    void replying() {
        long nanos = tarpit.delayNanos();
        if (nanos > 0) {
            output.postpone(nanos);
        }
    }

    /** A reply was written; true when the tarpit's hard limit ends the session. */
    boolean replied(Reply reply) {
        return tarpit.replied(reply);
    }

    /** MAIL: 450 4.7.1 past the client's message rate (smtpd's words), else null. */
    Reply mail() {
        if (!anvil.over(client, ClientLimits.Rate.MESSAGES, rules.messageRate())) {
            return null;
        }
        stats.fired(Fired.MESSAGE_RATE);
        return Reply.of(450, "4.7.1 Error: too much mail from " + client.getHostAddress());
    }

    /**
     * RCPT, before the recipient is looked at: 450 4.7.1 past the client's recipient rate, 452 4.5.3
     * past the recipients one message may have ({@code recipients} accepted so far), else null.
     */
    Reply rcpt(int recipients, int maxRecipients) {
        // smtpd counts the rate first, so a RCPT refused for the count still counts against the rate.
        if (anvil.over(client, ClientLimits.Rate.RECIPIENTS, rules.recipientRate())) {
            stats.fired(Fired.RECIPIENT_RATE);
            return Reply.of(450, "4.7.1 Error: too many recipients from " + client.getHostAddress());
        }
        int limit = rules.recipientLimit() > 0 ? Math.min(rules.recipientLimit(), maxRecipients) : maxRecipients;
        if (recipients < limit) {
            return null;
        }
        stats.fired(Fired.TOO_MANY_RECIPIENTS);
        return SinkReplies.TOO_MANY_RECIPIENTS;
    }
}
