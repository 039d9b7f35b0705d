// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postal.daemon.message.Verdict;

/**
 * What bhm and rabid do with each message they receive or fetch: write it to the ledger (one line
 * per recipient or mailbox) and check it against the messages seen before, so duplicates are
 * counted live. Thread-safe; one per program.
 *
 * <p>The live check keys on the identity alone, a {@link SeenBitmap} per run: a message that
 * comes again is a duplicate for every recipient it comes for. A relay that splits one message's
 * recipients over several transactions therefore shows the later parts here as duplicates;
 * postal-match, which has the senders' ledgers, matches each (identity, recipient) exactly.
 * At most {@value #MAX_RUNS} runs are tracked, so memory is bounded by the bitmaps.
 */
public final class Arrivals implements AutoCloseable {
    static final int MAX_RUNS = 4096;

    private final LedgerWriter ledger;
    private final Map<Long, SeenBitmap> runs = new HashMap<>();
    private long untracked;

    private Arrivals(LedgerWriter ledger) {
        this.ledger = ledger;
    }

    /** Arrivals that only count duplicates. */
    public static Arrivals counting() {
        return new Arrivals(null);
    }

    /** Arrivals that count duplicates and, when {@code file} is not null, write a ledger as {@code program}. */
    public static Arrivals open(Path file, String program, String name) throws IOException {
        return new Arrivals(file == null ? null : LedgerWriter.open(file, program, name, ""));
    }

    /**
     * One message received for {@code recipients} (bhm) or fetched from one mailbox (rabid), with
     * its hash verdict. Returns how many of those recipients had had it already.
     */
    public int arrived(Verdict verdict, List<String> recipients) {
        Identity id = Identity.parse(verdict.messageId());
        int duplicates = id != null && seenBefore(id) ? recipients.size() : 0;
        if (ledger != null) {
            long now = System.currentTimeMillis();
            Outcome outcome = switch (verdict.status()) {
                case VERIFIED -> Outcome.VERIFIED;
                case CORRUPT -> Outcome.CORRUPT;
                case UNSIGNED -> Outcome.UNSIGNED;
            };
            String text = id == null ? verdict.messageId() : null;
            for (String rcpt : recipients) {
                ledger.record(now, id, rcpt, outcome, 0, null, -1, text);
            }
        }
        return duplicates;
    }

    private synchronized boolean seenBefore(Identity id) {
        SeenBitmap seen = runs.get(id.run());
        if (seen == null) {
            if (runs.size() >= MAX_RUNS) {
                untracked++;
                return false;
            }
            seen = new SeenBitmap();
            runs.put(id.run(), seen);
        }
        return seen.mark(id.sequence());
    }

    /** Messages of runs past {@value #MAX_RUNS} that were not checked. */
    public synchronized long untracked() {
        return untracked;
    }

    @Override
    public void close() {
        if (ledger != null) {
            ledger.close();
        }
    }
}
