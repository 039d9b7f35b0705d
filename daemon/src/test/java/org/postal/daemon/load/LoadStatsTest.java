// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoadStatsTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final LoadKind SMTP_LIKE = new LoadKind("postal", "messages",
            EnumSet.of(Phase.CONNECT, Phase.RCPT, Phase.MESSAGE), List.of(), "");

    @Test
    void intervalsAddUpToTheTotals() {
        LoadStats stats = new LoadStats(SMTP_LIKE);
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
        LoadStats stats = new LoadStats(SMTP_LIKE);
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

    @Test
    void aKindMeasuresItsOwnPhasesAndKeepsItsOwnCountersOnly() {
        LoadStats stats = new LoadStats(SMTP_LIKE);
        assertThatThrownBy(() -> stats.latency(Phase.RETR, MS)).hasMessage("postal does not measure retr");
        assertThatThrownBy(() -> stats.counter(Counter.VERIFIED)).hasMessage("postal keeps no verified counter");
        LoadStats mailbox = new LoadStats(new LoadKind("rabid", "sessions", EnumSet.of(Phase.RETR, Phase.MESSAGE),
                List.of(Counter.VERIFIED), ", %d verified"));
        mailbox.latency(Phase.RETR, MS);
        mailbox.counter(Counter.VERIFIED).increment();
        assertThat(mailbox.totals().keySet()).containsExactly(Phase.RETR);
        assertThat(mailbox.counter(Counter.VERIFIED).sum()).isEqualTo(1);
    }

    @Test
    void theCsvHeaderAndSummaryFollowTheKind() {
        assertThat(SMTP_LIKE.csvHeader()).isEqualTo("time,messages,data(K),errors,connections,SSL connections,"
                + "rate/s,p50 ms,p90 ms,p99 ms,max ms");
        LoadKind mailbox = new LoadKind("rabid", "sessions", EnumSet.of(Phase.MESSAGE),
                List.of(Counter.IMAP_CONNECTIONS, Counter.VERIFIED, Counter.CORRUPT), ", %d IMAP; %d verified, %d corrupt");
        assertThat(mailbox.csvHeader()).isEqualTo("time,messages,data(K),errors,connections,SSL connections,"
                + "IMAP connections,rate/s,p50 ms,p90 ms,p99 ms,max ms,verified,corrupt");
        assertThat(mailbox.summaryExtra(1, 2, 3)).isEqualTo(", 1 IMAP; 2 verified, 3 corrupt");
        assertThatThrownBy(() -> new LoadKind("x", "messages", EnumSet.of(Phase.MESSAGE), List.of(Counter.CORRUPT), ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
