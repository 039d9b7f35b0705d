// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postal.daemon.load.LoadStats;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.RateSchedule;

/** postal's and rabid's exposition over HTTP on a port-0 loopback listener, after known samples. */
class LoadMetricsIT {

    private static final java.time.Duration HOUR = java.time.Duration.ofHours(1);
    private static final String POSTAL = "instance=\"night\",program=\"postal\"";

    private final LoadStats stats = new LoadStats(org.postal.daemon.load.smtp.SmtpLoad.KIND);
    private final RateSchedule schedule = new RateSchedule(250, 0, System.nanoTime());
    private Metrics metrics;

    @AfterEach
    void close() {
        if (metrics != null) {
            metrics.closeNow();
        }
    }

    private Scrape postal() throws Exception {
        metrics = Metrics.forLoad(MetricsAddress.parse("0"), null, HOUR, "postal", "night", stats, schedule);
        return Scrape.of(metrics.port());
    }

    @Test
    void countersReadTheRunsTotals() throws Exception {
        stats.messages.add(3);
        stats.bytes.add(30_000);
        stats.connections.add(2);
        stats.tlsConnections.add(1);
        Scrape s = postal();
        assertThat(s.text()).contains("# TYPE postal_messages_total counter", "# TYPE postal_target_rate gauge",
                "# TYPE postal_schedule_lag_seconds histogram");
        assertThat(s.value("postal_messages_total{" + POSTAL + "}")).isEqualTo(3.0);
        assertThat(s.value("postal_bytes_total{" + POSTAL + "}")).isEqualTo(30_000.0);
        assertThat(s.value("postal_connections_total{" + POSTAL + "}")).isEqualTo(2.0);
        assertThat(s.value("postal_tls_connections_total{" + POSTAL + "}")).isEqualTo(1.0);
        assertThat(s.value("postal_target_rate{" + POSTAL + "}")).isEqualTo(250.0);
        assertThat(s.value("postal_paused{" + POSTAL + "}")).isEqualTo(0.0);
        assertThat(s.value("postal_running{" + POSTAL + "}")).isEqualTo(1.0);
        assertThat(s.text()).as("rabid's counters only in rabid").doesNotContain("postal_verified_total");
        stats.messages.add(4);
        schedule.pause();
        Scrape later = Scrape.of(metrics.port());
        assertThat(later.value("postal_messages_total{" + POSTAL + "}")).isEqualTo(7.0);
        assertThat(later.value("postal_paused{" + POSTAL + "}")).isEqualTo(1.0);
    }

    @Test
    void sessionsAreTheConnectionsOpenNow() throws Exception {
        io.netty.channel.embedded.EmbeddedChannel first = new io.netty.channel.embedded.EmbeddedChannel();
        io.netty.channel.embedded.EmbeddedChannel second = new io.netty.channel.embedded.EmbeddedChannel();
        org.postal.daemon.load.ClientPipeline.countOpen(first, stats.open);
        org.postal.daemon.load.ClientPipeline.countOpen(second, stats.open);
        Scrape two = postal();
        assertThat(two.text()).contains("# TYPE postal_sessions gauge");
        assertThat(two.value("postal_sessions{" + POSTAL + "}")).isEqualTo(2.0);
        first.close();
        assertThat(Scrape.of(metrics.port()).value("postal_sessions{" + POSTAL + "}")).isEqualTo(1.0);
        second.finishAndReleaseAll();
        assertThat(Scrape.of(metrics.port()).value("postal_sessions{" + POSTAL + "}")).isEqualTo(0.0);
    }

    @Test
    void latenciesFallInTheirBucketsFromTheMomentTheEndpointIsOn() throws Exception {
        stats.latency(Phase.MESSAGE, 7_000_000);   // before: not in the endpoint's histogram
        Scrape empty = postal();
        assertThat(empty.value("postal_phase_latency_seconds_count{" + POSTAL + ",phase=\"message\"}")).isNull();
        stats.latency(Phase.MESSAGE, 2_000_000);
        stats.latency(Phase.MESSAGE, 2_400_000);
        stats.latency(Phase.MESSAGE, 40_000_000);
        stats.latency(Phase.RCPT, 300_000);
        Scrape s = Scrape.of(metrics.port());
        assertThat(s.text()).contains("# TYPE postal_phase_latency_seconds histogram");
        String message = "postal_phase_latency_seconds_bucket{" + "instance=\"night\",phase=\"message\","
                + "program=\"postal\",le=\"%s\"}";
        assertThat(s.value(message.formatted("0.001"))).isEqualTo(0.0);
        assertThat(s.value(message.formatted("0.0025"))).isEqualTo(2.0);
        assertThat(s.value(message.formatted("0.025"))).isEqualTo(2.0);
        assertThat(s.value(message.formatted("0.05"))).isEqualTo(3.0);
        assertThat(s.value(message.formatted("+Inf"))).isEqualTo(3.0);
        assertThat(s.value("postal_phase_latency_seconds_sum{instance=\"night\",phase=\"message\",program=\"postal\"}"))
                .isCloseTo(0.0444, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.value("postal_phase_latency_seconds_count{instance=\"night\",phase=\"rcpt\",program=\"postal\"}"))
                .isEqualTo(1.0);
    }

