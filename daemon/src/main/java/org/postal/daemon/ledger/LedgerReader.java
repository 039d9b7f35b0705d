// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@link LedgerFormat} files fast: bytes, not Strings, with each record's fields handed
 * to a {@link Visitor} as numbers, a recipient hash and offsets into a reused line buffer, so ten
 * million lines cost no garbage. Sections are noticed from their {@code #postal-ledger} and
 * {@code #end} lines; a last line without its newline is a torn write and is skipped.
 */
public final class LedgerReader {
    private static final int BUFFER = 1 << 20;
    private static final int MAX_LINE = 64 * 1024;
    /** Stands for a run field that is not 16 hex digits; sequence -1 then says "no identity". */
    private static final long NOT_HEX = Long.MIN_VALUE + 1;

    /** Receives the records of one file in order. */
    public interface Visitor {
        /** A section begins; return false to skip its records. */
        boolean section(String program, long run);

        /**
         * One record. {@code sequence} is -1 when the record has no identity (then {@code run} means nothing);
         * {@code intended} is -1 when empty; {@code line} holds the record from {@code textFrom}
         * to {@code textTo} (the text field) and the recipient from {@code rcptFrom} to the tab before
         * the outcome, valid only during the call.
         */
        void record(long time, long run, long sequence, int rcptHash, Outcome outcome, int code, long intended,
                    byte[] line, int rcptFrom, int textFrom, int textTo);
    }

    private LedgerReader() {
    }

    /** Reads {@code file}, visiting its records; returns its sections. */
    public static List<Section> read(Path file, Visitor visitor) throws IOException {
        List<Section> sections = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            new Pass(file, visitor, sections).run(in);
        }
        return sections;
    }

    /**
     * The program named by the first line of {@code file} (postal, bhm, rabid), or null when that
     * line is not a ledger header; reads that line only.
     */
    public static String program(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4096);
            int end = 0;
            while (end < head.length && head[end] != '\n') {
                end++;
            }
            String line = new String(head, 0, end, StandardCharsets.UTF_8);
            return line.startsWith(LedgerFormat.MAGIC + " ") ? Pass.attribute(line, "program") : null;
        }
    }

    /** The hash a recipient field gets (also for recipients given as Strings). */
    public static int rcptHash(byte[] b, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + (b[i] | 0x20); // case-folded: ASCII addresses compare as the servers do
        }
        return h;
    }

    /** One file's reading state. */
    private static final class Pass {
        private final Path file;
        private final Visitor visitor;
        private final List<Section> sections;
        private final byte[] line = new byte[MAX_LINE];
        private final int[] starts = new int[LedgerFormat.COLUMN_COUNT + 1];
        private String program;
        private String name;
        private long run;
        private long records;
        private long last;
        private boolean wanted;

        Pass(Path file, Visitor visitor, List<Section> sections) {
            this.file = file;
            this.visitor = visitor;
            this.sections = sections;
        }

        void run(InputStream in) throws IOException {
            byte[] buf = new byte[BUFFER];
            int length = 0;
            boolean overlong = false;
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        if (!overlong) {
                            line(length);
                        }
                        length = 0;
                        overlong = false;
                    } else if (length < MAX_LINE) {
                        line[length++] = b;
                    } else {
                        overlong = true;
                    }
                }
            }
            close(length > 0, 0, false);
        }

        private void line(int length) {
            if (length > 0 && line[0] == '#') {
                String text = new String(line, 0, length, StandardCharsets.UTF_8);
                if (text.startsWith(LedgerFormat.MAGIC + " ")) {
                    close(false, 0, false);
                    open(text);
                } else if (text.startsWith(LedgerFormat.END) && program != null) {
                    close(false, attribute(text, "time", last), true);
                }
                return;
            }
            if (program == null || !wanted || length == 0 || line[0] == 't' && startsWithColumns(length)) {
                return;
            }
            int fields = 0;
            starts[fields++] = 0;
            for (int i = 0; i < length && fields <= LedgerFormat.COLUMN_COUNT - 1; i++) {
                if (line[i] == '\t') {
                    starts[fields++] = i + 1;
                }
            }
            if (fields < LedgerFormat.COLUMN_COUNT) {
                return; // not a record of this version: ignored, as the man page says
            }
            starts[fields] = length + 1;
            long time = number(0);
            Outcome outcome = outcome(4);
            if (time < 0 || outcome == null) {
                return;
            }
            long runId = hex(1);
            long seq = runId == NOT_HEX ? -1 : number(2);
            int rcpt = rcptHash(line, starts[3], starts[4] - 1);
            records++;
            last = Math.max(last, time);
            visitor.record(time, runId, seq, rcpt, outcome, (int) number(5), number(7),
                    line, starts[3], starts[8], length);
        }

        private boolean startsWithColumns(int length) {
            return length >= 4 && line[1] == 'i' && line[2] == 'm' && line[3] == 'e';
        }

        private void open(String header) {
            program = attribute(header, "program");
            name = attribute(header, "name");
            String r = attribute(header, "run");
            run = r == null ? 0 : Long.parseUnsignedLong(r, 16);
            records = 0;
            last = 0;
            if (program == null) {
                program = "unknown";
            }
            wanted = visitor.section(program, run);
        }

        private void close(boolean torn, long end, boolean complete) {
            if (program != null) {
                sections.add(new Section(file, program, name, run, records, complete, torn,
                        complete ? end : last));
                program = null;
            }
        }

        private long number(int field) {
            int from = starts[field];
            int to = starts[field + 1] - 1;
            if (from >= to) {
                return -1;
            }
            long v = 0;
            for (int i = from; i < to; i++) {
                int d = line[i] - '0';
                if (d < 0 || d > 9) {
                    return -1;
                }
                v = v * 10 + d;
            }
            return v;
        }

        /** The field as 16 hex digits, or {@link #NOT_HEX}. */
        private long hex(int field) {
            if (starts[field + 1] - 1 - starts[field] != 16) {
                return NOT_HEX;
            }
            long v = 0;
            for (int i = starts[field]; i < starts[field + 1] - 1; i++) {
                int d = Character.digit(line[i], 16);
                if (d < 0) {
                    return NOT_HEX;
                }
                v = v << 4 | d;
            }
            return v;
        }

        /** The outcome word, told apart by its first letter (and unsigned/unanswered by their length), checked whole. */
        private Outcome outcome(int field) {
            int from = starts[field];
            int length = starts[field + 1] - 1 - from;
            if (length < 1) {
                return null;
            }
            Outcome o = switch (line[from]) {
                case 'a' -> Outcome.ACCEPTED;
                case 'd' -> Outcome.DEFERRED;
                case 'r' -> Outcome.REFUSED;
                case 'v' -> Outcome.VERIFIED;
                case 'c' -> Outcome.CORRUPT;
                case 'u' -> length == Outcome.UNANSWERED.word().length() ? Outcome.UNANSWERED : Outcome.UNSIGNED;
                default -> null;
            };
            if (o == null || o.word().length() != length) {
                return null;
            }
            for (int i = 1; i < length; i++) {
                if (line[from + i] != o.word().charAt(i)) {
                    return null;
                }
            }
            return o;
        }

        private static String attribute(String header, String key) {
            for (String word : header.split(" ")) {
                if (word.startsWith(key + "=")) {
                    return word.substring(key.length() + 1);
                }
            }
            return null;
        }

        private static long attribute(String header, String key, long otherwise) {
            String v = attribute(header, key);
            try {
                return v == null ? otherwise : Long.parseLong(v);
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }
    }
}
