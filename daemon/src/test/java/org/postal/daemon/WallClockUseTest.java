// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rates, durations and latencies are immune to steps of the wall clock (an NTP step, a manual
 * {@code date -s}) because they are measured with {@code System.nanoTime()} (CLOCK_MONOTONIC) and
 * scheduled by executors and Netty timers that use it too; the wall clock only labels things.
 *
 * <p>How this is tested: CLOCK_REALTIME cannot be stepped for one process. A time namespace
 * ({@code unshare --time}) offsets only CLOCK_MONOTONIC and CLOCK_BOOTTIME, and {@code date -s}
 * would step the whole test machine's clock under every other test. The JVM reads CLOCK_REALTIME
 * only through the calls matched below, so what a step can reach is exactly those call sites:
 * each one is listed here with why a step there changes a label and no measurement. A new wall
 * clock read anywhere in the program fails this test until it is shown to be a label too.
 */
class WallClockUseTest {

    private static final Pattern WALL = Pattern.compile("System\\.currentTimeMillis\\(|Instant\\.now\\(|"
            + "(LocalTime|LocalDateTime|ZonedDateTime|OffsetDateTime)\\.now\\(|Clock\\.system\\w*\\(|new Date\\(\\)");

    /** File (below the package root) and its number of wall clock reads, each a label. */
    private static final Map<String, Integer> LABELS = Map.ofEntries(
            // The time column of a CSV row and the time field of a JSON row.
            Map.entry("load/LoadReporter.java", 2),
            Map.entry("dns/DnsReporter.java", 2),
            Map.entry("sink/SinkReporter.java", 2),
            // Rows start on a round wall-clock second, as 0.76's did; the period after that is
            // the executor's, on the monotonic clock, so a step moves no row but the labels.
            Map.entry("report/StatisticsTicker.java", 1),
            Map.entry("dns/DnsLoadMain.java", 1),
            // The clock bhm's rows are labelled by.
            Map.entry("sink/Sink.java", 1),
            // The Date header of generated mail.
            Map.entry("load/smtp/SmtpLoad.java", 1),
            // The mbox From line of bhm's -a log.
            Map.entry("sink/MessageLog.java", 1),
            // Ledger records carry wall times so that postal's and bhm's files (two machines,
            // perhaps) can be lined up; the intended time is the wall time now less the
            // monotonic time since the message was due.
            Map.entry("load/smtp/SmtpTransaction.java", 1),
            Map.entry("ledger/Arrivals.java", 1),
            Map.entry("ledger/LedgerWriter.java", 2),
            Map.entry("ledger/SendRecord.java", 1),
            // The start and base time of an HdrHistogram interval log (its format's own labels).
            Map.entry("metrics/HistogramLog.java", 1),
            // The Arrival-Date of a bounce (RFC 3464) bhm sends.
            Map.entry("sink/ContentReceiver.java", 1));

    @Test
    void theWallClockIsReadOnlyForLabels() throws IOException {
        Path root = Path.of("src", "main", "java", "org", "postal", "daemon");
        Map<String, Integer> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                int uses = count(f);
                if (uses > 0) {
                    found.put(root.relativize(f).toString().replace('\\', '/'), uses);
                }
            });
        }
        assertThat(found).as("wall clock reads per file (each must be a label, never an interval)")
                .isEqualTo(new TreeMap<>(LABELS));
    }

    private static int count(Path file) {
        try {
            int n = 0;
            for (String line : Files.readAllLines(file)) {
                String code = line.strip();
                if (code.startsWith("//") || code.startsWith("*")) {
                    continue;
                }
                Matcher m = WALL.matcher(line);
                while (m.find()) {
                    n++;
                }
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
