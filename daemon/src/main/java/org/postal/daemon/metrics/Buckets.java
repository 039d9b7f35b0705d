// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

/**
 * Upper bounds, in seconds, of the classic histogram buckets: 1-2.5-5 steps from 100 µs to 5 min.
 * Classic buckets, unlike a client-side summary, add up across a fleet's daemons in Prometheus;
 * a quantile from them is exact to the bucket that holds it (the daemons' own HdrHistogram figures
 * are exact to 0.1%).
 */
final class Buckets {

    static final double[] SECONDS = {
        0.0001, 0.00025, 0.0005,
        0.001, 0.0025, 0.005,
        0.01, 0.025, 0.05,
        0.1, 0.25, 0.5,
        1, 2.5, 5,
        10, 25, 60, 300,
    };

    private Buckets() {
    }
}
