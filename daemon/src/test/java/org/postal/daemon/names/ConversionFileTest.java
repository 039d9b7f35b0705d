// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ConversionFileTest {

    private static final long MAX = 1L << 24;

    private static ConversionFile read(String text) throws IOException, InputError {
        return read(text, MAX);
    }

    private static ConversionFile read(String text, long max) throws IOException, InputError {
        return ConversionFile.read(Lines.of(new ByteArrayInputStream(text.getBytes(UTF_8)), "conv"), max);
    }

    private static String error(String text) {
        return assertThrows(InputError.class, () -> read(text)).getMessage();
    }

    @Test
    void commentsAndBlankLinesAreSkippedAndRulesKeepTheirLine() throws Exception {
        ConversionFile file = read("# users\n\n   \t\n  # indented comment\n^a .[0-2]\r\n^b\t\t[xy]  \n");
        assertThat(file.rules()).extracting(Rule::where).containsExactly("conv:5", "conv:6");
        assertThat(file.rules().get(1).positions()).hasSize(1);
    }

    @Test
    void aLoneOrBlankEndedPatternHasAnEmptyReplacement() throws Exception {
        ConversionFile file = read("^a\n^b \n");
        assertThat(file.rules()).allSatisfy(rule -> assertThat(rule.positions()).isEmpty());
    }

    @Test
    void theFirstMatchingRuleWinsAndPatternsAreFoundAnywhere() throws Exception {
        ConversionFile file = read("^ab .x\nb .y\nc$ .z\n");
        assertThat(file.ruleFor("abc").orElseThrow().where()).isEqualTo("conv:1");
        assertThat(file.ruleFor("xbx").orElseThrow().where()).isEqualTo("conv:2");
        assertThat(file.ruleFor("xxc").orElseThrow().where()).isEqualTo("conv:3");
        assertThat(file.ruleFor("xyz")).isEmpty();
        assertThat(ConversionFile.NONE.ruleFor("abc")).isEmpty();
    }

    @Test
    void javaRegexSyntaxApplies() throws Exception {
        ConversionFile file = read("^(ab)+\\+\\x20?[0-9]{2}$ .\n\\# .\n");
        assertThat(file.ruleFor("abab+12")).isPresent();
        assertThat(file.ruleFor("abab12")).isEmpty();
        assertThat(file.ruleFor("x#")).isPresent();
    }

    @Test
    void threeFieldsCannotBeParsed() {
        assertThat(error("# ok\n^a .[0-2] x\n")).isEqualTo("conv:2: Can't parse pattern line \"^a .[0-2] x\"");
    }

    @Test
    void aBadRegexIsNamedWithItsReason() {
        assertThat(error("^a(b .\n")).startsWith("conv:1: Can't compile pattern \"^a(b\": Unclosed group");
    }

    @Test
    void replacementErrorsCarryTheLine() {
        assertThat(error("\n\n^a .[0-2\n")).isEqualTo("conv:3: Unmatched brackets in \".[0-2\"");
    }

    @Test
    void rulesBeyondMaxAreRefused() throws Exception {
        String sixHex = "^ [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]";
        assertThat(read(sixHex).rules().get(0).combinations()).isEqualTo(MAX);
        InputError e = assertThrows(InputError.class, () -> read(sixHex + "[01]"));
        assertThat(e.getMessage()).startsWith("conv:1: ").endsWith(" makes 33554432 names of each name, more than --max 16777216");
        assertThat(read(sixHex + "[01]", 2 * MAX).rules()).hasSize(1);
        assertThat(assertThrows(InputError.class, () -> read("^ [\u0000-\uffff][\u0000-\uffff][\u0000-\uffff][\u0000-\uffff]",
                Long.MAX_VALUE - 1)).getMessage()).contains("makes too many names");
    }

    @Test
    void aLineTooLongIsAnError() {
        assertThat(error("^a " + ".".repeat(Lines.MAX_LENGTH))).isEqualTo("conv:1: line longer than 4096 bytes");
    }
}
