// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.postal.daemon.load.LatencyJson;

/**
 * The histograms of one or more interval logs, added up by tag: over all machines, per machine
 * (per file) and per wall-clock minute of the intervals' starts. Adding histograms is exact, so the
 * fleet's percentiles are those of every sample together.
 */
final class RunReport {

    private static final JsonFactory JSON = new JsonFactory();

    /** Tag to histogram, tags in order. */
    private final Map<String, Histogram> total = new TreeMap<>();
    private final Map<String, Map<String, Histogram>> machines = new LinkedHashMap<>();
    private final Map<Long, Map<String, Histogram>> minutes = new TreeMap<>();
    /** Tag to every interval histogram of every log, for the comparison's noise rule. */
    private final Map<String, List<IntervalCounts>> intervals = new TreeMap<>();

    static RunReport read(List<Path> logs) throws IOException {
        RunReport report = new RunReport();
        for (Path log : logs) {
            if (!Files.isReadable(log)) {
                throw new IOException("cannot read " + log);
            }
            Map<String, Histogram> machine = report.machines.computeIfAbsent(log.toString(), k -> new TreeMap<>());
            int rows = 0;
            try (HistogramLogReader reader = new HistogramLogReader(log.toFile())) {
                while (reader.hasNext()) {
                    EncodableHistogram next = reader.nextIntervalHistogram();
                    if (next instanceof Histogram h) {
                        String tag = h.getTag() == null ? "untagged" : h.getTag();
                        add(report.total, tag, h);
                        add(machine, tag, h);
                        add(report.minutes.computeIfAbsent(h.getStartTimeStamp() / 60_000, k -> new TreeMap<>()), tag, h);
                        if (h.getTotalCount() > 0) {
                            report.intervals.computeIfAbsent(tag, t -> new ArrayList<>()).add(IntervalCounts.of(h));
                        }
                        rows++;
                    }
                }
            } catch (RuntimeException e) {
                // HdrHistogram reports a line it cannot decode as an unchecked exception.
                throw new IOException(log + ": not an HdrHistogram interval log (" + e.getMessage() + ")", e);
            }
            if (rows == 0) {
                throw new IOException(log + ": no interval histograms in it");
            }
        }
        return report;
    }

    private static void add(Map<String, Histogram> to, String tag, Histogram h) {
        to.computeIfAbsent(tag, t -> new Histogram(3)).add(h);
    }

    /** How many logs (machines) were read. */
    int logs() {
        return machines.size();
    }

    /** Each tag's histogram of all logs together. */
    Map<String, Histogram> total() {
        return total;
    }

    /** Each tag's interval histograms, every log's. */
    Map<String, List<IntervalCounts>> intervals() {
        return intervals;
    }

    /** Tables in milliseconds: all machines, each machine, each minute. */
    void text(PrintStream out) {
        out.printf("all %d logs%n", machines.size());
        table(out, total);
        machines.forEach((name, tags) -> {
            out.printf("%n%s%n", name);
            table(out, tags);
        });
        minutes.forEach((minute, tags) -> {
            out.printf("%n%s%n", Instant.ofEpochMilli(minute * 60_000));
            table(out, tags);
        });
    }

    private static void table(PrintStream out, Map<String, Histogram> tags) {
        out.printf("%-14s %10s %10s %10s %10s %10s%n", "phase", "count", "p50 ms", "p90 ms", "p99 ms", "max ms");
        tags.forEach((tag, h) -> out.printf("%-14s %10d %10.3f %10.3f %10.3f %10.3f%n", tag, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0));
    }

    /** {"total":{tag:{count,p50,..}},"machines":{file:{..}},"minutes":[{"minute":ISO,"phases":{..}}]}. */
    String json() {
        return json(g -> {
            g.writeStartObject();
            phases(g, "total", total);
            g.writeObjectFieldStart("machines");
            for (Map.Entry<String, Map<String, Histogram>> m : machines.entrySet()) {
                phases(g, m.getKey(), m.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("minutes");
            for (Map.Entry<Long, Map<String, Histogram>> m : minutes.entrySet()) {
                g.writeStartObject();
                g.writeStringField("minute", Instant.ofEpochMilli(m.getKey() * 60_000).toString());
                phases(g, "phases", m.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** What writes one JSON text. */
    @FunctionalInterface
    interface JsonBody {
        void write(JsonGenerator g) throws IOException;
    }

    /** The JSON text {@code body} writes. */
    static String json(JsonBody body) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void phases(JsonGenerator g, String name, Map<String, Histogram> tags) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Histogram> t : tags.entrySet()) {
            LatencyJson.write(g, t.getKey(), t.getValue());
        }
        g.writeEndObject();
    }
}
