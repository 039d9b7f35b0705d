// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.postal.daemon.load.UserPool;
import org.postal.daemon.load.UserPool.User;

class AccountPoolTest {

    private final UserPool users = UserPool.of(List.of(new User("a@x", "1"), new User("b@x", "2"),
            new User("c@x", "3")));
    private final SplittableRandom random = new SplittableRandom(7);

    @Test
    void eachAccountGoesToOneSessionAtATime() {
        AccountPool pool = new AccountPool(users);
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            pool.acquire(Runnable::run, random, u -> assertThat(taken.add(u.address())).isTrue());
        }
        assertThat(taken).hasSize(3);
        assertThat(pool.free()).isZero();
    }

    @Test
    void moreSessionsThanAccountsWaitInLineInsteadOfSpinning() {
        AccountPool pool = new AccountPool(users);
        List<User> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pool.acquire(Runnable::run, random, held::add);
        }
        List<User> late = new ArrayList<>();
        pool.acquire(Runnable::run, random, late::add);
        pool.acquire(Runnable::run, random, late::add);
        assertThat(late).isEmpty();
        pool.release(held.get(1));
        assertThat(late).containsExactly(held.get(1));
        pool.release(held.get(0));
        assertThat(late).containsExactly(held.get(1), held.get(0));
        assertThat(pool.cancelWaiting()).isZero();
    }

    @Test
    void releasedAccountsAreAllTakenAgainExactlyOnce() {
        AccountPool pool = new AccountPool(users);
        for (int round = 0; round < 50; round++) {
            List<User> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                pool.acquire(Runnable::run, random, held::add);
            }
            assertThat(new HashSet<>(held)).hasSize(3);
            java.util.Collections.shuffle(held, new java.util.Random(round));
            held.forEach(pool::release);
            assertThat(pool.free()).isEqualTo(3);
        }
    }

    @Test
    void releasingAnAccountNotTakenIsABug() {
        AccountPool pool = new AccountPool(users);
        assertThatThrownBy(() -> pool.release(users.get(0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStoppingRunDropsWaiters() {
        AccountPool pool = new AccountPool(UserPool.of(List.of(new User("a@x", "1"))));
        pool.acquire(Runnable::run, random, u -> { });
        pool.acquire(Runnable::run, random, u -> { });
        assertThat(pool.cancelWaiting()).isEqualTo(1);
    }
}