    @Test
    void errorsByPhaseAndClassAndScheduleLag() throws Exception {
        Scrape before = postal();
        assertThat(before.value("postal_schedule_lag_seconds_count{" + POSTAL + "}")).isEqualTo(0.0);
        stats.failure(Phase.RCPT, "550");
        stats.failure(Phase.RCPT, "554");
        stats.failure(Phase.CONNECT, "timeout");
        stats.lag(30_000_000);
        stats.lag(-5);   // a send that started early by a clock read counts as on time
        Scrape s = Scrape.of(metrics.port());
        assertThat(s.value("postal_errors_total{class=\"5xx\",instance=\"night\",phase=\"rcpt\",program=\"postal\"}"))
                .isEqualTo(2.0);
        assertThat(s.value("postal_errors_total{class=\"timeout\",instance=\"night\",phase=\"connect\","
                + "program=\"postal\"}")).isEqualTo(1.0);
        assertThat(s.value("postal_schedule_lag_seconds_count{" + POSTAL + "}")).isEqualTo(2.0);
        assertThat(s.value("postal_schedule_lag_seconds_bucket{" + POSTAL + ",le=\"1.0E-4\"}")).isEqualTo(1.0);
        assertThat(s.value("postal_schedule_lag_seconds_bucket{" + POSTAL + ",le=\"0.05\"}")).isEqualTo(2.0);
    }

    @Test
    void rabidAddsItsHashVerdicts() throws Exception {
        LoadStats stats = new LoadStats(new org.postal.daemon.load.LoadKind("rabid", "sessions",
                java.util.EnumSet.of(org.postal.daemon.load.Phase.RETR, org.postal.daemon.load.Phase.MESSAGE), java.util.List.of(org.postal.daemon.load.Counter.values()), " %d %d %d"));
        stats.counter(org.postal.daemon.load.Counter.VERIFIED).add(5);
        stats.counter(org.postal.daemon.load.Counter.CORRUPT).add(1);
        stats.counter(org.postal.daemon.load.Counter.IMAP_CONNECTIONS).add(2);
        metrics = Metrics.forLoad(MetricsAddress.parse("0"), null, HOUR, "rabid", "rabid", stats, schedule);
        Scrape s = Scrape.of(metrics.port());
        String rabid = "{instance=\"rabid\",program=\"rabid\"}";
        assertThat(s.value("postal_verified_total" + rabid)).isEqualTo(5.0);
        assertThat(s.value("postal_corrupt_total" + rabid)).isEqualTo(1.0);
        assertThat(s.value("postal_imap_connections_total" + rabid)).isEqualTo(2.0);
    }

    @Test
    void offServesNothing() throws Exception {
        metrics = Metrics.forLoad(null, null, HOUR, "postal", "postal", stats, schedule);
        assertThat(metrics.port()).isZero();
    }

    @Test
    void aStoppingProgramServesOneMoreScrapeWithItsFinalCounts() throws Exception {
        Scrape first = postal();
        assertThat(first.value("postal_running{" + POSTAL + "}")).isEqualTo(1.0);
        Scrape.of(metrics.port());   // a second: now there is a scraper with a period
        stats.messages.add(9);
        Metrics stopping = metrics;
        metrics = null;
        CompletableFuture<Void> closed = CompletableFuture.runAsync(stopping::close);
        Scrape last = null;
        for (int i = 0; i < 100 && (last == null || last.value("postal_running{" + POSTAL + "}") == 1.0); i++) {
            last = Scrape.of(stopping.port());
        }
        assertThat(last.value("postal_running{" + POSTAL + "}")).isEqualTo(0.0);
        assertThat(last.value("postal_messages_total{" + POSTAL + "}")).isEqualTo(9.0);
        closed.get(30, TimeUnit.SECONDS);
    }
}
