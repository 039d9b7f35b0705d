// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Counters and gauges read from a program's own running totals and state at each scrape, so that
 * they add nothing to the hot path and always agree with the program's own rows.
 */
final class Callbacks {

    private final Metrics metrics;

    Callbacks(Metrics metrics) {
        this.metrics = metrics;
    }

    /** {@code name}_total, read from {@code value}, which never goes down. */
    void counter(String name, String help, LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help).constLabels(metrics.labels())
                .callback(c -> c.call(value.getAsLong())).register(metrics.registry());
    }

    void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).constLabels(metrics.labels())
                .callback(c -> c.call(value.getAsDouble())).register(metrics.registry());
    }
}
