// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The class label: reply classes, words as label values, and a bound on how many. */
class ErrorClassesTest {

    private final ErrorClasses classes = new ErrorClasses();

    @Test
    void replyCodesBecomeTheirClass() {
        assertThat(classes.of("550")).isEqualTo("5xx");
        assertThat(classes.of("421")).isEqualTo("4xx");
        assertThat(classes.of("354 without recipients")).isEqualTo("3xx");
    }

    @Test
    void wordsBecomeLabelValues() {
        assertThat(classes.of("timeout")).isEqualTo("timeout");
        assertThat(classes.of("reply before handshake")).isEqualTo("reply-before-handshake");
        assertThat(classes.of("NO")).isEqualTo("no");
        assertThat(classes.of("  ")).isEqualTo(ErrorClasses.OTHER);
        assertThat(classes.of("5501")).isEqualTo("5501");
    }

    @Test
    void aServerInventingErrorsCannotGrowTheSeries() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(classes.of("error number " + i));
        }
        assertThat(seen).hasSize(ErrorClasses.MAX + 1).contains(ErrorClasses.OTHER);
        assertThat(classes.of("error number 0")).isEqualTo("error-number-0");
    }
}
