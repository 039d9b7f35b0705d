// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postal.daemon.control.ConfigMaps;

class EndpointsTest {

    @Test
    void printsTheListInTheSyntaxItReads() {
        Endpoints endpoints = Endpoints.parse("127.0.0.1, +[localhost]:26,[::1]2525", 25);
        assertThat(endpoints).hasToString("[127.0.0.1]:25,+[localhost]:26,[::1]:2525");
        assertThat(Endpoints.parse(endpoints.toString(), 99)).isEqualTo(endpoints);
    }

    record Target(Endpoints servers) {
    }

    @Test
    void postalctlConfigShowsTheServersNotAnObjectName() {
        assertThat(ConfigMaps.of(new Target(Endpoints.parse("127.0.0.1", 2525))))
                .isEqualTo(Map.of("servers", "[127.0.0.1]:2525"));
    }
}
