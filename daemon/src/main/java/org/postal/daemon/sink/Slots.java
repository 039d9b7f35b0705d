// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.util.BitSet;

/**
 * The numbered session slots of 0.76 (its -t): a session takes the lowest free number, 1..size.
 *
 * <p>The number names -z/-Z transcript files; the count bounds concurrent sessions.
 */
final class Slots {

    private final int size;
    private final BitSet used;
    private final int[] connections;

    Slots(int size) {
        this.size = size;
        this.used = new BitSet(size + 1);
        this.connections = new int[size + 1];
    }

    /** Takes a free slot, or returns 0 when all are busy. */
    synchronized int acquire() {
        int slot = used.nextClearBit(1);
        if (slot > size) {
            return 0;
        }
        used.set(slot);
        connections[slot]++;
        return slot;
    }

    /** How many sessions this slot has had, counting the current one from 0. */
    synchronized int connectionNumber(int slot) {
        return connections[slot] - 1;
    }

    synchronized void release(int slot) {
        if (slot > 0) {
            used.clear(slot);
        }
    }

    synchronized int inUse() {
        return used.cardinality();
    }
}
