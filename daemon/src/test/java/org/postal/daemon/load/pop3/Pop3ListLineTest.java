// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The message number of a LIST line (RFC 1939 section 5), as Pop3Session reads it. */
class Pop3ListLineTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "1 4546|1",
        "600 4546|600",
        "\" 7 120 \"|7",
        "42|42",
        "\"42\t\"|42",
        "999999999 1|999999999",
        "1000000000 1|-1",
        "0012 5|12",
        "x 1|-1",
        "12x 1|-1",
        "\"12\t1\"|-1",
        "-1 5|-1",
        "\"\"|-1",
        "\"   \"|-1",
    })
    void messageNumber(String line, int number) {
        assertThat(Pop3Session.messageNumber(line)).isEqualTo(number);
    }
}
