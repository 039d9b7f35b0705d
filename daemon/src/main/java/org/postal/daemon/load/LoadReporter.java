// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.postal.daemon.report.StatisticsTicker;

/**
 * A load generator's statistics: 0.76's CSV row per interval (header at once), or JSON lines, and a
 * final summary with per-phase latency percentiles and errors by phase and reply code.
 *
 * <p>The CSV keeps 0.76's columns first ({@code time,messages,data(K),errors,connections,SSL
 * connections}), then adds the interval's rate and message latency percentiles in milliseconds.
 */
public final class LoadReporter implements StatisticsTicker.Rows {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * The counters at one moment; {@code extra} holds the kind's own, in its order, and
     * {@code replies} the reply classes by phase.
     */
    private record Counts(long messages, long bytes, long errors, long connections, long tls, long[] extra,
                          long[] replies, long nanos) {

        long[] extraSince(Counts from) {
            return minus(extra, from.extra);
        }

        long[] repliesSince(Counts from) {
            return minus(replies, from.replies);
        }

        private static long[] minus(long[] now, long[] before) {
            long[] out = new long[now.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = now[i] - before[i];
            }
            return out;
        }
    }

    private final LoadKind kind;
    private final LoadStats stats;
    private final PrintStream out;
    private final boolean json;
    private final DateTimeFormatter timeFormat;
    private final long startNanos;
    private Counts previous;
    private Counts base;
    private long measureFromNanos;

    public LoadReporter(LoadStats stats, PrintStream out, boolean json, Duration interval) {
        this.kind = stats.kind();
        this.stats = stats;
        this.out = out;
        this.json = json;
        this.timeFormat = DateTimeFormatter.ofPattern(interval.toMillis() % 60_000 == 0 ? "HH:mm" : "HH:mm:ss");
        this.startNanos = System.nanoTime();
        this.previous = counts();
        this.base = previous;
        this.measureFromNanos = startNanos;
    }

    private Counts counts() {
        return new Counts(stats.messages.sum(), stats.bytes.sum(), stats.errors.sum(), stats.connections.sum(),
                stats.tlsConnections.sum(), kind.counters().stream().mapToLong(c -> stats.counter(c).sum()).toArray(),
                stats.replies().snapshot(), System.nanoTime());
    }

    /** Prints the CSV header at once (0.76 held it back until the first row). */
    @Override
    public void start() {
        if (!json) {
            out.println(kind.csvHeader());
            out.flush();
        }
    }

    /** Ends the warm-up: the summary counts from here on. */
    public synchronized void startMeasuring() {
        stats.resetTotals();
        base = counts();
        measureFromNanos = base.nanos();
    }

    @Override
    public synchronized void row() {
        Counts now = counts();
        Map<Phase, Histogram> latencies = stats.interval();
        Histogram message = latencies.get(Phase.MESSAGE);
        double seconds = Math.max(1e-9, (now.nanos() - previous.nanos()) / 1e9);
        long messages = now.messages() - previous.messages();
        long kib = now.bytes() / 1024 - previous.bytes() / 1024;
        if (json) {
            out.println(jsonLine("interval", now, previous, seconds, latencies));
        } else {
            long[] extra = now.extraSince(previous);
            out.println(LocalTime.now().format(timeFormat) + "," + messages + "," + kib + ","
                    + (now.errors() - previous.errors()) + "," + (now.connections() - previous.connections()) + ","
                    + (now.tls() - previous.tls()) + extraColumns(extra, true) + "," + format(messages / seconds) + ","
                    + ms(message, 50) + "," + ms(message, 90) + "," + ms(message, 99) + ","
                    + (message == null ? "" : format(message.getMaxValue() / 1000.0)) + extraColumns(extra, false)
                    + replyColumns(now.repliesSince(previous)));
        }
        out.flush();
        previous = now;
    }

