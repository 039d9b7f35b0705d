// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import java.time.Duration;
import org.postal.daemon.config.ReportOptions;
import picocli.CommandLine.Option;

/** The command-line options (and postal.conf keys) of a {@link SlowClient}. */
final class SlowClientOptions {

    @Option(names = "--send-rate", paramLabel = "SIZE", defaultValue = "0",
            converter = ReportOptions.SizeConverter.class,
            description = "Bytes per second each connection writes at most: 512B, 2KiB; a bare number is KiB "
                    + "(default: 0, no cap).")
    long sendRate;

    @Option(names = "--line-pause", paramLabel = "DURATION", defaultValue = "0s",
            converter = ReportOptions.DurationConverter.class,
            description = "Pause before each command line (default: none).")
    Duration linePause;

    @Option(names = "--data-pause", paramLabel = "DURATION", defaultValue = "0s",
            converter = ReportOptions.DurationConverter.class,
            description = "Pause before each line of a message's content (default: none).")
    Duration dataPause;

    @Option(names = "--send-buffer", paramLabel = "SIZE", defaultValue = "0",
            converter = ReportOptions.SizeConverter.class,
            description = "SO_SNDBUF of each connection, as 4KiB (default: 0, the kernel's).")
    long sendBuffer;

    @Option(names = "--receive-buffer", paramLabel = "SIZE", defaultValue = "0",
            converter = ReportOptions.SizeConverter.class,
            description = "SO_RCVBUF of each connection, as 4KiB (default: 0, the kernel's).")
    long receiveBuffer;

    @Option(names = "--read-pause", paramLabel = "DURATION", defaultValue = "0s",
            converter = ReportOptions.DurationConverter.class,
            description = "Read replies one socket read at a time, this long apart (default: as they come).")
    Duration readPause;

    @Option(names = "--idle", paramLabel = "DURATION", defaultValue = "0s",
            converter = ReportOptions.DurationConverter.class,
            description = "Pause between messages on a kept connection (default: none).")
    Duration idle;

    @Option(names = "--abandon", paramLabel = "PERCENT@PHASE", defaultValue = "0@quit",
            description = "Close this share of connections without QUIT once PHASE (banner, ehlo, mail, rcpt, "
                    + "data) is answered, or instead of QUIT (quit) (default: none).")
    String abandon;

    SlowClient toSlowClient() {
        if (sendBuffer > Integer.MAX_VALUE || receiveBuffer > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--send-buffer and --receive-buffer must be under 2GiB");
        }
        return new SlowClient(sendRate, linePause, dataPause, (int) sendBuffer, (int) receiveBuffer, readPause, idle,
                SlowClient.Abandon.parse(abandon));
    }
}
