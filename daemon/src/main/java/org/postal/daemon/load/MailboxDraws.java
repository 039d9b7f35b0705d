// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.util.SplittableRandom;

/**
 * rabid's workload draws in one place: per session, IMAP or POP3 (-i) and whether to ask for TLS
 * (-s); per listed message, whether to retrieve it (-d D) and, once retrieved, to delete it (X).
 * Each slot has its own, from its own split of the --seed, so a run repeats with the same seed.
 */
public final class MailboxDraws {

    private final SplittableRandom random;
    private final int imapPercent;
    private final int tlsPercent;
    private final int retrievePercent;
    private final int deletePercent;

    /** Percentages 0..100 each. */
    public MailboxDraws(SplittableRandom random, int imapPercent, int tlsPercent, int retrievePercent,
                        int deletePercent) {
        this.random = random;
        this.imapPercent = percent(imapPercent, "IMAP");
        this.tlsPercent = percent(tlsPercent, "TLS");
        this.retrievePercent = percent(retrievePercent, "retrieve");
        this.deletePercent = percent(deletePercent, "delete");
    }

    private static int percent(int value, String what) {
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException(what + " percentage out of range 0..100: " + value);
        }
        return value;
    }

    /** The random source the draws come from, for what else the slot picks (a server, a source address). */
    public SplittableRandom random() {
        return random;
    }

    public boolean imap() {
        return draw(imapPercent);
    }

    public boolean tls() {
        return draw(tlsPercent);
    }

    public boolean retrieve() {
        return draw(retrievePercent);
    }

    public boolean delete() {
        return draw(deletePercent);
    }

    // 0 and 100 draw nothing, so the sequence of the other draws does not depend on them.
    private boolean draw(int percent) {
        return percent == 100 || (percent > 0 && random.nextInt(100) < percent);
    }
}
