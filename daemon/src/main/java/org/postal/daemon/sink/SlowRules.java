// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.postal.daemon.config.Durations;
import org.postal.daemon.config.Sizes;

/**
 * bhm as a slow and strict server: the link (receive window, read rate, pauses between reads, reply
 * rate), a stall, reply delays, the escalating tarpit and per-client message and recipient rates.
 * Part of {@link SinkRules}, set with the same keys in bhm.conf and by {@code postalctl set}; a
 * session takes the rules in force when it connects.
 *
 * @param window         SO_RCVBUF asked for each session's socket in octets (0: the kernel's default)
 * @param readRate       octets read per second (0: no cap)
 * @param readPause      the pause after each read of the socket (zero: none)
 * @param stall          where, and how long, the server goes silent once per session or message
 * @param replyDelay     the delay before each command's reply
 * @param seed           the seed of the reply-delay draws (0: a fresh one per session)
 * @param replyRate      octets written per second (0: no cap)
 * @param tarpit         the escalating tarpit
 * @param messageRate    MAIL commands per client address per minute (0: no limit)
 * @param recipientRate  RCPT commands per client address per minute (0: no limit)
 * @param recipientLimit recipients per message before 452 (0: only --max-recipients)
 */
record SlowRules(int window, long readRate, Duration readPause, Stall stall, ReplyDelay replyDelay, long seed,
                 long replyRate, Tarpit.Policy tarpit, int messageRate, int recipientRate, int recipientLimit) {

    static final SlowRules NONE = new SlowRules(0, 0, Duration.ZERO, Stall.NONE, ReplyDelay.OFF, 0, 0,
            Tarpit.Policy.OFF, 0, 0, 0);

    /** Where a stall happens: after the greeting, in a message's data, or before the reply to its end. */
    enum Point { OFF, GREETING, DATA, END }

    /** The server stops reading (and so answering) for {@code length} at {@code point}. */
    record Stall(Point point, Duration length) {
        static final Stall NONE = new Stall(Point.OFF, Duration.ZERO);

        Stall {
            if (length.isNegative() || length.compareTo(FaultPlan.MAX_DELAY) > 0) {
                throw new IllegalArgumentException("stall out of range 0..10m: " + Durations.format(length));
            }
        }

        static Stall parse(String text) {
            String[] parts = text.strip().toLowerCase(Locale.ROOT).split(":", 2);
            if (parts[0].equals("off") || parts[0].equals("none")) {
                return NONE;
            }
            try {
                return new Stall(Point.valueOf(parts[0].toUpperCase(Locale.ROOT)),
                        Durations.parse(parts.length == 2 ? parts[1] : ""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("stall takes greeting:DURATION, data:DURATION, end:DURATION "
                        + "or off: \"" + text + "\"", e);
            }
        }

        String describe() {
            return point == Point.OFF ? "off" : point.name().toLowerCase(Locale.ROOT) + ":" + Durations.format(length);
        }
    }

    SlowRules {
        if (window < 0 || readRate < 0 || replyRate < 0 || messageRate < 0 || recipientRate < 0
                || recipientLimit < 0) {
            throw new IllegalArgumentException("sizes, rates and limits must not be negative");
        }
        if (readPause.isNegative() || readPause.compareTo(FaultPlan.MAX_DELAY) > 0) {
            throw new IllegalArgumentException("read-pause out of range 0..10m: " + Durations.format(readPause));
        }
    }

    /** True when {@code key} is one of these rules. */
    static boolean names(String key) {
        return switch (key) {
            case "receive-window", "read-rate", "read-pause", "stall", "reply-delay", "reply-delay-seed",
                 "reply-rate", "tarpit-soft", "tarpit-sleep", "tarpit-hard", "message-rate", "recipient-rate",
                 "recipient-limit" -> true;
            default -> false;
        };
    }

    /** These rules with one setting applied; the error says what is wrong. */
    SlowRules with(String key, String value) {
        String text = value.strip();
        SlowRules r = this;
        return switch (key) {
            case "receive-window" -> new SlowRules(Math.toIntExact(Math.min(size(text), 1L << 30)), r.readRate,
                    r.readPause, r.stall, r.replyDelay, r.seed, r.replyRate, r.tarpit, r.messageRate,
                    r.recipientRate, r.recipientLimit);
            case "read-rate" -> new SlowRules(r.window, size(text), r.readPause, r.stall, r.replyDelay, r.seed,
                    r.replyRate, r.tarpit, r.messageRate, r.recipientRate, r.recipientLimit);
            case "read-pause" -> new SlowRules(r.window, r.readRate, Durations.parse(text), r.stall, r.replyDelay,
                    r.seed, r.replyRate, r.tarpit, r.messageRate, r.recipientRate, r.recipientLimit);
            case "stall" -> new SlowRules(r.window, r.readRate, r.readPause, Stall.parse(text), r.replyDelay,
                    r.seed, r.replyRate, r.tarpit, r.messageRate, r.recipientRate, r.recipientLimit);
            case "reply-delay" -> new SlowRules(r.window, r.readRate, r.readPause, r.stall, ReplyDelay.parse(text),
                    r.seed, r.replyRate, r.tarpit, r.messageRate, r.recipientRate, r.recipientLimit);
            case "reply-delay-seed" -> new SlowRules(r.window, r.readRate, r.readPause, r.stall, r.replyDelay,
                    count(key, text), r.replyRate, r.tarpit, r.messageRate, r.recipientRate, r.recipientLimit);
            case "reply-rate" -> new SlowRules(r.window, r.readRate, r.readPause, r.stall, r.replyDelay, r.seed,
                    size(text), r.tarpit, r.messageRate, r.recipientRate, r.recipientLimit);
            case "tarpit-soft" -> with(new Tarpit.Policy(count(key, text), tarpit.sleep(), tarpit.hard()));
            case "tarpit-sleep" -> with(new Tarpit.Policy(tarpit.soft(), Durations.parse(text), tarpit.hard()));
            case "tarpit-hard" -> with(new Tarpit.Policy(tarpit.soft(), tarpit.sleep(), count(key, text)));
            case "message-rate" -> new SlowRules(r.window, r.readRate, r.readPause, r.stall, r.replyDelay, r.seed,
                    r.replyRate, r.tarpit, count(key, perMinute(text)), r.recipientRate, r.recipientLimit);
            case "recipient-rate" -> new SlowRules(r.window, r.readRate, r.readPause, r.stall, r.replyDelay, r.seed,
                    r.replyRate, r.tarpit, r.messageRate, count(key, perMinute(text)), r.recipientLimit);
            case "recipient-limit" -> new SlowRules(r.window, r.readRate, r.readPause, r.stall, r.replyDelay,
                    r.seed, r.replyRate, r.tarpit, r.messageRate, r.recipientRate, count(key, text));
            default -> throw new IllegalArgumentException("no rule \"" + key + "\"");
        };
    }

    private SlowRules with(Tarpit.Policy next) {
        return new SlowRules(window, readRate, readPause, stall, replyDelay, seed, replyRate, next, messageRate,
                recipientRate, recipientLimit);
    }

    /** True when a session needs the slow link's handlers in its pipeline. */
    boolean slowsTheLink() {
        return readRate > 0 || replyRate > 0 || !readPause.isZero() || stall.point() != Point.OFF;
    }

    /** Octets, as bhm's sizes are written: a bare number is KiB, or 512B, 64KiB, 1MiB. */
    private static long size(String text) {
        return text.equals("0") || text.equalsIgnoreCase("off") ? 0 : Sizes.parse(text);
    }

    private static String perMinute(String text) {
        return text.toLowerCase(Locale.ROOT).replaceFirst("/m(in)?$", "");
    }

    private static int count(String key, String text) {
        if (!text.matches("[0-9]{1,6}")) {
            throw new IllegalArgumentException(key + " takes a count 0..999999 (0: off): \"" + text + "\"");
        }
        return Integer.parseInt(text);
    }

    /** Every rule in force, under its key with underscores. */
    void describe(Map<String, Object> out) {
        out.put("receive_window", (long) window);
        out.put("read_rate", readRate);
        out.put("read_pause", Durations.format(readPause));
        out.put("stall", stall.describe());
        out.put("reply_delay", replyDelay.describe());
        out.put("reply_delay_seed", seed);
        out.put("reply_rate", replyRate);
        out.put("tarpit_soft", (long) tarpit.soft());
        out.put("tarpit_sleep", Durations.format(tarpit.sleep()));
        out.put("tarpit_hard", (long) tarpit.hard());
        out.put("message_rate", (long) messageRate);
        out.put("recipient_rate", (long) recipientRate);
        out.put("recipient_limit", (long) recipientLimit);
    }
}
