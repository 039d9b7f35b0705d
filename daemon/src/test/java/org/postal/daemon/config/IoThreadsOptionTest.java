// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** --io-threads as bhm, postal and rabid take it: 0 (the default) to 256. */
class IoThreadsOptionTest {

    @Command
    static final class Program {
        @Mixin
        IoThreadsOption io;
    }

    private static int threads(String... args) {
        CommandLine cli = new CommandLine(new Program());
        cli.parseArgs(args);
        return ((Program) cli.getCommand()).io.threads();
    }

    @Test
    void zeroByDefaultAndTheNumberGiven() {
        assertThat(threads()).isZero();
        assertThat(threads("--io-threads", "256")).isEqualTo(256);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "257"})
    void aCountOutOfRangeIsRefused(String threads) {
        assertThatThrownBy(() -> threads("--io-threads", threads)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--io-threads out of range 0..256: " + threads);
    }
}
