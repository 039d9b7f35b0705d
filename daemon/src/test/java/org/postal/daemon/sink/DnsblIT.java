// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNSBL verdicts at each stage for clients announced by PROXY headers (distinct addresses on
 * loopback), counted per stage, and the list re-read by a reload.
 */
class DnsblIT {

    @TempDir
    Path dir;

    private RunningSink sink;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    private LineClient as(String client) throws Exception {
        return LineClient.announcing(sink.address(), client);
    }

    /** The replies to greeting, EHLO, MAIL, RCPT, DATA and the message for a client, joined by "|". */
    private String session(String client) throws Exception {
        try (LineClient c = as(client)) {
            StringBuilder out = new StringBuilder(c.reply());
            if (!out.toString().startsWith("220")) {
                return out.append(c.closedByServer() ? "|closed" : "|open").toString();
            }
            c.command("EHLO test");
            c.command("MAIL FROM:<a@example.org>");
            out.append('|').append(c.command("RCPT TO:<b@example.com>"));
            out.append('|').append(c.command("DATA"));
            if (out.toString().endsWith("354 End data with <CR><LF>.<CR><LF>")) {
                out.append('|').append(c.command("Subject: x\r\n\r\nbody\r\n."));
            }
            c.command("QUIT");
            return out.toString();
        }
    }

    @Test
    void eachStageRefusesItsClientsAndCountsThem() throws Exception {
        Path list = Files.writeString(dir.resolve("dnsbl"), "192.0.2.0/24 connect\n"
                + "2001:db8:bad::/48 550 5.7.1 listed at rcpt\n203.0.113.9 data 554 5.7.1 refused after DATA\n");
        sink = new RunningSink("--proxy-trusted", "127.0.0.0/8", "--dnsbl", list.toString());
        assertThat(session("192.0.2.77"))
                .isEqualTo("554 5.7.1 Service unavailable; client [192.0.2.0/24] blocked using bhm's list|closed");
        assertThat(session("2001:db8:bad::1")).isEqualTo("220 " + sink.sink().services().config().listen().hostname()
                + " ESMTP Postal bhm|550 5.7.1 listed at rcpt|554 5.5.1 No valid recipients");
        assertThat(session("203.0.113.9")).endsWith("|250 2.1.5 Ok|354 End data with <CR><LF>.<CR><LF>"
                + "|554 5.7.1 refused after DATA");
        assertThat(session("198.51.100.1")).endsWith("|250 2.0.0 Ok: queued");
        sink.awaitIdle();
        SinkStats.Snapshot s = sink.stats();
        assertThat(s.fired(Fired.DNSBL_CONNECT)).isEqualTo(1);
        assertThat(s.fired(Fired.DNSBL_RCPT)).isEqualTo(1);
        assertThat(s.fired(Fired.DNSBL_DATA)).isEqualTo(1);
        assertThat(s.messages()).isEqualTo(1);
    }

    @Test
    void aReloadReadsTheListAgainAndDnsblStageMovesUnstagedEntries() throws Exception {
        Path list = Files.writeString(dir.resolve("dnsbl"), "198.51.100.1\n");
        sink = new RunningSink("--proxy-trusted", "127.0.0.0/8", "--dnsbl", list.toString());
        assertThat(session("198.51.100.2")).endsWith("|250 2.0.0 Ok: queued");
        Files.writeString(list, "198.51.100.0/24\n");
        assertThat(new SinkControl(sink.sink()).reload().ok()).isTrue();
        assertThat(session("198.51.100.2")).contains("|554 5.7.1 Service unavailable");
        sink.sink().services().settings().set("dnsbl-stage", "connect");
        assertThat(session("198.51.100.3")).endsWith("|closed");
        sink.awaitIdle();
        assertThat(sink.stats().fired(Fired.DNSBL_RCPT)).isEqualTo(1);
        assertThat(sink.stats().fired(Fired.DNSBL_CONNECT)).isEqualTo(1);
    }
}
