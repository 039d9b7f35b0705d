// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sizes in octets, and in whole KiB for postal's -m and -M. */
class SizesTest {

    @ParameterizedTest
    @CsvSource({"0, 0", "10, 10240", "512B, 512", "10KiB, 10240", "10K, 10240", "40MiB, 41943040", "1GiB, 1073741824"})
    void octets(String text, long octets) {
        assertThat(Sizes.parse(text)).isEqualTo(octets);
    }

    @ParameterizedTest
    @CsvSource({"10, 10", "0KiB, 0", "64KiB, 64", "2MiB, 2048", "1024B, 1"})
    void kibibytes(String text, long kib) {
        assertThat(new Sizes.KibConverter().convert(text)).isEqualTo(kib);
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> Sizes.parse("10 KB")).hasMessageStartingWith("bad size \"10 KB\"");
        assertThatThrownBy(() -> Sizes.parse("-1")).hasMessageStartingWith("bad size \"-1\"");
        assertThatThrownBy(() -> new Sizes.KibConverter().convert("100B"))
                .hasMessage("size \"100B\" is not a whole number of KiB");
    }
}
