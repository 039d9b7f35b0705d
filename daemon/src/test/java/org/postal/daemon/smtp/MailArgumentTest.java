// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailArgumentTest {

    private static MailArgument from(String argument) {
        return MailArgument.parse(argument, "FROM:").orElseThrow();
    }

    @Test
    void bracketedPath() {
        assertThat(from("FROM:<a@example.com>")).isEqualTo(new MailArgument("a@example.com", Map.of()));
    }

    @Test
    void keywordIsCaseInsensitive() {
        assertThat(MailArgument.parse("to:<b@example.com>", "TO:")).contains(new MailArgument("b@example.com", Map.of()));
    }

    @Test
    void spaceAfterTheColonIsToleratedAsPostalSendsIt() {
        assertThat(from("FROM: <a@example.com>").address()).isEqualTo("a@example.com");
        assertThat(from("FROM:   <a@example.com> SIZE=1").address()).isEqualTo("a@example.com");
    }

    @Test
    void nullReversePath() {
        assertThat(from("FROM:<>").address()).isEmpty();
    }

    @Test
    void pathWithoutBracketsIsTakenAsWritten() {
        assertThat(from("FROM:a@example.com SIZE=5")).isEqualTo(new MailArgument("a@example.com", Map.of("SIZE", "5")));
    }

    @Test
    void parameterKeywordsAreUpperCasedAndValuesKept() {
        MailArgument parsed = from("FROM:<a@example.com> size=10  body=8bitmime smtputf8 ");
        assertThat(parsed.parameters()).containsExactlyInAnyOrderEntriesOf(
                Map.of("SIZE", "10", "BODY", "8bitmime", "SMTPUTF8", ""));
    }

    @Test
    void valueMayHoldAnEqualsSign() {
        assertThat(from("FROM:<a@b> AUTH=x=y").parameters()).containsEntry("AUTH", "x=y");
    }

    @Test
    void sixteenParametersPassAndSeventeenDoNot() {
        String sixteen = IntStream.range(0, 16).mapToObj(i -> "P" + i + "=1").collect(Collectors.joining(" "));
        assertThat(from("FROM:<a@b> " + sixteen).parameters()).hasSize(16);
        assertThat(MailArgument.parse("FROM:<a@b> " + sixteen + " P16=1", "FROM:")).isEmpty();
    }

    @Test
    void longestPathPassesAndOneMoreDoesNot() {
        String fits = "a".repeat(MailArgument.MAX_PATH - 2 - 4) + "@b.c";
        assertThat(from("FROM:<" + fits + ">").address()).hasSize(MailArgument.MAX_PATH - 2);
        assertThat(MailArgument.parse("FROM:<x" + fits + ">", "FROM:")).isEmpty();
    }

    @Test
    void parametersAreImmutable() {
        assertThatThrownBy(() -> from("FROM:<a@b> SIZE=1").parameters().put("X", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "TO:<a@example.com>",            // wrong keyword
        "FROM <a@example.com>",          // no colon
        "FROM:",                         // no path
        "FROM:<a@example.com",           // no closing bracket
        "FROM:<a@example.com>SIZE=1",    // no space before the parameters
        "FROM:<a<b@example.com>",        // stray bracket
        "FROM:a>b@example.com",          // stray bracket without brackets
        "FROM:<a\tb@example.com>",       // control character
        "FROM:<a\u007fb@example.com>",   // DEL
        "FROM:<a@example.com> =1",       // parameter without a keyword
    })
    void malformed(String argument) {
        assertThat(MailArgument.parse(argument, "FROM:")).as(argument).isEqualTo(Optional.empty());
    }
}
