// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.postal.daemon.ledger.Tally.Example;
import org.postal.daemon.ledger.Tally.Kind;

/**
 * Matches postal's ledgers against bhm's or rabid's: every (identity, recipient) postal recorded
 * is looked up by run and sequence in a {@link RunTable}, each arrival marks it, and a final pass
 * classifies what was never, once or more than once received.
 *
 * <p>A message accepted within the cut-off of the receivers' end (the earliest end of any
 * receiver's ledger: its {@code #end} time, or its last record when it was cut) is in flight, not
 * lost, so a receiver's ledger cut by a crash never yields false losses. Arrivals of a run whose
 * postal ledger was cut, for sequences it does not hold, are "unrecorded" rather than unexpected.
 */
public final class Match {

    /**
     * @param cutoffMillis how close to the receivers' end an accepted message may be and still be in flight
     * @param examples     how many identities of each bad class to name
     * @param lists        the recipients postal named are list addresses: arrivals for other
     *                     recipients are the list's fan-out, not misdeliveries
     */
    public record Options(long cutoffMillis, int examples, boolean lists) {
        public Options {
            if (cutoffMillis < 0 || examples < 0) {
                throw new IllegalArgumentException("cut-off and examples must not be negative");
            }
        }
    }

    /** What a match found: the ledgers read, a tally per run and the totals. */
    public record Result(List<Section> sections, Map<Long, Tally> runs, Tally unmatched, Tally total,
                         long receiversEnd) {
        /** True when something was lost, duplicated (by the server or a retry) or corrupted. */
        public boolean failed() {
            return total.failed();
        }
    }

    private final Options options;
    private final Map<Long, RunTable> runs = new HashMap<>();
    private final Tally unmatched = new Tally();
    private long base = Long.MIN_VALUE;

    public Match(Options options) {
        this.options = options;
    }

    /** Reads every file (postal's first, whatever the order given) and matches them. */
    public Result run(List<Path> files) throws IOException {
        List<Path> senders = new ArrayList<>();
        List<Path> receivers = new ArrayList<>();
        for (Path file : files) {
            String program = LedgerReader.program(file);
            if (program == null) {
                throw new IOException(file + ": not a postal ledger (no #postal-ledger line first)");
            }
            (program.equals("postal") ? senders : receivers).add(file);
        }
        if (senders.isEmpty() || receivers.isEmpty()) {
            throw new IOException("need at least one postal ledger and one bhm or rabid ledger");
        }
        List<Section> sections = new ArrayList<>();
        Map<Long, Section> writers = new HashMap<>();
        for (Path file : senders) {
            for (Section s : LedgerReader.read(file, new Sent())) {
                Section before = writers.putIfAbsent(s.run(), s);
                if (before != null) {
                    // One run is one section; two would merge two runs' sequences into nonsense.
                    throw new IOException("run " + Identity.runText(s.run()) + " is in two postal ledger sections ("
                            + before.file() + ", " + s.file() + "): a ledger given twice?");
                }
                sections.add(s);
            }
        }
        for (Section s : sections) {
            RunTable t = runs.get(s.run());
            if (t != null && !s.complete()) {
                t.cut = true;
            }
        }
        long end = Long.MAX_VALUE;
        for (Path file : receivers) {
            for (Section s : LedgerReader.read(file, new Received())) {
                sections.add(s);
                end = Math.min(end, s.end());
            }
        }
        Map<Long, Tally> tallies = new TreeMap<>(Long::compareUnsigned);
        Tally total = new Tally();
        for (RunTable t : runs.values()) {
            classify(t, offset(end));
            tallies.put(t.run, t.tally);
            total.add(t.tally);
        }
        total.add(unmatched);
        Examples.name(senders, tallies);
        return new Result(sections, tallies, unmatched, total, end);
    }

