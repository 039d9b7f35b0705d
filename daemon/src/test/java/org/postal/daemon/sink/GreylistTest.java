// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GreylistTest {

    private long now = 1_000_000_000L;
    private final Greylist greylist = new Greylist(Duration.ofSeconds(60), 100, () -> now);

    private void advance(Duration by) {
        now += by.toNanos();
    }

    @Test
    void firstAttemptIsDeferredAndOneAfterTheDelayPasses() {
        assertThat(greylist.admit("192.0.2.1", "a@x", "b@y")).isFalse();
        advance(Duration.ofSeconds(59));
        assertThat(greylist.admit("192.0.2.1", "a@x", "b@y")).isFalse();
        advance(Duration.ofSeconds(1));
        assertThat(greylist.admit("192.0.2.1", "a@x", "b@y")).isTrue();
        assertThat(greylist.admit("192.0.2.1", "a@x", "b@y")).isTrue();
    }

    @Test
    void earlyRetriesDoNotRestartTheClock() {
        greylist.admit("192.0.2.1", "a@x", "b@y");
        for (int i = 0; i < 5; i++) {
            advance(Duration.ofSeconds(10));
            greylist.admit("192.0.2.1", "a@x", "b@y");
        }
        advance(Duration.ofSeconds(10));
        assertThat(greylist.admit("192.0.2.1", "a@x", "b@y")).isTrue();
    }

    @Test
    void eachPartOfTheTripletCounts() {
        greylist.admit("192.0.2.1", "a@x", "b@y");
        advance(Duration.ofMinutes(5));
        assertThat(greylist.admit("192.0.2.2", "a@x", "b@y")).isFalse();
        assertThat(greylist.admit("192.0.2.1", "c@x", "b@y")).isFalse();
        assertThat(greylist.admit("192.0.2.1", "a@x", "c@y")).isFalse();
        assertThat(greylist.admit("192.0.2.1", "a@x", "b@y")).isTrue();
    }

    @Test
    void addressesCompareCaseInsensitively() {
        greylist.admit("192.0.2.1", "A@X", "b@y");
        advance(Duration.ofMinutes(1));
        assertThat(greylist.admit("192.0.2.1", "a@x", "B@Y")).isTrue();
    }

    @Test
    void nullSenderIsATripletLikeAnyOther() {
        assertThat(greylist.admit("192.0.2.1", "", "b@y")).isFalse();
        advance(Duration.ofMinutes(1));
        assertThat(greylist.admit("192.0.2.1", "", "b@y")).isTrue();
    }

    @Test
    void zeroDelayPassesTheSecondAttempt() {
        Greylist immediate = new Greylist(Duration.ZERO, 10, () -> now);
        assertThat(immediate.admit("c", "a@x", "b@y")).isFalse();
        assertThat(immediate.admit("c", "a@x", "b@y")).isTrue();
    }

    @Test
    void theLeastRecentlySeenTripletIsForgottenFirst() {
        Greylist greylist = new Greylist(Duration.ofSeconds(60), 3, () -> now);
        greylist.admit("c", "s", "r1");
        greylist.admit("c", "s", "r2");
        greylist.admit("c", "s", "r3");
        advance(Duration.ofMinutes(1));
        assertThat(greylist.admit("c", "s", "r1")).isTrue(); // r1 is now the most recent
        greylist.admit("c", "s", "r4");                      // evicts r2
        assertThat(greylist.size()).isEqualTo(3);
        assertThat(greylist.admit("c", "s", "r3")).isTrue();
        assertThat(greylist.admit("c", "s", "r2")).isFalse();
    }

    private Greylist.Outcome attempt(String client, String recipient, Greylist.Policy policy) {
        return greylist.attempt(client, "a@x", recipient, policy);
    }

    @Test
    void aRetryAfterTheWindowStartsOverAndAPassedKeyExpires() {
        Greylist.Policy policy = new Greylist.Policy(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(1),
                Greylist.Keying.TRIPLET);
        assertThat(attempt("192.0.2.1", "b@y", policy)).isEqualTo(Greylist.Outcome.FIRST);
        advance(Duration.ofMinutes(66));
        assertThat(attempt("192.0.2.1", "b@y", policy)).isEqualTo(Greylist.Outcome.FIRST);
        advance(Duration.ofMinutes(1));
        assertThat(attempt("192.0.2.1", "b@y", policy)).isEqualTo(Greylist.Outcome.EARLY);
        advance(Duration.ofMinutes(4));
        assertThat(attempt("192.0.2.1", "b@y", policy)).isEqualTo(Greylist.Outcome.PASSED);
        advance(Duration.ofHours(23));
        assertThat(attempt("192.0.2.1", "b@y", policy)).isEqualTo(Greylist.Outcome.PASSED);
        advance(Duration.ofHours(24).plusSeconds(1));
        assertThat(attempt("192.0.2.1", "b@y", policy)).isEqualTo(Greylist.Outcome.FIRST);
    }

    @Test
    void subnetAndClientKeying() {
        Greylist.Policy subnet = new Greylist.Policy(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(1),
                Greylist.Keying.TRIPLET_SUBNET);
        assertThat(attempt("192.0.2.1", "b@y", subnet)).isEqualTo(Greylist.Outcome.FIRST);
        advance(Duration.ofMinutes(5));
        assertThat(attempt("192.0.2.200", "b@y", subnet)).isEqualTo(Greylist.Outcome.PASSED);
        assertThat(attempt("192.0.3.1", "b@y", subnet)).isEqualTo(Greylist.Outcome.FIRST);
        assertThat(attempt("2001:db8::1", "b@y", subnet)).isEqualTo(Greylist.Outcome.FIRST);
        advance(Duration.ofMinutes(5));
        assertThat(attempt("2001:db8::ffff:1", "b@y", subnet)).isEqualTo(Greylist.Outcome.PASSED);
        Greylist.Policy client = new Greylist.Policy(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(1),
                Greylist.Keying.CLIENT);
        assertThat(attempt("198.51.100.1", "b@y", client)).isEqualTo(Greylist.Outcome.FIRST);
        advance(Duration.ofMinutes(5));
        assertThat(attempt("198.51.100.1", "other@z", client)).isEqualTo(Greylist.Outcome.PASSED);
        assertThat(Greylist.Keying.parse("client/24")).isEqualTo(Greylist.Keying.CLIENT_SUBNET);
    }
}
