// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.postal.daemon.config.Durations;

/**
 * bhm's rules as one immutable value, swapped whole: what {@code postalctl set KEY=VALUE} changes at
 * run time and what {@code bhm.conf} sets at start with the same keys and values (a line
 * {@code fault.rcpt = 450:10%} there is {@code set fault.rcpt=450:10%} here).
 *
 * @param faults        injected faults per command verb
 * @param bouncePercent share of accepted messages (0 to 100) bounced to their sender, on top of
 *                      recipients whose user-list action is b
 * @param greeting      the greeting delay and pregreet trap
 * @param dnsbl         verdicts by client address
 * @param clients       per-client connection limits (anvil)
 * @param greylist      how recipients with user-list action g are greylisted
 * @param slow          the slow link, reply delays, tarpit and message and recipient rates
 */
record SinkRules(FaultPlan faults, double bouncePercent, Greeting greeting, BlockList dnsbl, ClientLimit clients,
                 Greylist.Policy greylist, SlowRules slow) {

    static final SinkRules NONE = new SinkRules(FaultPlan.NONE, 0, Greeting.NONE, BlockList.EMPTY, ClientLimit.NONE,
            Greylist.Policy.DEFAULT, SlowRules.NONE);

    /**
     * Per client address: sessions open at once and connections per minute (0: no limit), as
     * Postfix's smtpd_client_connection_count_limit and smtpd_client_connection_rate_limit.
     */
    record ClientLimit(int connections, int perMinute) {
        static final ClientLimit NONE = new ClientLimit(0, 0);

        ClientLimit {
            if (connections < 0 || perMinute < 0) {
                throw new IllegalArgumentException("client limits must not be negative");
            }
        }
    }

    /**
     * How the greeting is sent: after {@code delay} (zero: at once, and no trap), first a
     * {@code 220-} teaser line when {@code teaser}; a client that talks first meets {@code pregreet}.
     */
    record Greeting(java.time.Duration delay, boolean teaser, GreetingGate.Pregreet pregreet) {
        static final Greeting NONE = new Greeting(java.time.Duration.ZERO, false, GreetingGate.Pregreet.REJECT);

        Greeting {
            if (delay.isNegative() || delay.compareTo(FaultPlan.MAX_DELAY) > 0) {
                throw new IllegalArgumentException("greet-delay out of range 0..10m: " + Durations.format(delay));
            }
            java.util.Objects.requireNonNull(pregreet, "pregreet");
        }

        /** The trap for a new session, or null when the greeting goes at once. */
        GreetingGate gate(SinkStats stats) {
            return delay.isZero() ? null : new GreetingGate(delay.toNanos(), teaser, pregreet, stats);
        }
    }

    SinkRules {
        java.util.Objects.requireNonNull(faults, "faults");
        java.util.Objects.requireNonNull(dnsbl, "dnsbl");
        java.util.Objects.requireNonNull(slow, "slow");
        if (!(bouncePercent >= 0 && bouncePercent <= 100)) {
            throw new IllegalArgumentException("bounce-percent out of range 0..100: " + bouncePercent);
        }
    }

    /** True when {@code key} names one of these rules (not the user list or a recipient's action). */
    static boolean names(String key) {
        return key.equals("fault") || key.startsWith("fault.") || key.equals("bounce-percent")
                || key.equals("greet-delay") || key.equals("greet-teaser") || key.equals("pregreet")
                || key.equals("dnsbl") || key.equals("dnsbl-stage")
                || key.equals("client-connections") || key.equals("client-rate") || key.startsWith("greylist-")
                || SlowRules.names(key);
    }

    /** These rules with one setting applied; IllegalArgumentException says what is wrong and changes nothing. */
    SinkRules with(String key, String value) {
        if (key.equals("fault") || key.startsWith("fault.")) {
            return new SinkRules(faults.with(key, value), bouncePercent, greeting, dnsbl, clients, greylist, slow);
        }
        if (SlowRules.names(key)) {
            return new SinkRules(faults, bouncePercent, greeting, dnsbl, clients, greylist, slow.with(key, value));
        }
        String text = value.strip().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "bounce-percent" -> new SinkRules(faults, percent(key, value), greeting, dnsbl, clients, greylist, slow);
            case "greet-delay" -> with(new Greeting(Durations.parse(text), greeting.teaser(), greeting.pregreet()));
            case "greet-teaser" -> with(new Greeting(greeting.delay(), yes(key, text), greeting.pregreet()));
            case "pregreet" -> with(new Greeting(greeting.delay(), greeting.teaser(), pregreet(text)));
            case "dnsbl" -> with(text.equals("none") || text.equals("off")
                    ? new BlockList(null, dnsbl.defaultStage(), java.util.List.of()) : blockList(value.strip()));
            case "dnsbl-stage" -> with(new BlockList(dnsbl.file(), BlockList.stage(text), dnsbl.entries()));
            case "client-connections" -> new SinkRules(faults, bouncePercent, greeting, dnsbl,
                    new ClientLimit(count(key, text), clients.perMinute()), greylist, slow);
            case "client-rate" -> new SinkRules(faults, bouncePercent, greeting, dnsbl,
                    new ClientLimit(clients.connections(), count(key, text.replaceFirst("/m(in)?$", ""))), greylist,
                    slow);
            case "greylist-delay" -> with(new Greylist.Policy(Durations.parse(text), greylist.window(),
                    greylist.expiry(), greylist.keying()));
            case "greylist-window" -> with(new Greylist.Policy(greylist.delay(), Durations.parse(text),
                    greylist.expiry(), greylist.keying()));
            case "greylist-expiry" -> with(new Greylist.Policy(greylist.delay(), greylist.window(),
                    Durations.parse(text), greylist.keying()));
            case "greylist-keying" -> with(new Greylist.Policy(greylist.delay(), greylist.window(),
                    greylist.expiry(), Greylist.Keying.parse(text)));
            default -> throw new IllegalArgumentException("no rule \"" + key + "\"");
        };
    }

    private SinkRules with(Greeting next) {
        return new SinkRules(faults, bouncePercent, next, dnsbl, clients, greylist, slow);
    }

    private SinkRules with(Greylist.Policy next) {
        return new SinkRules(faults, bouncePercent, greeting, dnsbl, clients, next, slow);
    }

    private SinkRules with(BlockList next) {
        return new SinkRules(faults, bouncePercent, greeting, next, clients, greylist, slow);
    }

    private BlockList blockList(String file) {
        try {
            return BlockList.load(java.nio.file.Path.of(file), dnsbl.defaultStage());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("cannot open \"" + file + "\": no such file", e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** These rules with the DNSBL list read again from its file (a reload); the error says why not. */
    SinkRules rereadLists() {
        return dnsbl.file() == null ? this : with(blockList(dnsbl.file().toString()));
    }

    private static int count(String key, String text) {
        if (!text.matches("[0-9]{1,6}")) {
            throw new IllegalArgumentException(key + " takes a count 0..999999 (0: no limit): \"" + text + "\"");
        }
        return Integer.parseInt(text);
    }

    private static boolean yes(String key, String text) {
        return switch (text) {
            case "yes", "true", "on" -> true;
            case "no", "false", "off" -> false;
            default -> throw new IllegalArgumentException(key + " takes yes or no: \"" + text + "\"");
        };
    }

    private static GreetingGate.Pregreet pregreet(String text) {
        return switch (text) {
            case "reject" -> GreetingGate.Pregreet.REJECT;
            case "count" -> GreetingGate.Pregreet.COUNT;
            default -> throw new IllegalArgumentException("pregreet takes reject or count: \"" + text + "\"");
        };
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
        if (!key.startsWith("fault")) {
            return key + " = " + describe().get(key.replace('-', '_'));
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
        out.put("greet_delay", Durations.format(greeting.delay()));
        out.put("greet_teaser", greeting.teaser());
        out.put("pregreet", greeting.pregreet().name().toLowerCase(Locale.ROOT));
        out.put("dnsbl", dnsbl.describe());
        out.put("dnsbl_stage", dnsbl.defaultStage().name().toLowerCase(Locale.ROOT));
        out.put("client_connections", (long) clients.connections());
        out.put("client_rate", (long) clients.perMinute());
        out.put("greylist_delay", Durations.format(greylist.delay()));
        out.put("greylist_window", Durations.format(greylist.window()));
        out.put("greylist_expiry", Durations.format(greylist.expiry()));
        out.put("greylist_keying", greylist.keying().word());
        slow.describe(out);
        return out;
    }
}
