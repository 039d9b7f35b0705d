// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.postal.daemon.load.LatencyJson;

/**
 * postal-dns's statistics: a CSV row per interval (header at once) or JSON lines, and a summary
 * with latency percentiles per query type and the answers by type and response code.
 */
public final class DnsReporter {

    public static final String CSV_HEADER = "time,sent,answered,NOERROR,NXDOMAIN,SERVFAIL,other,timeouts,"
            + "rate/s,p50 ms,p90 ms,p99 ms,max ms";

    private static final JsonFactory JSON = new JsonFactory();

    private final DnsStats stats;
    private final PrintStream out;
    private final boolean json;
    private final DateTimeFormatter timeFormat;
    private long startNanos = System.nanoTime();
    private long previousNanos = startNanos;
    private long baseSent;
    private Map<String, Long> baseOutcomes = Map.of();
    private long previousSent;
    private Map<String, Long> previousCodes = Map.of();

    public DnsReporter(DnsStats stats, PrintStream out, boolean json, java.time.Duration interval) {
        this.stats = stats;
        this.out = out;
        this.json = json;
        this.timeFormat = DateTimeFormatter.ofPattern(interval.toMillis() % 60_000 == 0 ? "HH:mm" : "HH:mm:ss");
    }

    /** Prints the CSV header at once. */
    public void start() {
        if (!json) {
            out.println(CSV_HEADER);
            out.flush();
        }
    }

    /** Ends the warm-up: the summary counts from here on (the rows go on as before). */
    public synchronized void startMeasuring() {
        stats.resetTotals();
        startNanos = System.nanoTime();
        baseSent = stats.sent.sum();
        baseOutcomes = stats.outcomes();
    }

    /** Prints the row for the time since the previous one. */
    public synchronized void row() {
        long now = System.nanoTime();
        long sent = stats.sent.sum();
        Map<String, Long> codes = stats.rcodes();
        Map<String, Histogram> latency = stats.interval();
        double seconds = Math.max(1e-9, (now - previousNanos) / 1e9);
        if (json) {
            out.println(jsonLine("interval", seconds, sent - previousSent, minus(codes, previousCodes), latency, null));
        } else {
            Map<String, Long> d = minus(codes, previousCodes);
            long answered = d.entrySet().stream().filter(e -> DnsStats.isAnswer(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
            long known = d.getOrDefault("NOERROR", 0L) + d.getOrDefault("NXDOMAIN", 0L) + d.getOrDefault("SERVFAIL", 0L);
            Histogram all = DnsStats.all(latency);
            out.println(LocalTime.now().format(timeFormat) + "," + (sent - previousSent) + "," + answered + ","
                    + d.getOrDefault("NOERROR", 0L) + "," + d.getOrDefault("NXDOMAIN", 0L) + ","
                    + d.getOrDefault("SERVFAIL", 0L) + "," + (answered - known) + ","
                    + d.getOrDefault(DnsStats.TIMEOUT, 0L) + "," + format(answered / seconds) + ","
                    + ms(all, 50) + "," + ms(all, 90) + "," + ms(all, 99) + "," + ms(all, 100));
        }
        out.flush();
        previousNanos = now;
        previousSent = sent;
        previousCodes = codes;
    }

    /** The run's summary since the warm-up: a JSON line in JSON mode, else a table meant for stderr. */
    public synchronized String summary() {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        Map<String, Histogram> totals = stats.totals();
        Map<String, Long> outcomes = minus(stats.outcomes(), baseOutcomes);
        long sent = stats.sent.sum() - baseSent;
        if (json) {
            Map<String, Long> codes = new java.util.TreeMap<>();
            outcomes.forEach((k, v) -> codes.merge(k.substring(k.indexOf(' ') + 1), v, Long::sum));
            return jsonLine("total", seconds, sent, codes, totals, outcomes);
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "postal-dns: %d questions sent in %.1f s (%.1f/s), %d answered or lost%n",
                sent, seconds, sent / seconds, outcomes.values().stream().mapToLong(Long::longValue).sum()));
        text.append(String.format(Locale.ROOT, "%-8s %10s %9s %9s %9s %9s%n", "type", "answers", "p50 ms",
                "p90 ms", "p99 ms", "max ms"));
        totals.forEach((type, h) -> text.append(String.format(Locale.ROOT, "%-8s %10d %9s %9s %9s %9s%n",
                type, h.getTotalCount(), ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 100))));
        text.append("answers:");
        outcomes.forEach((what, n) -> text.append(' ').append(what.replace(' ', '/')).append('=').append(n));
        return text.toString();
    }

    private static Map<String, Long> minus(Map<String, Long> now, Map<String, Long> before) {
        Map<String, Long> out = new java.util.TreeMap<>();
        now.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
        return out;
    }

    private static String jsonLine(String type, double seconds, long sent, Map<String, Long> codes,
                                   Map<String, Histogram> latency, Map<String, Long> byType) {
        StringWriter text = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            long answered = codes.entrySet().stream().filter(e -> DnsStats.isAnswer(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeStringField("time", OffsetDateTime.now().toString());
            g.writeNumberField("seconds", Math.round(seconds * 1000) / 1000.0);
            g.writeNumberField("sent", sent);
            g.writeNumberField("answered", answered);
            g.writeNumberField("rate", Math.round(sent / seconds * 1000) / 1000.0);
            g.writeObjectFieldStart("rcodes");
            for (Map.Entry<String, Long> e : codes.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("latency_ms");
            for (Map.Entry<String, Histogram> e : latency.entrySet()) {
                LatencyJson.write(g, e.getKey(), e.getValue());
            }
            g.writeEndObject();
            if (byType != null) {
                g.writeObjectFieldStart("answers");
                for (Map.Entry<String, Long> e : byType.entrySet()) {
                    g.writeNumberField(e.getKey().replace(' ', '/'), e.getValue());
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
        return h.getTotalCount() == 0 ? "" : format(h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
