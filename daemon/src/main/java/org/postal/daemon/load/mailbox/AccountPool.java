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

    /** The accounts, made once: a release is matched by identity (a list may name one account twice). */
    private final User[] accounts;
    private final java.util.IdentityHashMap<User, Integer> indexes = new java.util.IdentityHashMap<>();
    /** Account indexes: free ones before {@code freeCount}, taken ones after; {@code where} inverts it. */
    private final int[] free;
    private final int[] where;
    private int freeCount;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    AccountPool(UserPool users) {
        this.accounts = new User[users.size()];
        this.free = new int[users.size()];
        this.where = new int[users.size()];
        for (int i = 0; i < free.length; i++) {
            free[i] = i;
            where[i] = i;
            accounts[i] = users.get(i);
            indexes.put(accounts[i], i);
        }
        this.freeCount = free.length;
    }

    /**
     * Hands a free account to {@code then}, now or, when all are busy, once one is released; a
     * waiting session gets null if the run stops first ({@link #cancelWaiting}).
     */
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
        int index = free[random.nextInt(freeCount)];
        swap(where[index], --freeCount);
        return accounts[index];
    }

    private void swap(int a, int b) {
        int x = free[a];
        int y = free[b];
        free[a] = y;
        free[b] = x;
        where[y] = a;
        where[x] = b;
    }

    /** Gives an account back; the longest-waiting session, if any, gets a free account next. */
    void release(User user) {
        Waiter waiter;
        User next;
        synchronized (this) {
            Integer index = indexes.get(user);
            if (index == null || where[index] < freeCount) {
                throw new IllegalArgumentException("account not taken: " + user.address());
            }
            swap(where[index], freeCount++);
            waiter = waiters.poll();
            next = waiter == null ? null : take(waiter.random());
        }
        if (waiter != null) {
            User handed = next;
            waiter.executor().execute(() -> waiter.then().accept(handed));
        }
    }

    /** The run is stopping: every waiting session is told, with a null account; returns how many. */
    int cancelWaiting() {
        java.util.List<Waiter> cancelled;
        synchronized (this) {
            cancelled = new java.util.ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter waiter : cancelled) {
            waiter.executor().execute(() -> waiter.then().accept(null));
        }
        return cancelled.size();
    }

    synchronized int free() {
        return freeCount;
    }
}
