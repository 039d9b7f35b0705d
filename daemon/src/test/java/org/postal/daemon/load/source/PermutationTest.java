// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PermutationTest {

    /** Draws one cycle and says that each of 0..n-1 came exactly once (a bit set of n bits). */
    private static void coversOnce(Permutation p) {
        int n = Math.toIntExact(p.size());
        BitSet seen = new BitSet(n);
        for (int i = 0; i < n; i++) {
            int value = Math.toIntExact(p.next());
            assertThat(seen.get(value)).as("%d drawn twice within one cycle", value).isFalse();
            seen.set(value);
        }
        assertThat(seen.cardinality()).isEqualTo(n);
    }

    @ParameterizedTest
    @EnumSource(Permutation.Order.class)
    void coversAll16MillionAddressesOfASlash8Once(Permutation.Order order) {
        coversOnce(new Permutation(1L << 24, order, 42));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 5, 255, 256, 257, 1000, 65_535, 99_991})
    void coversOddSizesOnceWithSkippedValues(long n) {
        coversOnce(new Permutation(n, Permutation.Order.RANDOM, n));
    }

    @Test
    void theSecondCycleRepeatsTheFirstAndStillCoversAll() {
        Permutation p = new Permutation(1000, Permutation.Order.RANDOM, 7);
        long[] first = LongStream.range(0, 1000).map(i -> p.next()).toArray();
        long[] second = LongStream.range(0, 1000).map(i -> p.next()).toArray();
        assertThat(second).containsExactly(first);
    }

    @Test
    void randomIsKeyedBySeedAndNotTheCounter() {
        long[] a = draw(new Permutation(1 << 16, Permutation.Order.RANDOM, 1), 20);
        long[] b = draw(new Permutation(1 << 16, Permutation.Order.RANDOM, 2), 20);
        long[] again = draw(new Permutation(1 << 16, Permutation.Order.RANDOM, 1), 20);
        assertThat(a).containsExactly(again).isNotEqualTo(b);
        assertThat(a).isNotEqualTo(LongStream.range(0, 20).toArray());
    }

    @Test
    void sequentialCountsUpFromZeroAndWraps() {
        assertThat(draw(new Permutation(3, Permutation.Order.SEQUENTIAL, 99), 7)).containsExactly(0, 1, 2, 0, 1, 2, 0);
    }

    @Test
    void refusesEmptyAndOversizedSets() {
        assertThrows(IllegalArgumentException.class, () -> new Permutation(0, Permutation.Order.RANDOM, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Permutation((1L << 62) + 1, Permutation.Order.RANDOM, 1));
    }

    @Test
    void drawsFromTheLargestSetInRange() {
        Permutation p = new Permutation(1L << 62, Permutation.Order.RANDOM, 3);
        assertThat(java.util.Arrays.stream(draw(p, 100)).boxed().toList()).allMatch(v -> v >= 0 && v < 1L << 62).doesNotHaveDuplicates();
    }

    private static long[] draw(Permutation p, int count) {
        return LongStream.range(0, count).map(i -> p.next()).toArray();
    }
}
