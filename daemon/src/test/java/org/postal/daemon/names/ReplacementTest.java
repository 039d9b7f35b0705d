// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postal.daemon.names.Position.Literal;
import org.postal.daemon.names.Position.OneOf;
import org.postal.daemon.names.Position.Range;

class ReplacementTest {

    private static List<Position> parse(String text) throws InputError {
        return Replacement.parse(text, "conv:7");
    }

    private static OneOf set(Range... ranges) {
        return new OneOf(List.of(ranges));
    }

    private static Range one(char c) {
        return new Range(c, c);
    }

    @Test
    void keepSetsAndRanges() throws InputError {
        assertThat(parse(".[0-2][xy]")).containsExactly(Position.KEEP,
                set(new Range('0', '2')), set(one('x'), one('y')));
        assertThat(parse("[a-cx0-1]")).containsExactly(
                set(new Range('a', 'c'), one('x'), new Range('0', '1')));
        assertThat(parse("")).isEmpty();
    }

    @Test
    void setsCountAndPickInTheOrderWritten() throws InputError {
        Position set = parse("[xa-c]").get(0);
        assertThat(set.size()).isEqualTo(4);
        assertThat(List.of(set.pick(0, 'q'), set.pick(1, 'q'), set.pick(3, 'q')))
                .containsExactly((int) 'x', (int) 'a', (int) 'c');
        assertThat(Position.KEEP.pick(0, 'q')).isEqualTo('q');
    }

    @Test
    void literalCharactersReplace() throws InputError {
        assertThat(parse("u.é")).containsExactly(new Literal('u'), Position.KEEP, new Literal('é'));
        assertThat(parse("😀").get(0)).isEqualTo(new Literal(0x1F600));
    }

    @Test
    void escapesOutsideBrackets() throws InputError {
        assertThat(parse("\\[\\]\\.\\\\\\-")).containsExactly(
                new Literal('['), new Literal(']'), new Literal('.'), new Literal('\\'), new Literal('-'));
    }

    @Test
    void escapesInsideBrackets() throws InputError {
        assertThat(parse("[\\-\\]\\\\.[]")).containsExactly(
                set(one('-'), one(']'), one('\\'), one('.'), one('[')));
        assertThat(parse("[\\--\\]]")).containsExactly(set(new Range('-', ']')));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        ".[a        | Unmatched brackets",
        ".]         | Unmatched brackets",
        "[a]]       | Unmatched brackets",
        ".[]        | Empty brackets",
        "[a-]       | Unfinished hyphen",
        "[a-c-]     | Unfinished hyphen",
        "[-]        | Unfinished hyphen",
        "[a-        | Unfinished hyphen",
        "-          | Misplaced hyphen",
        ".-         | Misplaced hyphen",
        "[-a]       | Misplaced hyphen",
        "[a-c-e]    | Misplaced hyphen",
        "[a--]      | Unfinished hyphen",
        "[z-a]      | Backward range z-a",
        ".\\x       | Unknown escape \\x",
        "[\\n]      | Unknown escape \\n",
        "ab\\       | Unfinished escape",
        "[a\\       | Unfinished escape",
    })
    void errorsNameTheLineTheReasonAndTheText(String text, String reason) {
        InputError e = assertThrows(InputError.class, () -> parse(text));
        assertThat(e.getMessage()).startsWith("conv:7: " + reason).endsWith(" in \"" + text + "\"");
    }
}
