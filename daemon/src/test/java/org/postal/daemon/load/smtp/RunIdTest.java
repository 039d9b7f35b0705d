// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.load.UserPool;
import picocli.CommandLine;

/** postal --run-id: the tag is the high half of the run id the ledger and Message-IDs carry; reruns differ. */
class RunIdTest {

    @TempDir
    Path dir;

    private SmtpLoadConfig config(String... args) {
        CommandLine cli = new CommandLine(new SmtpLoadCommand());
        cli.parseArgs(args);
        return ((SmtpLoadCommand) cli.getCommand()).toConfig();
    }

    /** The run= attribute of the ledger a prepared (never started) run writes. */
    private String ledgerRun(String name, String... tag) throws Exception {
        Path ledger = dir.resolve(name);
        List<String> all = new ArrayList<>(List.of("--log-dir", dir.toString(), "--ledger", ledger.toString()));
        all.addAll(List.of(tag));
        all.addAll(List.of("127.0.0.1", "u"));
        UserPool users = UserPool.of(List.of(new UserPool.User("a@example.com", null)));
        try (SmtpLoad load = new SmtpLoad(config(all.toArray(new String[0])), users, users)) {
            assertThat(load).isNotNull();
        }
        String header = Files.readAllLines(ledger).get(0);
        return header.replaceAll(".* run=([0-9A-F]+) .*", "$1");
    }

    @Test
    void theTagIsTheHighHalfAndARerunStillDiffers() throws Exception {
        String first = ledgerRun("a.ledger", "--run-id", "a1");
        String again = ledgerRun("b.ledger", "--run-id", "A1");
        assertThat(first).hasSize(16).startsWith("000000A1");
        assertThat(again).startsWith("000000A1").isNotEqualTo(first);
        assertThat(ledgerRun("c.ledger", "--run-id", "FEDCBA98")).startsWith("FEDCBA98");
    }

    @Test
    void aTagThatIsNotOneToEightHexDigitsIsRefused() {
        for (String bad : List.of("", "123456789", "xyz", "-1", "0x10")) {
            assertThatThrownBy(() -> config("--run-id", bad, "127.0.0.1", "u"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--run-id");
        }
    }
}
