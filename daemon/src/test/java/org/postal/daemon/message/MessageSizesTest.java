// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MessageSizesTest {
    private final SplittableRandom random = new SplittableRandom(76);

    @Test
    void rangesOutside0To40960OrReversedAreRejectedWithTheValue() {
        assertThatThrownBy(() -> new MessageSizes(-1, 10)).hasMessageContaining("-1");
        assertThatThrownBy(() -> new MessageSizes(0, 40961)).hasMessageContaining("40961");
        assertThatThrownBy(() -> new MessageSizes(5, 4)).hasMessageContaining("4 KiB");
        assertThat(new MessageSizes(0, 40960).maxBytes()).isEqualTo(40960 * 1024);
    }

    @Test
    void drawsAreUniformInMinTimes1024ToMaxTimes1024MinusOne() {
        MessageSizes sizes = new MessageSizes(1, 2);
        int low = Integer.MAX_VALUE;
        int high = 0;
        for (int i = 0; i < 100_000; i++) {
            int size = sizes.draw(random);
            low = Math.min(low, size);
            high = Math.max(high, size);
        }
        assertThat(low).isEqualTo(1024);
        assertThat(high).isEqualTo(2047);
    }

    @Test
    void equalBoundsGiveExactlyMaxAndZeroGivesHeadersOnly() {
        assertThat(new MessageSizes(3, 3).draw(random)).isEqualTo(3072);
        assertThat(new MessageSizes(0, 0).draw(random)).isZero();
    }

    @Test
    void subjectStyleParsesCaseInsensitivelyAndRejectsOtherWords() {
        assertThat(SubjectStyle.parse("NetScape")).isEqualTo(SubjectStyle.NETSCAPE);
        assertThat(SubjectStyle.parse("nonetscape")).isEqualTo(SubjectStyle.NONETSCAPE);
        assertThatThrownBy(() -> SubjectStyle.parse("mozilla")).hasMessageContaining("mozilla");
    }

    @Test
    void autoSignsWithRealMd5() {
        assertThat(new MessageSpec(MessageSizes.DEFAULT, SubjectStyle.PLAIN, HashMode.AUTO).signingMode())
                .isEqualTo(HashMode.MD5);
        assertThat(new MessageSpec(MessageSizes.DEFAULT, SubjectStyle.PLAIN, HashMode.MD5_LP64).signingMode())
                .isEqualTo(HashMode.MD5_LP64);
    }
}
