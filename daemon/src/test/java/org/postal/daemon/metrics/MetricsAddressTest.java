// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** --metrics values: loopback without an address, literals only, the bad text named. */
class MetricsAddressTest {

    @ParameterizedTest
    @CsvSource({
        "9127, 127.0.0.1, 9127",
        "0.0.0.0:9126, 0.0.0.0, 9126",
        "192.0.2.7:80, 192.0.2.7, 80",
        "'[::1]:9128', 0:0:0:0:0:0:0:1, 9128",
        "' 0 ', 127.0.0.1, 0",
    })
    void parses(String text, String address, int port) throws Exception {
        MetricsAddress got = MetricsAddress.parse(text);
        assertThat(got.address()).isEqualTo(InetAddress.getByName(address));
        assertThat(got.port()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost:9127", "example.com:80", "65536", "127.0.0.1:", "300.1.1.1:80",
        "9127:127.0.0.1", "[::1]", "::1:9127", "-1"})
    void refusesWithTheTextInTheMessage(String text) {
        assertThatThrownBy(() -> MetricsAddress.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--metrics");
    }
}
