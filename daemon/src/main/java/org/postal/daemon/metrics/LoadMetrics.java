// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;
import org.postal.daemon.load.LoadStats;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.RateSchedule;

/**
 * postal's and rabid's metrics: the counters and gauges read {@link LoadStats} and the schedule at
 * each scrape; latencies, errors and schedule lag are observed as they are recorded.
 */
final class LoadMetrics implements LoadStats.Observer {

    private final Histogram latency;
    private final Histogram lag;
    private final Counter errors;
    private final ErrorClasses classes = new ErrorClasses();

    private LoadMetrics(Metrics m) {
        latency = Histogram.builder().name("postal_phase_latency_seconds").unit(Unit.SECONDS).classicOnly()
                .help("Time each phase took; message: from the intended send time to the final reply")
                .classicUpperBounds(Buckets.SECONDS).labelNames("phase").constLabels(m.labels())
                .register(m.registry());
        lag = Histogram.builder().name("postal_schedule_lag_seconds").unit(Unit.SECONDS).classicOnly()
                .help("How late each message (postal) or session (rabid) started against its intended time")
                .classicUpperBounds(Buckets.SECONDS).constLabels(m.labels()).register(m.registry());
        errors = Counter.builder().name("postal_errors").labelNames("phase", "class").constLabels(m.labels())
                .help("Errors by phase and class: a reply class (4xx, 5xx) or what went wrong (timeout, ...)")
                .register(m.registry());
    }

    private static final Map<org.postal.daemon.load.Counter, String> COUNTER_HELP = new EnumMap<>(Map.of(
            org.postal.daemon.load.Counter.IMAP_CONNECTIONS, "Sessions that spoke IMAP",
            org.postal.daemon.load.Counter.VERIFIED, "Messages whose X-PostalHash matched",
            org.postal.daemon.load.Counter.CORRUPT, "Messages whose X-PostalHash did not match"));

    /** Registers the counters and gauges, and returns what observes the samples. */
    static LoadStats.Observer register(Metrics m, LoadStats stats, RateSchedule schedule) {
        Callbacks callbacks = new Callbacks(m);
        callbacks.counter("postal_messages", "Messages the servers accepted (postal) or retrieved (rabid)",
                stats.messages::sum);
        callbacks.counter("postal_bytes", "Message bytes sent (postal) or retrieved (rabid)", stats.bytes::sum);
        callbacks.counter("postal_connections", "Connections set up", stats.connections::sum);
        callbacks.counter("postal_tls_connections", "Connections that use TLS", stats.tlsConnections::sum);
        // The kind's own counters (rabid's IMAP sessions, verified and corrupt), whatever they are.
        for (org.postal.daemon.load.Counter counter : stats.kind().counters()) {
            LongAdder adder = stats.counter(counter);
            callbacks.counter("postal_" + counter.key(), COUNTER_HELP.get(counter), adder::sum);
        }
        callbacks.gauge("postal_target_rate", "The schedule's rate in messages (rabid: sessions) per second; "
                + "0 for as fast as the servers go", schedule::rate);
        callbacks.gauge("postal_paused", "1 while paused by postalctl", () -> schedule.paused() ? 1 : 0);
        callbacks.gauge("postal_sessions", "Connections open now (being set up or in a session)",
                stats.open::sum);
        callbacks.gauge("postal_scheduled", "Messages (rabid: sessions) the schedule has handed out",
                schedule::claimed);
        return new LoadMetrics(m);
    }

    @Override
    public void latency(Phase phase, long nanos) {
        latency.labelValues(phase.label()).observe(nanos / 1e9);
    }

    @Override
    public void failure(Phase phase, String detail) {
        errors.labelValues(phase.label(), classes.of(detail)).inc();
    }

    @Override
    public void lag(long nanos) {
        lag.observe(Math.max(0, nanos) / 1e9);
    }
}
