// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoadStatsTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void intervalsAddUpToTheTotals() {
        LoadStats stats = new LoadStats();
        stats.latency(Phase.MESSAGE, 2 * MS);
        assertThat(stats.interval().get(Phase.MESSAGE).getTotalCount()).isEqualTo(1);
        stats.latency(Phase.MESSAGE, 3 * MS);
        stats.latency(Phase.CONNECT, MS);
        assertThat(stats.interval().get(Phase.MESSAGE).getTotalCount()).isEqualTo(1);
        assertThat(stats.interval()).isEmpty();
        assertThat(stats.totals().get(Phase.MESSAGE).getTotalCount()).isEqualTo(2);
        assertThat(stats.totals().get(Phase.CONNECT).getTotalCount()).isEqualTo(1);
    }

    @Test
    void theEndOfTheWarmupClearsTheTotalsButNotTheCurrentRow() {
        LoadStats stats = new LoadStats();
        stats.latency(Phase.MESSAGE, 50 * MS);
        stats.failure(Phase.RCPT, "450");
        stats.resetTotals();
        stats.latency(Phase.MESSAGE, MS);
        assertThat(stats.failures()).isEmpty();
        assertThat(stats.interval().get(Phase.MESSAGE).getTotalCount()).as("the row spanning the warm-up's end")
                .isEqualTo(2);
        assertThat(stats.totals().get(Phase.MESSAGE).getTotalCount()).isEqualTo(1);
        assertThat(stats.totals().get(Phase.MESSAGE).getMaxValue()).isLessThan(2_000);
        stats.latency(Phase.MESSAGE, MS);
        assertThat(stats.interval().get(Phase.MESSAGE).getTotalCount()).as("owed samples are shown once").isEqualTo(1);
    }
}