    private int offset(long time) {
        if (base == Long.MIN_VALUE) {
            base = time;
        }
        long d = time - base;
        return (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, d));
    }

    /** Records of postal's ledgers: what the server answered for each message and recipient. */
    private final class Sent implements LedgerReader.Visitor {
        @Override
        public boolean section(String program, long run) {
            return program.equals("postal");
        }

        @Override
        public void record(long time, long run, long sequence, int rcptHash, Outcome outcome, int code,
                           long intended, byte[] line, int rcptFrom, int textFrom, int textTo) {
            boolean unanswered = outcome == Outcome.UNANSWERED;
            int bits = RunTable.outcomeBits(outcome);
            if (sequence < 0 || sequence >= Integer.MAX_VALUE || bits == 0 && !unanswered) {
                return;
            }
            int s = (int) sequence;
            RunTable t = runs.computeIfAbsent(run, RunTable::new);
            t.ensure(s);
            t.size = Math.max(t.size, s + 1);
            if (t.state[s] == 0 || t.rcpt[s] == rcptHash) {
                t.rcpt[s] = rcptHash;
                if ((t.state[s] & RunTable.UNANSWERED) == 0) {
                    t.answered[s] = offset(time); // a resent message's latency counts from its first sending
                }
                t.state[s] = answer(t.state[s], bits, unanswered);
            } else {
                RunTable.Extra e = t.extras.computeIfAbsent(RunTable.key(s, rcptHash), RunTable.Extra::new);
                if ((e.state & RunTable.UNANSWERED) == 0) {
                    e.answered = offset(time);
                }
                e.state = answer(e.state, bits, unanswered);
                t.state[s] |= RunTable.EXTRAS;
            }
        }
    }

    /** A state with postal's answer (or one more unanswered attempt) recorded. */
    private static byte answer(int state, int bits, boolean unanswered) {
        return (byte) (unanswered ? RunTable.unanswered(state) : state & ~RunTable.OUTCOME | bits);
    }

    /** Records of bhm's and rabid's ledgers: each arrival marks what postal sent. */
    private final class Received implements LedgerReader.Visitor {
        @Override
        public boolean section(String program, long run) {
            return !program.equals("postal");
        }

        @Override
        public void record(long time, long run, long sequence, int rcptHash, Outcome outcome, int code,
                           long intended, byte[] line, int rcptFrom, int textFrom, int textTo) {
            RunTable t = sequence < 0 ? null : runs.get(run);
            if (t == null) {
                unmatched.count(Kind.UNEXPECTED, 1);
                unmatched.example(Kind.UNEXPECTED, options.examples(), new Example(run, sequence, rcptHash,
                        Examples.field(line, rcptFrom), sequence < 0 ? Examples.text(line, textFrom, textTo) : null));
                return;
            }
            if (!t.sent(sequence)) {
                Kind kind = t.cut ? Kind.UNRECORDED : Kind.UNEXPECTED;
                t.tally.count(kind, 1);
                t.tally.example(kind, options.examples(), new Example(run, sequence, rcptHash, Examples.field(line, rcptFrom), ""));
                return;
            }
            int s = (int) sequence;
            int at = offset(time);
            boolean corrupt = outcome == Outcome.CORRUPT;
            if (t.rcpt[s] == rcptHash) {
                t.count[s] = RunTable.more(t.count[s]);
                if (t.first[s] == RunTable.NONE) {
                    t.first[s] = at;
                }
                if (corrupt) {
                    t.state[s] |= RunTable.CORRUPT;
                }
                return;
            }
            RunTable.Extra e = (t.state[s] & RunTable.EXTRAS) == 0 ? null : t.extras.get(RunTable.key(s, rcptHash));
            if (e != null && (e.state & RunTable.MEMBER) != 0) {
                member(t, e, corrupt, line, rcptFrom);
            } else if (e != null) {
                e.count = RunTable.more(e.count);
                if (e.first == RunTable.NONE) {
                    e.first = at;
                }
                if (corrupt) {
                    e.state |= RunTable.CORRUPT;
                }
            } else if (options.lists()) {
                // A list member postal never named: the post reached one more recipient.
                e = t.extras.computeIfAbsent(RunTable.key(s, rcptHash), RunTable.Extra::new);
                e.state = RunTable.MEMBER;
                t.state[s] |= RunTable.EXTRAS;
                t.fanOut();
                t.fanCount[s]++;
                t.fanLast[s] = t.fanCount[s] == 1 ? at : Math.max(t.fanLast[s], at);
                t.first[s] = t.first[s] == RunTable.NONE ? at : Math.min(t.first[s], at);
                member(t, e, corrupt, line, rcptFrom);
            } else {
                t.tally.count(Kind.MISDELIVERED, 1);
                t.tally.example(Kind.MISDELIVERED, options.examples(),
                        new Example(run, sequence, t.rcpt[s], null, "received by " + Examples.field(line, rcptFrom)));
            }
        }
    }

    /** One arrival for a list member: a second copy is a duplicate, a bad hash corrupt, each named once. */
    private void member(RunTable t, RunTable.Extra e, boolean corrupt, byte[] line, int rcptFrom) {
        e.count = RunTable.more(e.count);
        int s = (int) (e.key >>> 32);
        if (e.count == 2) {
            t.tally.count(Kind.DUPLICATED, 1);
            t.tally.example(Kind.DUPLICATED, options.examples(),
                    new Example(t.run, s, (int) e.key, Examples.field(line, rcptFrom), "list member, received again"));
        }
        if (corrupt && (e.state & RunTable.CORRUPT) == 0) {
            e.state |= RunTable.CORRUPT;
            t.tally.count(Kind.CORRUPTED, 1);
            t.tally.example(Kind.CORRUPTED, options.examples(),
                    new Example(t.run, s, (int) e.key, Examples.field(line, rcptFrom), "list member"));
        }
    }

    private void classify(RunTable t, int end) {
        int cutoff = (int) Math.min(Integer.MAX_VALUE, options.cutoffMillis());
        for (int s = 0; s < t.size; s++) {
            int st = t.state[s];
            if (st == 0) {
                continue;
            }
            if (t.fanCount != null && t.fanCount[s] > 0 && (st & RunTable.OUTCOME) == RunTable.ACCEPTED) {
                t.tally.accepted++;
                t.tally.posts++;
                t.tally.memberDeliveries += t.fanCount[s];
                Tally.record(t.tally.fanReached, t.fanCount[s]);
                Tally.record(t.tally.fanFirst, (long) t.first[s] - t.answered[s]);
                Tally.record(t.tally.fanLast, (long) t.fanLast[s] - t.answered[s]);
            } else {
                one(t, s, t.rcpt[s], st, t.answered[s], t.count[s], t.first[s], end, cutoff);
            }
        }
        for (RunTable.Extra e : t.extras.values()) {
            if ((e.state & RunTable.MEMBER) != 0) {
                continue; // counted at arrival
            }
            one(t, (int) (e.key >>> 32), (int) e.key, e.state, e.answered, e.count, e.first, end, cutoff);
        }
    }

    private void one(RunTable t, int s, int rcpt, int st, int answered, int count, int first, int end, int cutoff) {
        Kind kind;
        switch (st & RunTable.OUTCOME) {
            case RunTable.DEFERRED -> kind = Kind.DEFERRED;
            case RunTable.REFUSED -> kind = Kind.REFUSED;
            default -> {
                // Accepted, or sent only to lose every reply after the data (outcome bits 0).
                boolean accepted = (st & RunTable.OUTCOME) == RunTable.ACCEPTED;
                if (accepted) {
                    t.tally.accepted++;
                }
                if (count == 0) {
                    kind = !accepted ? Kind.UNANSWERED
                            : (long) answered > (long) end - cutoff ? Kind.IN_FLIGHT : Kind.LOST;
                } else {
                    t.tally.delivered(base + answered, (long) first - answered);
                    // Copies up to the number of times postal sent it are its retries' doing; more, the server's.
                    kind = (st & RunTable.CORRUPT) != 0 ? Kind.CORRUPTED
                            : count > RunTable.attempts(st) ? Kind.DUPLICATED
                            : count > 1 ? Kind.REDELIVERED : Kind.DELIVERED_ONCE;
                }
            }
        }
        t.tally.count(kind, 1);
        if (kind.bad) {
            t.tally.example(kind, options.examples(), new Example(t.run, s, rcpt, null, null));
        }
    }
}
