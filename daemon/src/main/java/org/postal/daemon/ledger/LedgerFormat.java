// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

/**
 * The ledger file format, version 1 (postal-ledger(5)): UTF-8 text, one tab-separated record per
 * line, so a spreadsheet, {@code awk}, SQLite's {@code .import} or DuckDB's {@code read_csv}
 * load it without our code.
 *
 * <pre>
 * #postal-ledger v1 program=postal name=postal run=5F3A09C1D2E4B7A8 started=2026-12-07T18:00:00Z
 * time	run	seq	rcpt	outcome	code	phase	intended	text
 * 1765130400123	5F3A09C1D2E4B7A8	0	user1@example.com	accepted	250	END_OF_DATA	1765130400100	2.0.0 Ok: queued as 4Q1
 * #end records=1
 * </pre>
 *
 * A section starts with the {@code #postal-ledger} line and the column line; records follow as
 * they happen; a clean stop writes {@code #end}. A section without its {@code #end}, or whose
 * last line has no newline, was cut (a crash or {@code kill -9}). A file appended to by a
 * service holds several sections.
 */
public final class LedgerFormat {
    public static final String MAGIC = "#postal-ledger";
    public static final int VERSION = 1;
    public static final String END = "#end";
    public static final String COLUMNS = String.join("\t",
            "time", "run", "seq", "rcpt", "outcome", "code", "phase", "intended", "text");
    public static final int COLUMN_COUNT = 9;

    private LedgerFormat() {
    }

    /** The first line of a section, without its newline. */
    public static String header(String program, String name, String attributes) {
        return MAGIC + " v" + VERSION + " program=" + program + " name=" + clean(name)
                + (attributes.isEmpty() ? "" : " " + attributes);
    }

    /** A field value with tabs, CR, LF and other controls turned into spaces, so it stays one field. */
    public static String clean(String value) {
        if (value == null) {
            return "";
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < 0x20 || value.charAt(i) == 0x7F) {
                return scrub(value);
            }
        }
        return value;
    }

    private static String scrub(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? ' ' : c);
        }
        return out.toString();
    }
}
