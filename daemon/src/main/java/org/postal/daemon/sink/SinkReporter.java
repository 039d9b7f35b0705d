// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.postal.daemon.report.StatisticsTicker;

/**
 * bhm's statistics rows: the 0.76 CSV, or JSON lines, one per interval aligned to the wall clock.
 *
 * <p>The CSV keeps 0.76's six columns first ({@code time,messages,data(K),errors,connections,SSL
 * connections}) so old scripts still read it, then adds the hash verdicts and rejects by class;
 * JSON carries rejects by reply code. Kilobytes carry their remainder from row to row.
 */
final class SinkReporter implements StatisticsTicker.Rows {

    static final String CSV_HEADER = "time,messages,data(K),errors,connections,SSL connections,"
            + "verified,corrupt,unsigned,rejected 4xx,rejected 5xx,duplicates,clients";

    private static final JsonFactory JSON = new JsonFactory();

    private final SinkStats stats;
    private final PrintStream out;
    private final boolean json;
    private final Clock clock;
    private final DateTimeFormatter timeFormat;
    private SinkStats.Snapshot previous = SinkStats.Snapshot.ZERO;

    SinkReporter(SinkStats stats, PrintStream out, boolean json, Duration interval, Clock clock) {
        this.stats = stats;
        this.out = out;
        this.json = json;
        this.clock = clock;
        this.timeFormat = DateTimeFormatter.ofPattern(interval.toSeconds() % 60 == 0 && interval.toMillis() % 1000 == 0
                ? "HH:mm" : "HH:mm:ss");
    }

    /** Prints the CSV header at once (0.76 held it back until the first row). */
    @Override
    public void start() {
        if (!json) {
            out.println(CSV_HEADER);
            out.flush();
        }
    }

    /** Prints the row for the time since the previous one. */
    @Override
    public synchronized void row() {
        SinkStats.Snapshot now = stats.snapshot();
        SinkStats.Snapshot delta = now.minus(previous);
        long kib = now.bytes() / 1024 - previous.bytes() / 1024;
        previous = now;
        out.println(json ? jsonLine("interval", delta, kib) : csvLine(delta, kib));
        out.flush();
    }

    /** The run's totals as a JSON line (JSON mode) or a summary sentence for stderr (CSV mode). */
    synchronized String total() {
        SinkStats.Snapshot all = stats.snapshot();
        if (json) {
            return jsonLine("total", all, all.bytes() / 1024);
        }
        return String.format("bhm: total %d messages (%d verified, %d corrupt, %d unsigned, %d duplicates), %d KiB, "
                        + "%d connections (%s distinct clients), %d TLS, %d errors, rejects %s",
                all.messages(), all.verified(), all.corrupt(), all.unsigned(), all.duplicates(), all.bytes() / 1024,
                all.connections(), clients(), all.tlsConnections(), all.errors(), all.rejects());
    }

    /** Distinct clients so far (not per row: a client counts once per run), "+" when only a lower bound. */
    private String clients() {
        return stats.clients.distinct() + (stats.clients.exact() ? "" : "+");
    }

    private String csvLine(SinkStats.Snapshot d, long kib) {
        return LocalTime.now(clock).format(timeFormat) + "," + d.messages() + "," + kib + "," + d.errors() + ","
                + d.connections() + "," + d.tlsConnections() + "," + d.verified() + "," + d.corrupt() + ","
                + d.unsigned() + "," + d.rejected(4) + "," + d.rejected(5) + "," + d.duplicates() + "," + clients();
    }

    private String jsonLine(String type, SinkStats.Snapshot d, long kib) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeStringField("time", Instant.now(clock).atZone(ZoneId.systemDefault()).toOffsetDateTime().toString());
            g.writeNumberField("messages", d.messages());
            g.writeNumberField("data_kib", kib);
            g.writeNumberField("errors", d.errors());
            g.writeNumberField("connections", d.connections());
            g.writeNumberField("tls_connections", d.tlsConnections());
            g.writeNumberField("verified", d.verified());
            g.writeNumberField("corrupt", d.corrupt());
            g.writeNumberField("unsigned", d.unsigned());
            g.writeNumberField("duplicates", d.duplicates());
            g.writeNumberField("clients", stats.clients.distinct());
            g.writeBooleanField("clients_exact", stats.clients.exact());
            g.writeObjectFieldStart("rejects");
            for (Map.Entry<Integer, Long> e : d.rejects().entrySet()) {
                g.writeNumberField(String.valueOf(e.getKey()), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
