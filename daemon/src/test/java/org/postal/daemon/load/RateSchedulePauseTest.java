// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateSchedulePauseTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void pausedClaimsTakeNothingAndResumeStartsANewSegmentWithoutABacklog() {
        RateSchedule schedule = new RateSchedule(10, 0, 0);
        assertThat(schedule.claim(0)).isZero();
        assertThat(schedule.claim(0)).isEqualTo(SECOND / 10);
        assertThat(schedule.pause()).isTrue();
        assertThat(schedule.pause()).isFalse();
        assertThat(schedule.claim(SECOND)).isEqualTo(RateSchedule.PAUSED);
        assertThat(schedule.claimed()).isEqualTo(2);
        assertThat(schedule.resume(5 * SECOND)).isTrue();
        assertThat(schedule.resume(5 * SECOND)).isFalse();
        // Message 2 is due at the resume time, not at 0.2 s: the pause is a gap, not a debt.
        assertThat(schedule.claim(5 * SECOND)).isEqualTo(5 * SECOND);
        assertThat(schedule.claim(5 * SECOND)).isEqualTo(5 * SECOND + SECOND / 10);
    }

    @Test
    void waitersRunOnResumeOrStopAndAtOnceWhenNotPaused() {
        RateSchedule schedule = new RateSchedule(0, 0, 0);
        AtomicInteger woken = new AtomicInteger();
        schedule.whenResumed(woken::incrementAndGet);
        assertThat(woken).hasValue(1);
        schedule.pause();
        schedule.whenResumed(woken::incrementAndGet);
        schedule.whenResumed(woken::incrementAndGet);
        assertThat(woken).hasValue(1);
        schedule.resume(0);
        assertThat(woken).hasValue(3);
        schedule.pause();
        schedule.whenResumed(woken::incrementAndGet);
        schedule.stop();
        assertThat(woken).hasValue(4);
        assertThat(schedule.claim(0)).isEqualTo(RateSchedule.DONE);
    }
}
