// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postal.daemon.metrics.Metrics;
import org.postal.daemon.metrics.MetricsAddress;
import org.postal.daemon.metrics.Scrape;

/** bhm's exposition after a known session: one message, one refused command, one open session. */
class SinkMetricsIT {

    private static final String BHM = "{instance=\"sink-a\",program=\"bhm\"}";

    private RunningSink sink;
    private Metrics metrics;

    @AfterEach
    void stop() throws Exception {
        if (metrics != null) {
            metrics.closeNow();
        }
        sink.close();
    }

    @Test
    void countsWhatTheSinkCounts() throws Exception {
        sink = new RunningSink();
        metrics = Metrics.forSink(MetricsAddress.parse("0"), "sink-a", sink.sink());
        try (LineClient client = new LineClient(sink.address())) {
            client.reply();
            client.command("EHLO test");
            assertThat(client.command("RCPT TO:<b@example.com>")).startsWith("503");
            client.command("MAIL FROM:<a@example.com>");
            client.command("RCPT TO:<b@example.com>");
            client.command("DATA");
            assertThat(client.command("Subject: one\r\n\r\nbody\r\n.")).startsWith("250");
            Scrape s = Scrape.of(metrics.port());
            assertThat(s.text()).contains("# TYPE postal_messages_total counter", "# TYPE postal_sessions gauge",
                    "# TYPE postal_refusals_total counter");
            assertThat(s.value("postal_messages_total" + BHM)).isEqualTo(1.0);
            assertThat(s.value("postal_unsigned_total" + BHM)).isEqualTo(1.0);
            assertThat(s.value("postal_verified_total" + BHM)).isEqualTo(0.0);
            assertThat(s.value("postal_connections_total" + BHM)).isEqualTo(1.0);
            assertThat(s.value("postal_sessions" + BHM)).isEqualTo(1.0);
            assertThat(s.value("postal_refusals_total{code=\"503\",instance=\"sink-a\",program=\"bhm\"}"))
                    .isEqualTo(1.0);
            assertThat(s.value("postal_bytes_total" + BHM)).isEqualTo((double) sink.stats().bytes());
        }
    }

    @Test
    void aBadMetricsAddressIsAUsageError() throws Exception {
        sink = new RunningSink();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SinkMain.run(new String[] {"--port", "0", "--metrics", "localhost:9126"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                new org.postal.daemon.service.RunHandle("bhm"));
        assertThat(status).isEqualTo(org.postal.daemon.service.Sysexits.EX_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--metrics", "localhost");
    }
}
