// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.lists;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    void aLocalPartMayHoldSixtyFourOctets() {
        assertThat(Addresses.problem("a".repeat(64) + "@example.com")).isEmpty();
        assertThat(Addresses.problem("a".repeat(65) + "@example.com")).hasValueSatisfying(
                p -> assertThat(p).contains("local part", "longer than 64 octets"));
        assertThat(Addresses.problem("a".repeat(65))).isPresent();
        // Octets, not characters: 33 two-octet letters are 66 octets.
        assertThat(Addresses.problem("é".repeat(33) + "@x")).isPresent();
    }

    @Test
    void anAddressMayHoldTwoHundredFiftyFourOctets() {
        String domain = "d".repeat(250);
        assertThat(Addresses.problem("abc@" + domain)).isEmpty();
        assertThat(Addresses.problem("abcd@" + domain)).hasValueSatisfying(
                p -> assertThat(p).contains("longer than 254 octets").hasSizeLessThan(200));
    }

    @Test
    void emptyBlankAndControlAreRefused() {
        assertThat(Addresses.problem("")).contains("empty address");
        assertThat(Addresses.problem("a b@x")).isPresent();
        assertThat(Addresses.problem("a\u001b@x")).hasValueSatisfying(p -> assertThat(p).contains("a\\x1b@x"));
    }
}
