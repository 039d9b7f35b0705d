// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-client limits over real sockets, clients announced by PROXY headers: 421 4.7.0 past them. */
class ClientLimitsIT {

    private RunningSink sink;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void concurrencyAndRatePerAnnouncedAddress() throws Exception {
        sink = new RunningSink("--proxy-trusted", "127.0.0.0/8", "--client-connections", "2", "--client-rate", "4");
        try (LineClient one = LineClient.announcing(sink.address(), "192.0.2.1");
             LineClient two = LineClient.announcing(sink.address(), "192.0.2.1");
             LineClient other = LineClient.announcing(sink.address(), "192.0.2.2")) {
            assertThat(one.reply()).startsWith("220 ");
            assertThat(two.reply()).startsWith("220 ");
            assertThat(other.reply()).startsWith("220 ");
            try (LineClient three = LineClient.announcing(sink.address(), "192.0.2.1")) {
                assertThat(three.reply()).isEqualTo("421 4.7.0 " + sink.sink().services().config().listen().hostname()
                        + " Error: too many connections from 192.0.2.1");
                assertThat(three.closedByServer()).isTrue();
            }
        }
        sink.awaitIdle();
        // 192.0.2.1 has opened 2 of its 4 this minute (the refused one does not count).
        for (int i = 0; i < 2; i++) {
            try (LineClient c = LineClient.announcing(sink.address(), "192.0.2.1")) {
                assertThat(c.reply()).startsWith("220 ");
            }
            sink.awaitIdle();
        }
        try (LineClient c = LineClient.announcing(sink.address(), "192.0.2.1")) {
            assertThat(c.reply()).contains("421 4.7.0 ").endsWith("too many connections per minute from 192.0.2.1");
        }
        sink.awaitIdle();
        assertThat(sink.stats().fired(Fired.CLIENT_CONNECTIONS)).isEqualTo(1);
        assertThat(sink.stats().fired(Fired.CLIENT_RATE)).isEqualTo(1);
        sink.sink().services().settings().set("client-rate", "0");
        try (LineClient c = LineClient.announcing(sink.address(), "192.0.2.1")) {
            assertThat(c.reply()).startsWith("220 ");
        }
    }
}
