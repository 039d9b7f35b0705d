// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * bhm's rules as one immutable value, swapped whole: what {@code postalctl set KEY=VALUE} changes at
 * run time and what {@code bhm.conf} sets at start with the same keys and values (a line
 * {@code fault.rcpt = 450:10%} there is {@code set fault.rcpt=450:10%} here).
 *
 * @param faults        injected faults per command verb
 * @param bouncePercent share of accepted messages (0 to 100) bounced to their sender, on top of
 *                      recipients whose user-list action is b
 */
record SinkRules(FaultPlan faults, double bouncePercent) {

    static final SinkRules NONE = new SinkRules(FaultPlan.NONE, 0);

    SinkRules {
        java.util.Objects.requireNonNull(faults, "faults");
        if (!(bouncePercent >= 0 && bouncePercent <= 100)) {
            throw new IllegalArgumentException("bounce-percent out of range 0..100: " + bouncePercent);
        }
    }

    /** True when {@code key} names one of these rules (not the user list or a recipient's action). */
    static boolean names(String key) {
        return key.equals("fault") || key.startsWith("fault.") || key.equals("bounce-percent");
    }

    /** These rules with one setting applied; IllegalArgumentException says what is wrong and changes nothing. */
    SinkRules with(String key, String value) {
        if (key.equals("fault") || key.startsWith("fault.")) {
            return new SinkRules(faults.with(key, value), bouncePercent);
        }
        if (key.equals("bounce-percent")) {
            return new SinkRules(faults, percent(key, value));
        }
        throw new IllegalArgumentException("no rule \"" + key + "\"");
    }

    /** A share written {@code 12.5} or {@code 12.5%}. */
    private static double percent(String key, String value) {
        String text = value.strip();
        text = text.endsWith("%") ? text.substring(0, text.length() - 1) : text;
        if (!text.matches("[0-9]{1,3}(\\.[0-9]{1,3})?")) {
            throw new IllegalArgumentException(key + " takes a percentage 0..100, e.g. 10 or 0.5%: \"" + value + "\"");
        }
        return Double.parseDouble(text);
    }

    /**
     * The rules a config gives, applied in order to no rules at all; the error names the key.
     *
     * @param settings key to value, as in bhm.conf or {@code set}
     */
    static SinkRules of(Map<String, String> settings) {
        SinkRules rules = NONE;
        for (Map.Entry<String, String> e : settings.entrySet()) {
            try {
                rules = rules.with(e.getKey(), e.getValue());
            } catch (IllegalArgumentException problem) {
                throw new IllegalArgumentException(e.getKey() + ": " + problem.getMessage(), problem);
            }
        }
        return rules;
    }

    /** What {@code set} answers after a change of {@code key}. */
    String describe(String key) {
        if (key.equals("bounce-percent")) {
            return key + " = " + bouncePercent + "%";
        }
        if (key.equals("fault")) {
            return "all fault rules removed";
        }
        return key + " = " + faults.describe().getOrDefault(
                key.substring("fault.".length()).toLowerCase(Locale.ROOT), "off");
    }

    /** Every rule in force, for {@code status} and {@code config}. */
    Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("faults", faults.describe());
        out.put("bounce_percent", bouncePercent);
        return out;
    }
}
