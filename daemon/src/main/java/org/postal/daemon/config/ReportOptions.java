// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every Postal program shares: its config file, statistics and run length. */
public final class ReportOptions {

    @Option(names = ConfigLoader.OPTION, paramLabel = "FILE",
            description = "Read settings from FILE: \"key = value\" lines whose keys are the long options; "
                    + "options given here win (see postal.conf(5)).")
    public Path config;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1m",
            converter = DurationConverter.class,
            description = "Statistics period; rows are aligned to the wall clock (default: ${DEFAULT-VALUE}).")
    public Duration interval;

    @Option(names = "--json", description = "Write statistics as JSON lines instead of CSV.")
    public boolean json;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "Stop after N messages (0: no limit).")
    public long count;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 90s, 10m).")
    public Duration duration;

    @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = ".",
            description = "Directory for log files (default: the current one).")
    public Path logDir;

    /** picocli's hook for {@link Durations}. */
    public static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }

    /** picocli's hook for {@link Sizes}. */
    public static final class SizeConverter implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Sizes.parse(value);
        }
    }
}
