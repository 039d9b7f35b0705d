// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.util.function.Consumer;
import org.postal.daemon.load.LoadStats;
import org.postal.daemon.load.RateSchedule;
import org.postal.daemon.sink.Sink;

/**
 * The metrics endpoint of one daemon: Prometheus's own HTTP exporter serving a registry whose
 * metrics read the program's statistics (the exposition text is the client library's, never ours).
 * Every series carries the labels {@code program} and {@code instance} (the --name), so a fleet's
 * daemons stay apart in one Prometheus; no label takes unbounded values.
 *
 * <p>Metrics are off unless --metrics is given: then nothing is registered, no thread started, and
 * the statistics' hot paths see no observer.
 */
public final class Metrics implements AutoCloseable {

    /** What a program does when --metrics is not given. */
    private static final Metrics OFF = new Metrics(null, null, null);

    private final PrometheusRegistry registry;
    private final Labels labels;
    private final LastScrape lastScrape = new LastScrape();
    private HTTPServer server;

    private Metrics(PrometheusRegistry registry, String program, String instance) {
        this.registry = registry;
        this.labels = program == null ? null : Labels.of("instance", instance, "program", program);
    }

    /** postal's or rabid's endpoint, or a closed one when {@code at} is null (metrics off). */
    public static Metrics forLoad(MetricsAddress at, String program, String instance, LoadStats stats,
                                  RateSchedule schedule) throws IOException {
        return serve(at, program, instance, m -> LoadMetrics.register(m, stats, schedule));
    }

    /** bhm's endpoint, or a closed one when {@code at} is null (metrics off). */
    public static Metrics forSink(MetricsAddress at, String instance, Sink sink) throws IOException {
        return serve(at, "bhm", instance, m -> SinkMetrics.register(m, sink));
    }

    static Metrics serve(MetricsAddress at, String program, String instance, Consumer<Metrics> metrics)
            throws IOException {
        if (at == null) {
            return OFF;
        }
        Metrics m = new Metrics(new PrometheusRegistry(), program, instance);
        metrics.accept(m);
        new Callbacks(m).gauge("postal_running", "1 while the program runs, 0 in the last scrape before it stops",
                () -> m.lastScrape.scraped() ? 0 : 1);
        try {
            m.server = HTTPServer.builder().inetAddress(at.address()).port(at.port()).registry(m.registry)
                    .buildAndStart();
        } catch (IOException e) {
            throw new IOException("--metrics " + at.address().getHostAddress() + " port " + at.port() + ": "
                    + e.getMessage(), e);
        }
        return m;
    }

    PrometheusRegistry registry() {
        return registry;
    }

    /** The labels every series of this daemon carries. */
    Labels labels() {
        return labels;
    }

    /** The port served (the one chosen when --metrics asked for port 0); 0 when metrics are off. */
    public int port() {
        return server == null ? 0 : server.getPort();
    }

    /**
     * Stops serving, after the next scrape when something has been scraping (up to two scrape
     * intervals), so that Prometheus holds the run's final counts and not those of a second earlier.
     */
    @Override
    public void close() {
        if (server == null) {
            return;
        }
        lastScrape.await();
        closeNow();
    }

    /** Stops serving at once, without waiting for a last scrape (a start that failed, tests). */
    public void closeNow() {
        if (server != null) {
            server.close();
        }
    }
}
