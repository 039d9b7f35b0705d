// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import picocli.CommandLine.Option;

/** The {@code --metrics [ADDRESS:]PORT} option bhm, postal and rabid share (config key {@code metrics}). */
public final class MetricsOption {

    private MetricsAddress address;

    /** Parsed as it is given, so that a bad value is a usage error (exit 64) like any other option's. */
    @Option(names = "--metrics", paramLabel = "[ADDRESS:]PORT",
            description = "Serve Prometheus metrics over HTTP at /metrics on PORT, on loopback unless an "
                    + "ADDRESS is given (default: off).")
    void metrics(String text) {
        address = MetricsAddress.parse(text);
    }

    /** Where to serve, or null when metrics are off. */
    public MetricsAddress address() {
        return address;
    }
}
