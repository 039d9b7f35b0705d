// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** postal's and rabid's {@code --histogram-log FILE} (config key {@code histogram-log}). */
public final class HistogramLogOption {

    @Option(names = "--histogram-log", paramLabel = "FILE",
            description = "Append an HdrHistogram interval log to FILE: each phase's latencies (and the schedule "
                    + "lag) in microseconds, one tagged histogram per phase per --interval.")
    Path file;

    /** The log file, or null for none. */
    public Path file() {
        return file;
    }
}
