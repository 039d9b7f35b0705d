// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postal.daemon.ledger.Tally.Example;

/**
 * Names the match's examples: their recipients and postal's replies (which hold the server's
 * queue ids) come from a second read of postal's ledgers, stopped as soon as all are found, so
 * the first pass keeps no text per message.
 */
final class Examples {

    /** Ends the examples' second read early; thrown without a stack trace, caught in {@link #name}. */
    private static final class AllFound extends RuntimeException {
        AllFound() {
            super(null, null, false, false);
        }
    }

    private static final AllFound ALL_FOUND = new AllFound();

    private Examples() {
    }

    /** Names the examples' recipients and postal's reply texts (the queue ids) with a second read. */
    static void name(List<Path> senders, Map<Long, Tally> tallies) throws IOException {
        Map<Long, Map<Long, List<Example>>> wanted = new HashMap<>();
        for (Tally tally : tallies.values()) {
            for (List<Example> list : tally.examples.values()) {
                for (Example e : list) {
                    if (e.sequence >= 0) {
                        wanted.computeIfAbsent(e.run, r -> new HashMap<>())
                                .computeIfAbsent(RunTable.key((int) e.sequence, e.rcptHash), k -> new ArrayList<>())
                                .add(e);
                    }
                }
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        LedgerReader.Visitor fill = new LedgerReader.Visitor() {
            @Override
            public boolean section(String program, long run) {
                return program.equals("postal") && wanted.containsKey(run);
            }

            @Override
            public void record(long time, long run, long sequence, int rcptHash, Outcome outcome, int code,
                               long intended, byte[] line, int rcptFrom, int textFrom, int textTo) {
                Map<Long, List<Example>> byKey = wanted.get(run);
                List<Example> found = byKey == null || sequence < 0 || sequence >= Integer.MAX_VALUE ? null
                        : byKey.remove(RunTable.key((int) sequence, rcptHash));
                if (found != null) {
                    for (Example e : found) {
                        if (e.rcpt == null) {
                            e.rcpt = field(line, rcptFrom);
                        }
                        String reply = (code > 0 ? code + " " : "") + text(line, textFrom, textTo);
                        e.reply = e.reply == null ? reply : e.reply + "; postal: " + reply;
                    }
                    if (byKey.isEmpty()) {
                        wanted.remove(run);
                    }
                    if (wanted.isEmpty()) {
                        throw ALL_FOUND; // the rest of the ledgers holds nothing wanted
                    }
                }
            }
        };
        try {
            for (Path file : senders) {
                LedgerReader.read(file, fill);
            }
        } catch (AllFound done) {
            // every example named
        }
    }

    static String field(byte[] line, int from) {
        int to = from;
        while (line[to] != '\t') {
            to++;
        }
        return new String(line, from, to - from, StandardCharsets.UTF_8);
    }

    static String text(byte[] line, int from, int to) {
        return from >= to ? "" : new String(line, from, to - from, StandardCharsets.UTF_8);
    }
}
