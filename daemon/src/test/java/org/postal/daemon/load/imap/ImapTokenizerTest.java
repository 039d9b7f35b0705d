// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postal.daemon.load.imap.ImapTokenizer.Type.ATOM;
import static org.postal.daemon.load.imap.ImapTokenizer.Type.CLOSE;
import static org.postal.daemon.load.imap.ImapTokenizer.Type.LITERAL;
import static org.postal.daemon.load.imap.ImapTokenizer.Type.NIL;
import static org.postal.daemon.load.imap.ImapTokenizer.Type.OPEN;
import static org.postal.daemon.load.imap.ImapTokenizer.Type.QUOTED;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tokens of FETCH and other response text, and the FETCH items rabid pulls out of them. */
class ImapTokenizerTest {

    @Test
    void quotedStringsWithEscapesNilSectionsAndLiteralMarkers() {
        assertThat(tokens("(X-GM-LABELS (\"a \\\"b\\\" \\\\c\" nil) BODY[HEADER.FIELDS (SUBJECT)]<0> {12} "
                + "BINARY[1] ~{0} FLAGS (\\Seen \\*) \"\")")).containsExactly(
                t(OPEN, "("), t(ATOM, "X-GM-LABELS"), t(OPEN, "("), t(QUOTED, "a \"b\" \\c"), t(NIL, "nil"),
                t(CLOSE, ")"), t(ATOM, "BODY[HEADER.FIELDS (SUBJECT)]<0>"), t(LITERAL, "12"), t(ATOM, "BINARY[1]"),
                t(LITERAL, "0"), t(ATOM, "FLAGS"), t(OPEN, "("), t(ATOM, "\\Seen"), t(ATOM, "\\*"), t(CLOSE, ")"),
                t(QUOTED, ""), t(CLOSE, ")"));
    }

    @Test
    void malformedTextIsRefused() {
        for (String bad : List.of("\"open", "BODY[HEADER", "{12", "{}", "{1x}")) {
            assertThatThrownBy(() -> tokens(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void fetchItemsInAnyOrderAroundLiteralsAndNestedValues() {
        String rest = "(FLAGS (\\Seen $Forwarded) ENVELOPE (NIL \"one\" ((NIL NIL \"a\" \"b\")) NIL) "
                + "BODY[] {1234} INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" MODSEQ (12) RFC822.SIZE 1234 UID 7)";
        assertThat(FetchItems.parse(rest)).isEqualTo(new FetchItems(7, 1234, List.of("\\Seen", "$Forwarded")));
        assertThat(FetchItems.parse("(UID 4294967295 FLAGS ())")).isEqualTo(new FetchItems(4294967295L, -1, List.of()));
        assertThat(FetchItems.parse("()")).isEqualTo(new FetchItems(-1, -1, null));
    }

    @Test
    void malformedFetchDataIsRefused() {
        for (String bad : List.of("UID 7", "(UID x)", "(UID 7", "(UID 7) x", "(FLAGS \\Seen)", "(\"UID\" 7)",
                "(FLAGS (\"x\"))", "(UID)")) {
            assertThatThrownBy(() -> FetchItems.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static ImapTokenizer.Token t(ImapTokenizer.Type type, String text) {
        return new ImapTokenizer.Token(type, text);
    }

    private static List<ImapTokenizer.Token> tokens(String text) {
        ImapTokenizer tokenizer = new ImapTokenizer(text);
        List<ImapTokenizer.Token> tokens = new ArrayList<>();
        while (tokenizer.hasNext()) {
            tokens.add(tokenizer.next());
        }
        return tokens;
    }
}
