// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

/**
 * When the endpoint was scraped, so that a stopping program serves one scrape more: a run's counts
 * change up to its last moment, and a Prometheus that scrapes every 15 s would otherwise keep
 * totals up to 15 s old as the run's final ones.
 */
final class LastScrape {

    /** The longest a stop waits for that scrape. */
    private static final long MAX_WAIT_NANOS = 30_000_000_000L;

    private static final long GRACE_MILLIS = 300;

    private long previous;
    private long latest;
    private int seen;
    private long stoppingSince;
    private boolean stopping;

    /** Called on every scrape; true once the program is stopping (that scrape is the last). */
    synchronized boolean scraped() {
        previous = latest;
        latest = System.nanoTime();
        seen++;
        notifyAll();
        return stopping;
    }

    /**
     * Waits for a scrape that starts after this call, when at least two have come before: up to
     * twice the gap between the last two (a missed scrape is allowed for), and never over 30 s.
     */
    synchronized void await() {
        stopping = true;
        stoppingSince = System.nanoTime();
        if (seen < 2) {
            return;   // no scraper with a period (at most a look by hand): nothing to wait for
        }
        long gap = latest - previous;
        long deadline = stoppingSince + Math.min(MAX_WAIT_NANOS, 2 * gap + 1_000_000_000L);
        int before = seen;
        try {
            for (long left = deadline - System.nanoTime(); seen == before && left > 0;
                    left = deadline - System.nanoTime()) {
                wait(Math.max(1, left / 1_000_000));
            }
            if (seen != before) {
                // The scrape has read the counts; its answer is still being written, and closing the
                // server now would cut it off.
                wait(GRACE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
