// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.load.LoadStats;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.RateSchedule;

/** postal-report over two machines' interval logs: merged exactly, not averaged. */
class ReportMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ReportMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** A machine's log: {@code n} messages of {@code millis} ms each. */
    private Path machine(String name, int n, long millis) throws Exception {
        Path file = dir.resolve(name + ".hlog");
        LoadStats stats = new LoadStats(org.postal.daemon.load.smtp.SmtpLoad.KIND);
        Metrics m = Metrics.forLoad(null, file, Duration.ofHours(1), "postal", name, stats,
                new RateSchedule(0, 0, System.nanoTime()));
        for (int i = 0; i < n; i++) {
            stats.latency(Phase.MESSAGE, millis * 1_000_000);
        }
        m.close();
        return file;
    }

    @Test
    void theFleetsPercentilesAreThoseOfAllSamplesTogether() throws Exception {
        // 980 fast messages on one machine, 20 slow ones on the other: the fleet's p99 is slow,
        // the machines' p99s averaged would say (2 + 500) / 2 = 251 ms.
        Path fast = machine("fast", 980, 2);
        Path slow = machine("slow", 20, 500);
        Histogram all = new Histogram(3);
        all.recordValueWithCount(2_000, 980);
        all.recordValueWithCount(500_000, 20);
        assertThat(run("--json", fast.toString(), slow.toString())).isZero();
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"total\":{\"message\":{\"count\":1000,\"p50\":"
                + all.getValueAtPercentile(50) / 1000.0 + ",\"p90\":" + all.getValueAtPercentile(90) / 1000.0
                + ",\"p99\":" + all.getValueAtPercentile(99) / 1000.0);
        assertThat(all.getValueAtPercentile(99) / 1000.0).isGreaterThan(499);
        assertThat(json).contains("\"" + fast + "\":{\"message\":{\"count\":980,",
                "\"" + slow + "\":{\"message\":{\"count\":20,", "\"minutes\":[{\"minute\":\"");
    }

    @Test
    void textHasTheMergedTableFirst() throws Exception {
        assertThat(run(machine("a", 10, 3).toString(), machine("b", 30, 3).toString())).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("all 2 logs\nphase").containsPattern("\nmessage +40 +3\\.00");
    }

    @Test
    void aFileThatIsNotALogIsExit66() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.hlog"), "not a histogram\n");
        assertThat(run(junk.toString())).isEqualTo(ReportMain.EX_NOINPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("junk.hlog");
        assertThat(run(dir.resolve("missing.hlog").toString())).isEqualTo(ReportMain.EX_NOINPUT);
    }

    @Test
    void noLogIsAUsageError() {
        assertThat(run()).isEqualTo(ReportMain.EX_USAGE);
    }
}
