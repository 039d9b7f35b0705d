// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HashModeTest {

    @Test
    void parsesTheCommandLineWords() {
        assertThat(HashMode.parse("auto")).isEqualTo(HashMode.AUTO);
        assertThat(HashMode.parse("md5")).isEqualTo(HashMode.MD5);
        assertThat(HashMode.parse("md5-lp64")).isEqualTo(HashMode.MD5_LP64);
        for (HashMode mode : HashMode.values()) {
            assertThat(HashMode.parse(mode.word())).isEqualTo(mode);
        }
    }

    @Test
    void rejectsOtherWordsNamingTheValueAndTheChoices() {
        assertThatThrownBy(() -> HashMode.parse("MD5_LP64"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown hash mode \"MD5_LP64\", expected one of auto, md5, md5-lp64");
        assertThatThrownBy(() -> HashMode.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"\"");
        assertThatThrownBy(() -> HashMode.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"null\"");
    }

    @Test
    void autoComputesBothDigests() {
        assertThat(HashMode.AUTO.computesMd5()).isTrue();
        assertThat(HashMode.AUTO.computesMd5Lp64()).isTrue();
        assertThat(HashMode.MD5.computesMd5Lp64()).isFalse();
        assertThat(HashMode.MD5_LP64.computesMd5()).isFalse();
    }
}
