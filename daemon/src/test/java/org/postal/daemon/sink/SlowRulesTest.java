// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The slow-server rules as bhm.conf and postalctl set write them, and the reply-delay draws. */
class SlowRulesTest {

    @Test
    void everyKeyIsReadAndDescribedBack() {
        SinkRules rules = SinkRules.of(new LinkedHashMap<>(Map.ofEntries(
                Map.entry("receive-window", "4KiB"), Map.entry("read-rate", "64"), Map.entry("read-pause", "20ms"),
                Map.entry("stall", "data:5s"), Map.entry("reply-delay", "uniform:100ms-2s"),
                Map.entry("reply-delay-seed", "42"), Map.entry("reply-rate", "512B"), Map.entry("tarpit-soft", "10"),
                Map.entry("tarpit-sleep", "1s"), Map.entry("tarpit-hard", "20"), Map.entry("message-rate", "30/min"),
                Map.entry("recipient-rate", "100"), Map.entry("recipient-limit", "50"))));
        Map<String, Object> out = rules.describe();
        assertThat(out).containsEntry("receive_window", 4096L).containsEntry("read_rate", 65536L)
                .containsEntry("read_pause", "20ms").containsEntry("stall", "data:5s")
                .containsEntry("reply_delay", "uniform:100ms-2s").containsEntry("reply_delay_seed", 42L)
                .containsEntry("reply_rate", 512L).containsEntry("tarpit_soft", 10L).containsEntry("tarpit_sleep", "1s")
                .containsEntry("tarpit_hard", 20L).containsEntry("message_rate", 30L)
                .containsEntry("recipient_rate", 100L).containsEntry("recipient_limit", 50L);
        assertThat(rules.describe("stall")).isEqualTo("stall = data:5s");
        assertThat(SinkRules.names("tarpit-soft")).isTrue();
        assertThat(rules.with("stall", "off").slow().stall()).isEqualTo(SlowRules.Stall.NONE);
    }

    @Test
    void badValuesNameTheKeyAndChangeNothing() {
        assertThatThrownBy(() -> SinkRules.NONE.with("stall", "later:5s")).hasMessageContaining("stall takes");
        assertThatThrownBy(() -> SinkRules.NONE.with("reply-delay", "gauss:1s")).hasMessageContaining("reply-delay takes");
        assertThatThrownBy(() -> SinkRules.NONE.with("reply-delay", "uniform:2s-1s")).hasMessageContaining("LOW <= HIGH");
        assertThatThrownBy(() -> SinkRules.NONE.with("reply-delay", "11m")).hasMessageContaining("0..10m");
        assertThatThrownBy(() -> SinkRules.NONE.with("tarpit-soft", "-1")).hasMessageContaining("takes a count");
        assertThatThrownBy(() -> SinkRules.of(Map.of("read-rate", "fast"))).hasMessageStartingWith("read-rate: bad size");
    }

    @Test
    void replyDelaysFollowTheirDistributionAndTheSeed() {
        assertThat(ReplyDelay.parse("off").draw(new SplittableRandom(1))).isZero();
        assertThat(ReplyDelay.parse("250ms").draw(new SplittableRandom(1))).isEqualTo(250_000_000L);
        long[] uniform = draws("uniform:100ms-200ms", 7);
        assertThat(Arrays.stream(uniform).min().orElseThrow()).isGreaterThanOrEqualTo(100_000_000L);
        assertThat(Arrays.stream(uniform).max().orElseThrow()).isLessThanOrEqualTo(200_000_000L);
        assertThat(draws("uniform:100ms-200ms", 7)).as("one seed, one sequence").isEqualTo(uniform);
        assertThat(Arrays.stream(draws("list:10ms,20ms,30ms", 3)).distinct().sorted().toArray())
                .containsExactly(10_000_000L, 20_000_000L, 30_000_000L);
        double mean = Arrays.stream(draws("exp:100ms", 11)).average().orElseThrow();
        // 10,000 draws of an exponential: the mean's standard error is 1 ms.
        assertThat(mean).isBetween(95e6, 105e6);
        assertThat(ReplyDelay.parse("exp:100ms").describe()).isEqualTo("exp:100ms");
        assertThat(ReplyDelay.parse("list:10ms,1s").describe()).isEqualTo("list:10ms,1s");
    }

    private static long[] draws(String text, long seed) {
        ReplyDelay delay = ReplyDelay.parse(text);
        SplittableRandom random = new SplittableRandom(seed);
        long[] out = new long[10_000];
        for (int i = 0; i < out.length; i++) {
            out[i] = delay.draw(random);
        }
        return out;
    }
}
