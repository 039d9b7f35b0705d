// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Greylisting with memory, as postgrey does it: the first attempt of a key is deferred, attempts
 * before the delay has passed stay deferred, and the first one inside the retry window passes; a
 * key that passed keeps passing until it has not been seen for the expiry time. A retry after the
 * window starts over, as a first attempt.
 *
 * <p>The key is the (client, sender, recipient) triplet or the client alone, the client being its
 * address or its network (/24 for IPv4, /64 for IPv6: postgrey's --lookup-by-subnet). The table is
 * bounded: past its capacity the least recently seen key is forgotten.
 */
final class Greylist {

    /** What a greylist is keyed on. */
    enum Keying {
        TRIPLET("triplet"), TRIPLET_SUBNET("triplet/24"), CLIENT("client"), CLIENT_SUBNET("client/24");

        private final String word;

        Keying(String word) {
            this.word = word;
        }

        String word() {
            return word;
        }

        static Keying parse(String text) {
            for (Keying k : values()) {
                if (k.word.equals(text.strip().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("greylist-keying takes triplet, triplet/24, client or client/24: \""
                    + text + "\"");
        }
    }

    /**
     * @param delay  how long a first attempt's key waits before it may pass (postgrey --delay, 300s)
     * @param window how long after the first attempt a retry may still pass (--retry-window, 2d)
     * @param expiry how long a key that passed is remembered without being seen (--max-age, 35d)
     */
    record Policy(Duration delay, Duration window, Duration expiry, Keying keying) {
        static final Policy DEFAULT = new Policy(Duration.ofSeconds(60), Duration.ofDays(2), Duration.ofDays(35),
                Keying.TRIPLET);

        Policy {
            if (delay.isNegative() || window.isNegative() || window.isZero() || expiry.isNegative() || expiry.isZero()) {
                throw new IllegalArgumentException("greylist delay must not be negative, window and expiry positive");
            }
            java.util.Objects.requireNonNull(keying, "keying");
        }
    }

    /** How an attempt went. */
    enum Outcome { FIRST, EARLY, PASSED }

    private static final class Seen {
        long first;
        long last;
        boolean passed;
    }

    private final Policy fixed;
    private final LongSupplier clock;
    private final Map<String, Seen> table;

    /** A greylist whose {@link #admit} uses the default policy with {@code delay}. */
    Greylist(Duration delay, int capacity, LongSupplier nanoClock) {
        this.fixed = new Policy(delay, Policy.DEFAULT.window(), Policy.DEFAULT.expiry(), Keying.TRIPLET);
        this.clock = nanoClock;
        this.table = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records an attempt under the policy given at construction and says whether it may pass. */
    boolean admit(String client, String sender, String recipient) {
        return attempt(client, sender, recipient, fixed) == Outcome.PASSED;
    }

    /** Records an attempt under {@code policy} (the rules in force now). */
    synchronized Outcome attempt(String client, String sender, String recipient, Policy policy) {
        long now = clock.getAsLong();
        String key = key(client, sender, recipient, policy.keying());
        Seen seen = table.get(key);
        if (seen == null || (seen.passed ? now - seen.last > policy.expiry().toNanos()
                : now - seen.first > policy.delay().plus(policy.window()).toNanos())) {
            seen = new Seen();
            seen.first = now;
            seen.last = now;
            table.put(key, seen);
            return Outcome.FIRST;
        }
        seen.last = now;
        if (!seen.passed && now - seen.first < policy.delay().toNanos()) {
            return Outcome.EARLY;
        }
        seen.passed = true;
        return Outcome.PASSED;
    }

    private static String key(String client, String sender, String recipient, Keying keying) {
        String host = keying == Keying.TRIPLET_SUBNET || keying == Keying.CLIENT_SUBNET ? subnet(client) : client;
        return keying == Keying.CLIENT || keying == Keying.CLIENT_SUBNET ? host
                : host + "\n" + sender.toLowerCase(Locale.ROOT) + "\n" + recipient.toLowerCase(Locale.ROOT);
    }

    /** The /24 (IPv4) or /64 (IPv6) of an address literal; anything else as it is. */
    private static String subnet(String client) {
        byte[] a = NetUtil.createByteArrayFromIpAddressString(client);
        if (a == null) {
            return client;
        }
        int keep = a.length == 4 ? 3 : 8;
        java.util.Arrays.fill(a, keep, a.length, (byte) 0);
        return NetUtil.bytesToIpAddress(a) + (a.length == 4 ? "/24" : "/64");
    }

    synchronized int size() {
        return table.size();
    }
}
