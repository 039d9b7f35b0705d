// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.postal.daemon.load.LoadStats;
import org.postal.daemon.load.RateSchedule;
import org.postal.daemon.sink.Sink;

/**
 * What one daemon shows outside its own rows: the Prometheus endpoint (--metrics), served by
 * Prometheus's own HTTP exporter from a registry whose metrics read the program's statistics (the
 * exposition text is the client library's, never ours), and postal's and rabid's HdrHistogram
 * interval log (--histogram-log). Every series carries the labels {@code program} and
 * {@code instance} (the --name), so a fleet's daemons stay apart in one Prometheus; no label takes
 * unbounded values.
 *
 * <p>Both are off unless asked for: then nothing is registered, no thread started, and the
 * statistics' hot paths see no observer.
 */
public final class Metrics implements AutoCloseable {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Labels labels;
    private final LastScrape lastScrape = new LastScrape();
    private HTTPServer server;
    private HistogramLog log;

    private Metrics(String program, String instance) {
        this.labels = Labels.of("instance", instance, "program", program);
    }

    /**
     * postal's or rabid's endpoint at {@code at} and interval log in {@code histogramLog}, a row
     * every {@code interval}; either may be null (off).
     */
    public static Metrics forLoad(MetricsAddress at, Path histogramLog, Duration interval, String program,
                                  String instance, LoadStats stats, RateSchedule schedule) throws IOException {
        Metrics m = new Metrics(program, instance);
        List<LoadStats.Observer> observers = new ArrayList<>();
        try {
            if (at != null) {
                observers.add(LoadMetrics.register(m, stats, schedule));
                m.serve(at);
            }
            if (histogramLog != null) {
                m.log = HistogramLog.open(histogramLog, program, interval);
                observers.add(m.log);
            }
        } catch (IOException e) {
            m.closeNow();
            throw e;
        }
        if (!observers.isEmpty()) {
            stats.observe(observers.size() == 1 ? observers.get(0) : new BothObservers(observers.get(0), observers.get(1)));
        }
        return m;
    }

    /** bhm's endpoint, or none when {@code at} is null (metrics off). */
    public static Metrics forSink(MetricsAddress at, String instance, Sink sink) throws IOException {
        Metrics m = new Metrics("bhm", instance);
        if (at != null) {
            SinkMetrics.register(m, sink);
            m.serve(at);
        }
        return m;
    }

    private void serve(MetricsAddress at) throws IOException {
        new Callbacks(this).gauge("postal_running", "1 while the program runs, 0 in the last scrape before it stops",
                () -> lastScrape.scraped() ? 0 : 1);
        try {
            server = HTTPServer.builder().inetAddress(at.address()).port(at.port()).registry(registry)
                    .buildAndStart();
        } catch (IOException e) {
            throw new IOException("--metrics " + at.address().getHostAddress() + " port " + at.port() + ": "
                    + e.getMessage(), e);
        }
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
     * Writes the interval log's last row and stops serving, after the next scrape when something
     * has been scraping (up to two scrape intervals), so that Prometheus holds the run's final
     * counts and not those of a second earlier.
     */
    @Override
    public void close() {
        if (server != null) {
            lastScrape.await();
        }
        closeNow();
    }

    /** Stops at once, without waiting for a last scrape (a start that failed, tests). */
    public void closeNow() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (log != null) {
            log.close();
            log = null;
        }
    }

    /** Two observers of one LoadStats: the endpoint and the interval log. */
    private record BothObservers(LoadStats.Observer first, LoadStats.Observer second) implements LoadStats.Observer {
        @Override
        public void latency(org.postal.daemon.load.Phase phase, long nanos) {
            first.latency(phase, nanos);
            second.latency(phase, nanos);
        }

        @Override
        public void failure(org.postal.daemon.load.Phase phase, String detail) {
            first.failure(phase, detail);
            second.failure(phase, detail);
        }

        @Override
        public void lag(long nanos) {
            first.lag(nanos);
            second.lag(nanos);
        }
    }
}
