// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    @Test
    void readsWhatPostalUses() {
        Capabilities caps = Capabilities.parse(List.of("mx.example", "PIPELINING", "size 10485760", "8BITMIME",
                "SMTPUTF8", "CHUNKING", "STARTTLS", "AUTH PLAIN LOGIN", ""));
        assertThat(caps).isEqualTo(new Capabilities(true, true, true, true, true, true, 10485760));
    }

    @Test
    void oldStyleAuthAndSizeWithoutValue() {
        Capabilities caps = Capabilities.parse(List.of("mx", "AUTH=LOGIN", "SIZE", "  pipelining  "));
        assertThat(caps.authLogin()).isTrue();
        assertThat(caps.authPlain()).isFalse();
        assertThat(caps.maxSize()).isZero();
        assertThat(caps.pipelining()).isTrue();
        assertThat(Capabilities.parse(List.of("mx")).maxSize()).isEqualTo(-1);
    }
}
