// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postal.daemon.config.Durations;
import org.postal.daemon.smtp.Reply;
import org.postal.daemon.smtp.Verb;

/**
 * bhm's injected faults as data: at most one {@link Action} per command verb, drawn before the
 * command is handled (Postfix smtp-sink's {@code command_table} and {@code command_resp}).
 *
 * <p>Set at run time with {@code postalctl bhm set fault.VERB=RULE}, where RULE is
 * <pre>
 *   rule    = ( code / "disconnect" / "delay:" duration / "drop-reply" ) [ ":" percent "%" ] / "off"
 *   code    = 400..599      ; 421 closes the session after the reply, like a server going down
 *   drop-reply              ; data and bdat only: the message is taken, then the connection closes
 *                           ; before its reply (the lost reply that makes a relay send it again)
 *   percent = 0.001..100    ; share of commands hit, drawn per command (default 100)
 * </pre>
 * e.g. {@code fault.rcpt=450:10%}, {@code fault.data=554}, {@code fault.mail=delay:2s:50%},
 * {@code fault.ehlo=disconnect:1%}; {@code fault.rcpt=off} removes one rule, {@code fault=off} all.
 * A plan is immutable; changes make a new plan that applies to commands read after the change.
 */
final class FaultPlan {

    static final FaultPlan NONE = new FaultPlan(new EnumMap<>(Verb.class));
    static final Duration MAX_DELAY = Duration.ofMinutes(10);

    private static final Pattern RULE = Pattern.compile(
            "(?<what>[0-9]{3}|disconnect|drop-reply|delay:(?<delay>[0-9]+(?:ms|s|m)?))(?::(?<percent>[0-9]{1,3}(?:\\.[0-9]{1,3})?)%)?");

    /** What bhm does with one command. */
    sealed interface Action permits Accept, Refusal, Disconnect, Close421, Delay, DropReply {
        /** The share of commands this action hits, 0 < odds <= 1. */
        double odds();
    }

    /** A reply instead of handling the command, which then has no effect. */
    sealed interface Refusal extends Action permits HardReject, SoftReject {
        Reply reply();
    }

    /** No fault: the command is handled as usual. */
    record Accept() implements Action {
        @Override
        public double odds() {
            return 1;
        }
    }

    /** A 5xx reply instead of handling the command. */
    record HardReject(Reply reply, double odds) implements Refusal {
    }

    /** A 4xx reply (other than 421) instead of handling the command. */
    record SoftReject(Reply reply, double odds) implements Refusal {
    }

    /** The connection is closed without a reply. */
    record Disconnect(double odds) implements Action {
    }

    /** A 421 reply, then the connection is closed. */
    record Close421(Reply reply, double odds) implements Action {
    }

    /**
     * The command is handled, and its message taken (counted, logged, in the ledger), but the
     * connection closes where the reply after the data would go: RFC 5321 §4.1.1.4's case where
     * the client cannot know the message was delivered, so a relay delivers it again (a duplicate).
     */
    record DropReply(double odds) implements Action {
    }

    /** The command is handled after a pause; input after it waits its turn. */
    record Delay(Duration duration, double odds) implements Action {
    }

    static final Accept ACCEPT = new Accept();

    private final EnumMap<Verb, Action> rules;

    private FaultPlan(EnumMap<Verb, Action> rules) {
        this.rules = rules;
    }

    /**
     * The action for one command: the verb's rule when its odds come up, else {@link #ACCEPT}.
     * This is the one place where faults are decided, before anything else looks at the command.
     */
    Action draw(Verb verb, RandomGenerator random) {
        Action rule = rules.get(verb);
        if (rule == null || (rule.odds() < 1 && random.nextDouble() >= rule.odds())) {
            return ACCEPT;
        }
        return rule;
    }

    /**
     * This plan with one setting applied: {@code key} is {@code fault} (value {@code off}) or
     * {@code fault.VERB}; IllegalArgumentException says what is wrong, and changes nothing.
     */
    FaultPlan with(String key, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (key.equals("fault")) {
            if (!text.equals("off")) {
                throw new IllegalArgumentException("fault takes only \"off\" (clears every rule); use fault.VERB=RULE");
            }
            return NONE;
        }
        Verb verb = verb(key.substring("fault.".length()));
        EnumMap<Verb, Action> copy = new EnumMap<>(rules);
        if (text.equals("off") || text.equals("accept")) {
            copy.remove(verb);
        } else {
            copy.put(verb, parse(verb, text));
        }
        return new FaultPlan(copy);
    }

    private static Verb verb(String word) {
        for (Verb verb : Verb.values()) {
            if (verb != Verb.UNKNOWN && verb.word().equals(word.toLowerCase(Locale.ROOT))) {
                return verb;
            }
        }
        throw new IllegalArgumentException("unknown SMTP verb \"" + word + "\" in fault." + word
                + " (use mail, rcpt, data, bdat, ehlo, helo, lhlo, rset, noop, vrfy, quit, starttls, auth, ...)");
    }

    static Action parse(Verb verb, String text) {
        Matcher m = RULE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad fault rule \"" + text
                    + "\" (use CODE[:N%], disconnect[:N%], delay:DURATION[:N%], drop-reply[:N%] or off; e.g. 450:10%)");
        }
        double odds = 1;
        if (m.group("percent") != null) {
            double percent = Double.parseDouble(m.group("percent"));
            if (percent <= 0 || percent > 100) {
                throw new IllegalArgumentException("fault percentage out of range (0, 100]: " + m.group("percent"));
            }
            odds = percent / 100;
        }
        String what = m.group("what");
        if (what.equals("disconnect")) {
            return new Disconnect(odds);
        }
        if (what.equals("drop-reply")) {
            if (verb != Verb.DATA && verb != Verb.BDAT) {
                throw new IllegalArgumentException("drop-reply is for fault.data and fault.bdat, not fault." + verb.word());
            }
            return new DropReply(odds);
        }
        if (m.group("delay") != null) {
            Duration delay = Durations.parse(m.group("delay"));
            if (delay.isZero() || delay.compareTo(MAX_DELAY) > 0) {
                throw new IllegalArgumentException("fault delay out of range (0, 10m]: " + m.group("delay"));
            }
            return new Delay(delay, odds);
        }
        int code = Integer.parseInt(what);
        if (code < 400 || code > 599) {
            throw new IllegalArgumentException("fault reply code out of range 400..599: " + code);
        }
        String enhanced = (code / 100) + ".3.0 Injected fault (fault." + verb.word() + ")";
        Reply reply = Reply.of(code, enhanced);
        if (code == 421) {
            return new Close421(reply, odds);
        }
        return code < 500 ? new SoftReject(reply, odds) : new HardReject(reply, odds);
    }

    /** The rules as they are written, by verb word, for {@code config}. */
    Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        rules.forEach((verb, action) -> out.put(verb.word(), text(action)));
        return out;
    }

    static String text(Action action) {
        String base;
        if (action instanceof HardReject r) {
            base = String.valueOf(r.reply().code());
        } else if (action instanceof SoftReject r) {
            base = String.valueOf(r.reply().code());
        } else if (action instanceof Close421) {
            base = "421";
        } else if (action instanceof Disconnect) {
            base = "disconnect";
        } else if (action instanceof DropReply) {
            base = "drop-reply";
        } else if (action instanceof Delay d) {
            base = "delay:" + Durations.format(d.duration());
        } else {
            return "off";
        }
        double percent = action.odds() * 100;
        return action.odds() >= 1 ? base : base + ":" + (percent == Math.rint(percent)
                ? String.valueOf((long) percent) : String.valueOf(percent)) + "%";
    }
}
