// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DnsServerAddressTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, 127.0.0.1, 53",
        "127.0.0.1:5353, 127.0.0.1, 5353",
        "[::1]:5353, 0:0:0:0:0:0:0:1, 5353",
        "[127.0.0.2], 127.0.0.2, 53",
        "::1, 0:0:0:0:0:0:0:1, 53",
    })
    void readsLiteralsWithAnOptionalPort(String text, String address, int port) {
        InetSocketAddress parsed = DnsServerAddress.parse(text, "--resolver");
        assertThat(parsed.getAddress().getHostAddress()).isEqualTo(address);
        assertThat(parsed.getPort()).isEqualTo(port);
    }

    /** Names are refused, not looked up: the resolver cannot be found through itself. */
    @ParameterizedTest
    @ValueSource(strings = {"localhost", "dns.example:53", "999.1.1.1", "127.0.0.1:0", "127.0.0.1:70000", "", "[::1"})
    void refusesWhatIsNotAnAddressAndPort(String text) {
        assertThatThrownBy(() -> DnsServerAddress.parse(text, "--resolver"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--resolver");
    }
}
