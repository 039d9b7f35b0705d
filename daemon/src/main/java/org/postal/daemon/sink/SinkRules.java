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
 * @param faults injected faults per command verb
 */
record SinkRules(FaultPlan faults) {

    static final SinkRules NONE = new SinkRules(FaultPlan.NONE);

    SinkRules {
        java.util.Objects.requireNonNull(faults, "faults");
    }

    /** True when {@code key} names one of these rules (not the user list or a recipient's action). */
    static boolean names(String key) {
        return key.equals("fault") || key.startsWith("fault.");
    }

    /** These rules with one setting applied; IllegalArgumentException says what is wrong and changes nothing. */
    SinkRules with(String key, String value) {
        if (key.equals("fault") || key.startsWith("fault.")) {
            return new SinkRules(faults.with(key, value));
        }
        throw new IllegalArgumentException("no rule \"" + key + "\"");
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
        return out;
    }
}