    /** The run's summary: a JSON line in JSON mode, else a table meant for stderr. */
    public synchronized String summary() {
        Counts now = counts();
        Map<Phase, Histogram> totals = stats.totals();
        double seconds = Math.max(1e-9, (now.nanos() - measureFromNanos) / 1e9);
        if (json) {
            return jsonLine("total", now, base, seconds, totals);
        }
        long messages = now.messages() - base.messages();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%s: %d messages in %.1f s (%.1f/s), %d KiB, %d errors, "
                        + "%d connections, %d TLS", kind.program(), messages, seconds, messages / seconds,
                (now.bytes() - base.bytes()) / 1024, now.errors() - base.errors(),
                now.connections() - base.connections(), now.tls() - base.tls()));
        text.append(kind.summaryExtra(now.extraSince(base)));
        text.append(System.lineSeparator());
        text.append(String.format(Locale.ROOT, "%-12s %10s %9s %9s %9s %9s%n", "phase", "count", "p50 ms",
                "p90 ms", "p99 ms", "max ms"));
        totals.forEach((phase, h) -> text.append(String.format(Locale.ROOT, "%-12s %10d %9s %9s %9s %9s%n",
                phase.label(), h.getTotalCount(), ms(h, 50), ms(h, 90), ms(h, 99),
                format(h.getMaxValue() / 1000.0))));
        Map<String, Map<String, Long>> replies = stats.replies().byPhase(now.repliesSince(base));
        if (!replies.isEmpty()) {
            text.append(String.format(Locale.ROOT, "%-12s", "replies"));
            replies.values().iterator().next().keySet().forEach(c -> text.append(String.format(Locale.ROOT, " %9s", c)));
            text.append(System.lineSeparator());
            replies.forEach((phase, row) -> {
                text.append(String.format(Locale.ROOT, "%-12s", phase));
                row.values().forEach(n -> text.append(String.format(Locale.ROOT, " %9d", n)));
                text.append(System.lineSeparator());
            });
        }
        Map<String, Long> failures = stats.failures();
        if (!failures.isEmpty()) {
            text.append("errors:");
            failures.forEach((what, n) -> text.append(' ').append(what).append('=').append(n));
            text.append(System.lineSeparator());
        }
        return text.toString().stripTrailing();
    }

    private String jsonLine(String type, Counts now, Counts from, double seconds, Map<Phase, Histogram> latencies) {
        StringWriter text = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            long messages = now.messages() - from.messages();
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeStringField("time", OffsetDateTime.now().toString());
            g.writeNumberField("seconds", round(seconds));
            g.writeNumberField("messages", messages);
            g.writeNumberField("data_kib", now.bytes() / 1024 - from.bytes() / 1024);
            g.writeNumberField("errors", now.errors() - from.errors());
            g.writeNumberField("connections", now.connections() - from.connections());
            g.writeNumberField("tls_connections", now.tls() - from.tls());
            long[] extra = now.extraSince(from);
            for (int i = 0; i < extra.length; i++) {
                g.writeNumberField(kind.counters().get(i).key(), extra[i]);
            }
            g.writeNumberField("rate", round(messages / seconds));
            g.writeObjectFieldStart("latency_ms");
            for (Map.Entry<Phase, Histogram> e : latencies.entrySet()) {
                LatencyJson.write(g, e.getKey().label(), e.getValue());
            }
            g.writeEndObject();
            if (!kind.replyPhases().isEmpty()) {
                g.writeObjectFieldStart("replies");
                for (Map.Entry<String, Map<String, Long>> phase
                        : stats.replies().byPhase(now.repliesSince(from)).entrySet()) {
                    g.writeObjectFieldStart(phase.getKey());
                    for (Map.Entry<String, Long> c : phase.getValue().entrySet()) {
                        g.writeNumberField(c.getKey(), c.getValue());
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            if (type.equals("total")) {
                g.writeObjectFieldStart("failures");
                for (Map.Entry<String, Long> e : stats.failures().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The kind's own CSV cells on one side of the rate column, each with its leading comma. */
    private String extraColumns(long[] extra, boolean beforeRate) {
        StringBuilder cells = new StringBuilder();
        for (int i = 0; i < extra.length; i++) {
            if (kind.counters().get(i).beforeRate() == beforeRate) {
                cells.append(',').append(extra[i]);
            }
        }
        return cells.toString();
    }

    /** The reply classes by phase as CSV cells, each with its leading comma. */
    private static String replyColumns(long[] replies) {
        StringBuilder cells = new StringBuilder(replies.length * 2);
        for (long n : replies) {
            cells.append(',').append(n);
        }
        return cells.toString();
    }

    private static String ms(Histogram h, double percentile) {
        return h == null ? "" : format(h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
