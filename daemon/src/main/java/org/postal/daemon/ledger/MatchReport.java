// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.postal.daemon.ledger.Tally.Example;
import org.postal.daemon.ledger.Tally.Kind;

/** Prints a {@link Match.Result} as text for people or as one JSON object for programs. */
final class MatchReport {
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private MatchReport() {
    }

    static void text(Match.Result r, PrintStream out) {
        out.println("ledgers:");
        for (Section s : r.sections()) {
            out.println("  " + s.describe());
        }
        r.runs().forEach((run, t) -> tally("run " + Identity.runText(run), t, out));
        tags(r).forEach((tag, t) -> tally("run id " + tagText(tag) + " (" + t.runs + " runs)", t.tally, out));
        if (total(r.unmatched()) > 0) {
            tally("not from these runs", r.unmatched(), out);
        }
        tally("total", r.total(), out);
        if (!r.total().minutes.isEmpty()) {
            out.println("per minute of acceptance (UTC), latency ms (accepted -> received):");
            r.total().minutes.forEach((minute, h) -> out.println("  " + minuteText(minute) + " " + percentiles(h)));
        }
        out.println(r.failed() ? "result: FAILED (lost, duplicated, redelivered or corrupted messages)" : "result: ok");
    }

    /** A tag's runs summed: their count and their tally. */
    private record TagTally(Tally tally, int runs) {
    }

    /**
     * The runs summed by their high 32 bits, the {@code --run-id} tag, for the tags that more than
     * one run shares (untagged runs are random there, so they share none).
     */
    static Map<Integer, TagTally> tags(Match.Result r) {
        Map<Integer, List<Tally>> byTag = new TreeMap<>(Integer::compareUnsigned);
        r.runs().forEach((run, t) -> byTag.computeIfAbsent((int) (run >>> 32), k -> new ArrayList<>()).add(t));
        Map<Integer, TagTally> shared = new TreeMap<>(Integer::compareUnsigned);
        byTag.forEach((tag, list) -> {
            if (list.size() > 1) {
                Tally sum = new Tally();
                list.forEach(sum::add);
                shared.put(tag, new TagTally(sum, list.size()));
            }
        });
        return shared;
    }

    private static String tagText(int tag) {
        return String.format("%08X", tag);
    }

    /** An epoch minute as ISO 8601, {@code 2026-12-07T21:28Z}. */
    private static String minuteText(long minute) {
        return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                LocalDateTime.ofEpochSecond(minute * 60, 0, ZoneOffset.UTC)).substring(0, 16) + "Z";
    }

    private static long total(Tally t) {
        long n = 0;
        for (long c : t.counts) {
            n += c;
        }
        return n;
    }

    private static void tally(String title, Tally t, PrintStream out) {
        StringBuilder line = new StringBuilder(title).append(": ").append(t.accepted).append(" accepted");
        for (Kind k : Kind.values()) {
            line.append(", ").append(k.word()).append(' ').append(t.get(k));
        }
        out.println(line);
        if (t.latency.getTotalCount() > 0) {
            out.println("  latency ms (accepted -> received): " + percentiles(t.latency));
        }
        if (t.posts > 0) {
            out.println("  list posts " + t.posts + ", member deliveries " + t.memberDeliveries
                    + ", recipients reached: min " + t.fanReached.getMinValue()
                    + " mean " + String.format("%.1f", t.fanReached.getMean()) + " max " + t.fanReached.getMaxValue());
            out.println("  time to first recipient ms: " + percentiles(t.fanFirst));
            out.println("  time to last recipient ms: " + percentiles(t.fanLast));
        }
        for (Map.Entry<Kind, List<Example>> e : t.examples.entrySet()) {
            for (Example x : e.getValue()) {
                out.println("  " + e.getKey().key() + " " + x.id() + " " + (x.rcpt == null ? "-" : x.rcpt)
                        + (x.reply == null || x.reply.isEmpty() ? "" : " " + x.reply));
            }
        }
    }

    private static String percentiles(Histogram h) {
        StringBuilder b = new StringBuilder();
        for (double p : PERCENTILES) {
            b.append('p').append(p == (long) p ? String.valueOf((long) p) : String.valueOf(p)).append(' ')
                    .append(h.getValueAtPercentile(p)).append(' ');
        }
        return b.append("max ").append(h.getMaxValue()).append(" (").append(h.getTotalCount()).append(')').toString();
    }

    static String json(Match.Result r) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(text)) {
            g.writeStartObject();
            g.writeArrayFieldStart("ledgers");
            for (Section s : r.sections()) {
                g.writeStartObject();
                g.writeStringField("file", s.file().toString());
                g.writeStringField("program", s.program());
                if (s.run() != 0) {
                    g.writeStringField("run", Identity.runText(s.run()));
                }
                g.writeNumberField("records", s.records());
                g.writeBooleanField("complete", s.complete());
                g.writeBooleanField("torn", s.torn());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("runs");
            for (Map.Entry<Long, Tally> e : r.runs().entrySet()) {
                g.writeStartObject();
                g.writeStringField("run", Identity.runText(e.getKey()));
                tally(g, e.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("run_ids");
            for (Map.Entry<Integer, TagTally> e : tags(r).entrySet()) {
                g.writeStartObject();
                g.writeStringField("run_id", tagText(e.getKey()));
                g.writeNumberField("runs", e.getValue().runs());
                tally(g, e.getValue().tally());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("unmatched");
            tally(g, r.unmatched());
            g.writeEndObject();
            g.writeObjectFieldStart("total");
            tally(g, r.total());
            g.writeEndObject();
            g.writeBooleanField("failed", r.failed());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void tally(JsonGenerator g, Tally t) throws IOException {
        g.writeNumberField("accepted", t.accepted);
        for (Kind k : Kind.values()) {
            g.writeNumberField(k.key(), t.get(k));
        }
        histogram(g, "latency_ms", t.latency);
        g.writeArrayFieldStart("latency_ms_by_minute");
        for (Map.Entry<Long, Histogram> m : t.minutes.entrySet()) {
            g.writeStartObject();
            g.writeStringField("minute", minuteText(m.getKey()));
            percentiles(g, m.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (t.posts > 0) {
            g.writeNumberField("list_posts", t.posts);
            g.writeNumberField("list_member_deliveries", t.memberDeliveries);
            histogram(g, "list_recipients_reached", t.fanReached);
            histogram(g, "list_first_ms", t.fanFirst);
            histogram(g, "list_last_ms", t.fanLast);
        }
        g.writeObjectFieldStart("examples");
        for (Map.Entry<Kind, List<Example>> e : t.examples.entrySet()) {
            g.writeArrayFieldStart(e.getKey().key());
            for (Example x : e.getValue()) {
                g.writeStartObject();
                g.writeStringField("id", x.id());
                g.writeStringField("rcpt", x.rcpt);
                g.writeStringField("reply", x.reply);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void histogram(JsonGenerator g, String name, Histogram h) throws IOException {
        g.writeObjectFieldStart(name);
        percentiles(g, h);
        g.writeEndObject();
    }

    private static void percentiles(JsonGenerator g, Histogram h) throws IOException {
        g.writeNumberField("count", h.getTotalCount());
        if (h.getTotalCount() > 0) {
            for (double p : PERCENTILES) {
                g.writeNumberField("p" + (p == (long) p ? String.valueOf((long) p) : String.valueOf(p)),
                        h.getValueAtPercentile(p));
            }
            g.writeNumberField("max", h.getMaxValue());
        }
    }
}
