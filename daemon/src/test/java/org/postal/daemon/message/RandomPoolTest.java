// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RandomPoolTest {
    private final RandomPool pool = RandomPool.create(42, 1000, 5000);

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() {
        try (RandomPool same = RandomPool.create(42, 1000, 5000);
             RandomPool other = RandomPool.create(43, 1000, 5000)) {
            assertThat(bytes(same, 0, same.capacity())).isEqualTo(bytes(pool, 0, pool.capacity()));
            assertThat(bytes(other, 0, other.capacity())).isNotEqualTo(bytes(pool, 0, pool.capacity()));
        }
    }

    @Test
    void linesAreAlphabetCharactersEndingInCrlfWithLengthsAs076DrawsThem() {
        int linesEnd = pool.capacity() - 5000;
        String text = new String(bytes(pool, pool.lineStart(0), linesEnd - pool.lineStart(0)),
                java.nio.charset.StandardCharsets.US_ASCII);
        String[] lines = text.split("\r\n", -1);
        assertThat(lines[lines.length - 1]).isEmpty();
        for (int i = 0; i < lines.length - 1; i++) {
            assertThat(lines[i].length()).isBetween(0, 76);
            assertThat(lines[i].chars()).allMatch(c -> RandomPool.ALPHABET.indexOf(c) >= 0);
        }
        assertThat(RandomPool.ALPHABET).hasSize(95).doesNotContain(".");
    }

    @Test
    void theRepeatRegionContinuesTheLinesSoLineStartsRepeatEveryLap() {
        int first = pool.lineStart(0);
        int lap = pool.capacity() - 5000 - first;
        assertThat(lap).isGreaterThanOrEqualTo(1000);
        assertThat(bytes(pool, first + lap, 2000)).isEqualTo(bytes(pool, first, 2000));
        for (int line = 0; line < pool.lineCount(); line++) {
            int start = pool.lineStart(line);
            assertThat(pool.lineStartAtOrBefore(start)).isEqualTo(start);
            assertThat(pool.lineStartAtOrBefore(start + lap)).isEqualTo(start + lap);
            assertThat(pool.lineStartAtOrBefore(start + 3 * lap)).isEqualTo(start + 3 * lap);
        }
        int second = pool.lineStart(1);
        assertThat(pool.lineStartAtOrBefore(second - 1)).isEqualTo(first);
        assertThat(pool.lineStartAtOrBefore(first + 2 * lap - 1))
                .isEqualTo(pool.lineStart(pool.lineCount() - 1) + lap);
    }

    @Test
    void tailLinesEndInCrlfAfter77Characters() {
        for (int line = 0; line < RandomPool.TAIL_LINES; line++) {
            byte[] tail = bytes(pool, pool.tailLineEnd(line) - RandomPool.TAIL_LINE, RandomPool.TAIL_LINE);
            assertThat(new String(tail, 0, 77, java.nio.charset.StandardCharsets.US_ASCII))
                    .doesNotContain("\r", "\n", ".");
            assertThat(tail[77]).isEqualTo((byte) '\r');
            assertThat(tail[78]).isEqualTo((byte) '\n');
        }
    }

    @Test
    void slicesAreReadOnlyAndHoldThePoolUntilReleased() {
        ByteBuf slice = pool.slice(100, 10);
        assertThat(pool.refCnt()).isEqualTo(2);
        assertThatThrownBy(() -> slice.setByte(0, 'x')).isInstanceOf(ReadOnlyBufferException.class);
        slice.release();
        assertThat(pool.refCnt()).isEqualTo(1);
        assertThat(pool.slice(100, 0).readableBytes()).isZero();
        assertThat(pool.refCnt()).isEqualTo(1);
    }

    @Test
    void sizesOutOfRangeAreRejected() {
        assertThatThrownBy(() -> RandomPool.create(1, 10, 100)).hasMessageContaining("10 bytes");
        assertThatThrownBy(() -> RandomPool.create(1, 1000, 40960 * 1024 + 1)).hasMessageContaining("41943041");
    }

    private static byte[] bytes(RandomPool pool, int index, int length) {
        ByteBuf slice = pool.slice(index, length);
        try {
            return ByteBufUtil.getBytes(slice);
        } finally {
            slice.release();
        }
    }
}
