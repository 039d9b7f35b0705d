// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the replacement half of a conversion line into positions.
 *
 * <pre>
 * replacement = *position
 * position    = "." / "[" 1*item "]" / escape / literal
 * item        = char [ "-" char ]          ; a range, first &lt;= last
 * char        = escape / any but "]" "\" "-"
 * escape      = "\" ( "[" / "]" / "." / "\" / "-" )
 * literal     = any but "." "[" "]" "\" "-"
 * </pre>
 */
final class Replacement {

    private final String text;
    private final String where;
    private int at;

    private Replacement(String text, String where) {
        this.text = text;
        this.where = where;
    }

    static List<Position> parse(String text, String where) throws InputError {
        return new Replacement(text, where).positions();
    }

    private List<Position> positions() throws InputError {
        List<Position> positions = new ArrayList<>();
        while (at < text.length()) {
            int c = next();
            switch (c) {
                case '.' -> positions.add(Position.KEEP);
                case '[' -> positions.add(set());
                case ']' -> throw error("Unmatched brackets");
                case '-' -> throw error("Misplaced hyphen");
                case '\\' -> positions.add(new Position.Literal(escaped()));
                default -> positions.add(new Position.Literal(c));
            }
        }
        return positions;
    }

    private Position set() throws InputError {
        List<Position.Range> ranges = new ArrayList<>();
        while (true) {
            if (at == text.length()) {
                throw error("Unmatched brackets");
            }
            int c = next();
            if (c == ']') {
                if (ranges.isEmpty()) {
                    throw error("Empty brackets");
                }
                return new Position.OneOf(ranges);
            }
            int first = member(c);
            int last = first;
            if (at < text.length() && text.charAt(at) == '-') {
                at++;
                if (at == text.length() || text.charAt(at) == ']') {
                    throw error("Unfinished hyphen");
                }
                last = member(next());
                if (last < first) {
                    throw error("Backward range " + Character.toString(first) + "-" + Character.toString(last));
                }
            }
            ranges.add(new Position.Range(first, last));
        }
    }

    /** A character inside brackets, {@code c} having been read. */
    private int member(int c) throws InputError {
        if (c == '-') {
            throw error(at == text.length() || text.charAt(at) == ']' ? "Unfinished hyphen" : "Misplaced hyphen");
        }
        return c == '\\' ? escaped() : c;
    }

    /** The character after a backslash. */
    private int escaped() throws InputError {
        if (at == text.length()) {
            throw error("Unfinished escape");
        }
        int c = next();
        return switch (c) {
            case '[', ']', '.', '\\', '-' -> c;
            default -> throw error("Unknown escape \\" + Character.toString(c) + " (only \\[ \\] \\. \\\\ \\- exist)");
        };
    }

    private int next() {
        int c = text.codePointAt(at);
        at += Character.charCount(c);
        return c;
    }

    private InputError error(String reason) {
        return new InputError(where, reason + " in \"" + text + "\"");
    }
}
