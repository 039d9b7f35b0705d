// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.postal.daemon.metrics.MetricsAddress;

/**
 * Where a load generator's statistics, log, transcripts and control sockets go, checked once for postal and rabid.
 *
 * @param interval                the statistics period: positive, or the ticker would divide by zero
 * @param logDir                  the folder of NAME.log and run-time transcripts
 * @param transcript              -z/-Z's file base, or null for none
 * @param name                    the instance name (--name), which names the log and the control sockets
 * @param controlDir              where NAME.sock and NAME-status.sock go, or null for no control sockets
 * @param ledger                  --ledger's file, or null for none
 * @param metrics                 --metrics' address and port, or null for no Prometheus endpoint
 * @param histogramLog            --histogram-log's file, or null for none
 * @param lockMemory              --lock-memory: the program's pages locked in RAM at the start
 */
public record LoadOutput(Duration interval, boolean json, Path logDir, boolean logAll, Path transcript,
                         boolean transcriptPerConnection, String name, Path controlDir, Path ledger,
                         MetricsAddress metrics, Path histogramLog, boolean lockMemory) {

    public LoadOutput {
        Objects.requireNonNull(interval, "interval");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("--interval must be positive");
        }
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(name, "name");
    }

    /** NAME.log in the log folder: postal.log, or one of its own for an instance (--name postal@night). */
    public Path log() {
        return logDir.resolve(name + ".log");
    }

    /** Where a transcript switched on at run time goes without -z/-Z: NAME.transcript. */
    public Path transcriptBase() {
        return logDir.resolve(name + ".transcript");
    }
}
