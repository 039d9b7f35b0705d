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

/**
 * A load generator's statistics: 0.76's CSV row per interval (header at once), or JSON lines, and a
 * final summary with per-phase latency percentiles and errors by phase and reply code.
 *
 * <p>The CSV keeps 0.76's columns first ({@code time,messages,data(K),errors,connections,SSL
 * connections}), then adds the interval's rate and message latency percentiles in milliseconds.
 */
public final class LoadReporter {

    public static final String CSV_HEADER = "time,messages,data(K),errors,connections,SSL connections,"
            + "rate/s,p50 ms,p90 ms,p99 ms,max ms";
    /** rabid's: 0.76's seven columns (with IMAP connections), then the same additions and the hash verdicts. */
    public static final String MAILBOX_CSV_HEADER = "time,messages,data(K),errors,connections,SSL connections,"
            + "IMAP connections,rate/s,p50 ms,p90 ms,p99 ms,max ms,verified,corrupt";

    private static final JsonFactory JSON = new JsonFactory();

    private record Counts(long messages, long bytes, long errors, long connections, long tls, long imap,
                          long verified, long corrupt, long nanos) {
    }

    private final String program;
    private final boolean mailbox;
    private final LoadStats stats;
    private final PrintStream out;
    private final boolean json;
    private final DateTimeFormatter timeFormat;
    private final long startNanos;
    private Counts previous;
    private Counts base;
    private long measureFromNanos;

    public LoadReporter(String program, LoadStats stats, PrintStream out, boolean json, Duration interval) {
        this.program = program;
        this.mailbox = program.equals("rabid");
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
                stats.tlsConnections.sum(), stats.imapConnections.sum(), stats.verified.sum(), stats.corrupt.sum(),
                System.nanoTime());
    }

    /** Prints the CSV header at once (0.76 held it back until the first row). */
    public void start() {
        if (!json) {
            out.println(mailbox ? MAILBOX_CSV_HEADER : CSV_HEADER);
            out.flush();
        }
    }

    /** Ends the warm-up: the summary counts from here on. */
    public synchronized void startMeasuring() {
        stats.resetTotals();
        base = counts();
        measureFromNanos = base.nanos();
    }

    /** Prints the row for the time since the previous one. */
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
            out.println(LocalTime.now().format(timeFormat) + "," + messages + "," + kib + ","
                    + (now.errors() - previous.errors()) + "," + (now.connections() - previous.connections()) + ","
                    + (now.tls() - previous.tls()) + "," + (mailbox ? (now.imap() - previous.imap()) + "," : "")
                    + format(messages / seconds) + ","
                    + ms(message, 50) + "," + ms(message, 90) + "," + ms(message, 99) + ","
                    + (message == null ? "" : format(message.getMaxValue() / 1000.0))
                    + (mailbox ? "," + (now.verified() - previous.verified()) + ","
                    + (now.corrupt() - previous.corrupt()) : ""));
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
                        + "%d connections, %d TLS", program, messages, seconds, messages / seconds,
                (now.bytes() - base.bytes()) / 1024, now.errors() - base.errors(),
                now.connections() - base.connections(), now.tls() - base.tls()));
        if (mailbox) {
            text.append(String.format(Locale.ROOT, ", %d IMAP; %d verified, %d corrupt", now.imap() - base.imap(),
                    now.verified() - base.verified(), now.corrupt() - base.corrupt()));
        }
        text.append(System.lineSeparator());
        text.append(String.format(Locale.ROOT, "%-12s %10s %9s %9s %9s %9s%n", "phase", "count", "p50 ms",
                "p90 ms", "p99 ms", "max ms"));
        totals.forEach((phase, h) -> text.append(String.format(Locale.ROOT, "%-12s %10d %9s %9s %9s %9s%n",
                phase.label(), h.getTotalCount(), ms(h, 50), ms(h, 90), ms(h, 99),
                format(h.getMaxValue() / 1000.0))));
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
            if (mailbox) {
                g.writeNumberField("imap_connections", now.imap() - from.imap());
                g.writeNumberField("verified", now.verified() - from.verified());
                g.writeNumberField("corrupt", now.corrupt() - from.corrupt());
            }
            g.writeNumberField("rate", round(messages / seconds));
            g.writeObjectFieldStart("latency_ms");
            for (Map.Entry<Phase, Histogram> e : latencies.entrySet()) {
                LatencyJson.write(g, e.getKey().label(), e.getValue());
            }
            g.writeEndObject();
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
