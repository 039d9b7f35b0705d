// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** postalctl --at: what it accepts, and that a time already passed sends nothing. */
class StartAtTest {

    private static final Instant NOW = Instant.parse("2026-12-08T01:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void aUtcTimeOrSecondsFromNow() {
        assertThat(StartAt.parse("2026-12-08T01:30:00Z", CLOCK)).isEqualTo(NOW.plusSeconds(1800));
        assertThat(StartAt.parse("+15", CLOCK)).isEqualTo(NOW.plusSeconds(15));
        assertThat(StartAt.millisUntil(NOW.plusSeconds(15), CLOCK)).isEqualTo(15_000);
        assertThat(StartAt.millisUntil(NOW.minusSeconds(1), CLOCK)).isZero();
    }

    @Test
    void anythingElseOrMoreThanADayAheadIsRefused() {
        for (String bad : new String[] {"01:30", "+-5", "+x", "2026-12-08 01:30:00", "tomorrow"}) {
            assertThatThrownBy(() -> StartAt.parse(bad, CLOCK)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--at");
        }
        assertThatThrownBy(() -> StartAt.parse("+86401", CLOCK)).hasMessageContaining("more than a day ahead");
    }

    @Test
    void aTimePassedIsNotWaitedFor() throws InterruptedException {
        assertThat(StartAt.await(NOW.minusMillis(1), CLOCK)).isFalse();
        assertThat(StartAt.await(NOW, CLOCK)).isTrue();
    }

    @Test
    void postalctlSendsNothingWhenTheTimeHasPassed() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(err, true, StandardCharsets.UTF_8);
        // The socket does not exist: an attempt to send would say "not running" instead.
        int rc = PostalCtl.run(new String[] {"--at", "2000-01-01T00:00:00Z", "--socket", "/nonexistent/x.sock",
            "postal", "resume"}, print, print);
        assertThat(rc).isEqualTo(PostalCtl.REFUSED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--at 2000-01-01T00:00:00Z has passed: nothing sent")
                .doesNotContain("not running");
    }

    @Test
    void watchDoesNotTakeIt() {
        assertThatThrownBy(() -> PostalCtl.parse(new String[] {"--at", "+5", "postal", "watch"}))
                .hasMessageContaining("watch does not take it");
    }
}
