// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

/**
 * Counters a load generator keeps beyond the ones every kind has (messages, data, errors,
 * connections, TLS connections): which a program keeps is part of its {@link LoadKind}.
 *
 * @param key        the JSON key, in statistics lines and {@code postalctl stats}
 * @param column     the CSV column title
 * @param beforeRate whether the CSV column stands among 0.76's (before {@code rate/s}) or after the latencies
 */
public enum Counter {
    /** rabid: sessions that spoke IMAP (0.76's seventh column). */
    IMAP_CONNECTIONS("imap_connections", "IMAP connections", true),
    /** rabid: retrieved messages whose X-PostalHash matched. */
    VERIFIED("verified", "verified", false),
    /** rabid: retrieved messages whose X-PostalHash did not match. */
    CORRUPT("corrupt", "corrupt", false),
    /** postal: sessions it closed without QUIT on purpose (--abandon). */
    ABANDONED("abandoned", "abandoned", false);

    private final String key;
    private final String column;
    private final boolean beforeRate;

    Counter(String key, String column, boolean beforeRate) {
        this.key = key;
        this.column = column;
        this.beforeRate = beforeRate;
    }

    public String key() {
        return key;
    }

    public String column() {
        return column;
    }

    public boolean beforeRate() {
        return beforeRate;
    }
}
