// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.postal.daemon.load.UserPool;
import org.postal.daemon.load.UserPool.User;

/**
 * rabid's accounts, each used by at most one session at a time.
 *
 * <p>A session takes a free account at random; when none is free it waits in line and gets the
 * next one released, on its own executor. 0.76 instead stepped through the list under a lock and
 * spun forever when there were more threads than accounts.
 */
final class AccountPool {

    private record Waiter(Executor executor, SplittableRandom random, Consumer<User> then) {
    }

    private final UserPool users;
    private final int[] free;
    private int freeCount;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    AccountPool(UserPool users) {
        this.users = users;
        this.free = new int[users.size()];
        for (int i = 0; i < free.length; i++) {
            free[i] = i;
        }
        this.freeCount = free.length;
    }

    /** Hands a free account to {@code then}, now or, when all are busy, once one is released. */
    void acquire(Executor executor, SplittableRandom random, Consumer<User> then) {
        User user;
        synchronized (this) {
            if (freeCount == 0) {
                waiters.add(new Waiter(executor, random, then));
                return;
            }
            user = take(random);
        }
        then.accept(user);
    }

    private User take(SplittableRandom random) {
        int pick = random.nextInt(freeCount);
        int index = free[pick];
        free[pick] = free[--freeCount];
        free[freeCount] = index;
        return users.get(index);
    }

    /** Gives an account back; the longest-waiting session, if any, gets a free account next. */
    void release(User user) {
        Waiter waiter;
        User next;
        synchronized (this) {
            int at = positionOf(user);
            int index = free[at];
            free[at] = free[freeCount];
            free[freeCount++] = index;
            waiter = waiters.poll();
            next = waiter == null ? null : take(waiter.random());
        }
        if (waiter != null) {
            User handed = next;
            waiter.executor().execute(() -> waiter.then().accept(handed));
        }
    }

    /** Drops every waiting session (the run is stopping); returns how many there were. */
    synchronized int cancelWaiting() {
        int n = waiters.size();
        waiters.clear();
        return n;
    }

    /** Where a taken account sits in the busy part of {@code free} (positions freeCount and up). */
    private int positionOf(User user) {
        for (int i = freeCount; i < free.length; i++) {
            if (users.get(free[i]) == user) {
                return i;
            }
        }
        throw new IllegalArgumentException("account not taken: " + user.address());
    }

    synchronized int free() {
        return freeCount;
    }
}
