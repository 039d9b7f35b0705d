// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.HdrHistogram.Histogram;

/** One latency histogram in the JSON rows of every load generator: count, p50, p90, p99 and max in ms. */
public final class LatencyJson {

    private LatencyJson() {
    }

    /** Writes {@code "name":{"count":..,"p50":..,"p90":..,"p99":..,"max":..}} from a histogram in microseconds. */
    public static void write(JsonGenerator g, String name, Histogram h) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("count", h.getTotalCount());
        g.writeNumberField("p50", h.getValueAtPercentile(50) / 1000.0);
        g.writeNumberField("p90", h.getValueAtPercentile(90) / 1000.0);
        g.writeNumberField("p99", h.getValueAtPercentile(99) / 1000.0);
        g.writeNumberField("max", h.getMaxValue() / 1000.0);
        g.writeEndObject();
    }
}
