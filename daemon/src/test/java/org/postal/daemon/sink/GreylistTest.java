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
}
