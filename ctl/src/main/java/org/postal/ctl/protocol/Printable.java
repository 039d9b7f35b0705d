// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl.protocol;

/**
 * Text that came from a user, a file or a daemon, made safe to print on a terminal.
 *
 * <p>A control character (C0, DEL, C1 such as the 8-bit CSI {@code 0x9b}) or a format character
 * (bidirectional overrides, zero-width marks) could move the cursor, recolour or hide what follows,
 * so each becomes a visible escape: {@code \n}, {@code \t}, {@code \r}, {@code \\}, or
 * {@code \x1b} / {@code \u202e}. Everything else, non-ASCII letters included, stays as written.
 */
public final class Printable {

    private Printable() {
    }

    /** The whole text with every control or format character escaped. */
    public static String escape(String text) {
        return excerpt(text, Integer.MAX_VALUE);
    }

    /**
     * At most {@code max} characters of the text, escaped, followed by {@code "... (N more)"} when
     * cut, so that an error about a 100 MiB line stays one short line.
     */
    public static String excerpt(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 16);
        int i = 0;
        while (i < text.length() && out.length() < max) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            appendEscaped(out, c);
        }
        if (i < text.length()) {
            out.append("... (").append(text.codePointCount(i, text.length())).append(" more characters)");
        }
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, int c) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '\\' -> out.append("\\\\");
            default -> {
                int type = Character.getType(c);
                if (type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                        || type == Character.SURROGATE || type == Character.LINE_SEPARATOR
                        || type == Character.PARAGRAPH_SEPARATOR) {
                    out.append(c <= 0xff ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
                } else {
                    out.appendCodePoint(c);
                }
            }
        }
    }
}
