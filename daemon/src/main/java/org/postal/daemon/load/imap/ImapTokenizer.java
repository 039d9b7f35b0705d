// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

import java.util.Locale;

/**
 * Splits the text of a response (an {@link Untagged#rest()}) into IMAP tokens, one at a time.
 *
 * <pre>
 * quoted         = DQUOTE *QUOTED-CHAR DQUOTE           ; RFC 3501 section 9
 * QUOTED-CHAR    = &lt;any TEXT-CHAR except quoted-specials&gt; / "\" quoted-specials
 * nil            = "NIL"
 * literal        = "{" number "}" CRLF *CHAR8           ; here only its marker is left
 * section        = "[" [section-spec] "]"               ; part of the atom before it: BODY[HEADER]
 * </pre>
 * An atom takes in a bracketed section whole, spaces and parentheses included, and any
 * {@code <origin>} after it, so {@code BODY[HEADER.FIELDS (SUBJECT)]<0>} is one atom.
 * Malformed text (an unterminated string or section) raises {@link IllegalArgumentException}.
 */
public final class ImapTokenizer {

    /** The kind of a token. */
    public enum Type {
        /** An atom or number; flags such as {@code \Seen} and section names such as {@code BODY[]} too. */
        ATOM,
        /** A quoted string, unescaped. */
        QUOTED,
        /** The atom NIL, in any case. */
        NIL,
        /** A literal's {@code {n}} or {@code ~{n}} marker; the text is n. */
        LITERAL,
        /** "(" */
        OPEN,
        /** ")" */
        CLOSE
    }

    /** One token: its kind and its text (unescaped for QUOTED, the size for LITERAL). */
    public record Token(Type type, String text) {
    }

    private final String text;
    private int pos;

    public ImapTokenizer(String text) {
        this.text = text;
    }

    /** Whether another token follows (spaces between tokens are skipped). */
    public boolean hasNext() {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
        return pos < text.length();
    }

    /** The next token; at the end of the text, or on malformed text, IllegalArgumentException. */
    public Token next() {
        if (!hasNext()) {
            throw new IllegalArgumentException("unexpected end of \"" + text + "\"");
        }
        char c = text.charAt(pos);
        if (c == '(' || c == ')') {
            pos++;
            return new Token(c == '(' ? Type.OPEN : Type.CLOSE, String.valueOf(c));
        }
        if (c == '"') {
            return quoted();
        }
        if (c == '{' || text.startsWith("~{", pos)) {
            return literal();
        }
        return atom();
    }

    /** Skips one value: a single token, or a parenthesised list with everything nested in it. */
    public void skipValue() {
        int depth = 0;
        do {
            Type type = next().type();
            depth += type == Type.OPEN ? 1 : type == Type.CLOSE ? -1 : 0;
        } while (depth > 0);
    }

    private Token literal() {
        int open = text.indexOf('{', pos);
        int close = text.indexOf('}', open);
        String size = close < 0 ? "" : text.substring(open + 1, close);
        if (size.isEmpty() || !size.chars().allMatch(d -> d >= '0' && d <= '9')) {
            throw new IllegalArgumentException("bad literal marker in \"" + text + "\"");
        }
        pos = close + 1;
        return new Token(Type.LITERAL, size);
    }

    private Token quoted() {
        StringBuilder value = new StringBuilder();
        for (int i = pos + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return new Token(Type.QUOTED, value.toString());
            }
            if (c == '\\' && i + 1 < text.length()) {
                c = text.charAt(++i);
            }
            value.append(c);
        }
        throw new IllegalArgumentException("unterminated quoted string in \"" + text + "\"");
    }

    private Token atom() {
        int start = pos;
        while (pos < text.length() && " ()\"{".indexOf(text.charAt(pos)) < 0) {
            char c = text.charAt(pos);
            int close = c == '[' ? text.indexOf(']', pos) : c == '<' ? text.indexOf('>', pos) : pos;
            if (close < 0) {
                throw new IllegalArgumentException("unterminated section in \"" + text + "\"");
            }
            pos = close + 1;
        }
        String atom = text.substring(start, pos);
        return new Token(atom.toUpperCase(Locale.ROOT).equals("NIL") ? Type.NIL : Type.ATOM, atom);
    }
}
