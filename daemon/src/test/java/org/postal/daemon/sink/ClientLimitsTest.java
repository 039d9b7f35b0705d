// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.postal.daemon.sink.ClientLimits.Admission;

/** The anvil table: sessions open per client, connections per minute, and no limit at 0. */
class ClientLimitsTest {

    private final AtomicLong now = new AtomicLong();
    private final ClientLimits limits = new ClientLimits(now::get);

    @Test
    void concurrencyCountsOpenSessionsPerAddress() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("2001:db8::1");
        assertThat(limits.opened(a, 2, 0)).isEqualTo(Admission.COUNTED);
        assertThat(limits.opened(a, 2, 0)).isEqualTo(Admission.COUNTED);
        assertThat(limits.opened(a, 2, 0)).isEqualTo(Admission.TOO_MANY);
        assertThat(limits.opened(b, 2, 0)).isEqualTo(Admission.COUNTED);
        limits.closed(a);
        assertThat(limits.opened(a, 2, 0)).isEqualTo(Admission.COUNTED);
        assertThat(limits.opened(a, 0, 0)).isEqualTo(Admission.UNCOUNTED);
    }

    @Test
    void theRateIsPerMinuteFromTheFirstConnection() throws Exception {
        InetAddress a = InetAddress.getByName("198.51.100.9");
        for (int i = 0; i < 3; i++) {
            assertThat(limits.opened(a, 0, 3)).isEqualTo(Admission.COUNTED);
            limits.closed(a);
        }
        now.addAndGet(ClientLimits.WINDOW_NANOS - 1);
        assertThat(limits.opened(a, 0, 3)).isEqualTo(Admission.TOO_FAST);
        now.addAndGet(1);
        assertThat(limits.opened(a, 0, 3)).isEqualTo(Admission.COUNTED);
        assertThat(limits.size()).isEqualTo(1);
    }

    @Test
    void messagesAndRecipientsAreCountedApartPerMinute() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.7");
        InetAddress b = InetAddress.getByName("192.0.2.8");
        assertThat(limits.over(a, ClientLimits.Rate.MESSAGES, 2)).isFalse();
        assertThat(limits.over(a, ClientLimits.Rate.MESSAGES, 2)).isFalse();
        assertThat(limits.over(a, ClientLimits.Rate.RECIPIENTS, 2)).as("recipients count apart").isFalse();
        assertThat(limits.over(b, ClientLimits.Rate.MESSAGES, 2)).as("per address").isFalse();
        assertThat(limits.over(a, ClientLimits.Rate.MESSAGES, 2)).isTrue();
        assertThat(limits.over(a, ClientLimits.Rate.MESSAGES, 0)).as("0: no limit").isFalse();
        now.addAndGet(ClientLimits.WINDOW_NANOS);
        assertThat(limits.over(a, ClientLimits.Rate.MESSAGES, 2)).as("a new minute").isFalse();
    }
}
