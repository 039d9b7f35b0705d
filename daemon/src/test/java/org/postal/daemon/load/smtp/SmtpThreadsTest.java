// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.load.UserPool;
import org.postal.daemon.service.Transports;
import picocli.CommandLine;

/** postal --io-threads: the slots get the event loops asked for, and half the CPUs without it. */
class SmtpThreadsTest {

    @TempDir
    Path dir;

    private int loops(String... args) throws Exception {
        CommandLine cli = new CommandLine(new SmtpLoadCommand());
        cli.parseArgs(args);
        SmtpLoadConfig config = ((SmtpLoadCommand) cli.getCommand()).toConfig();
        UserPool users = UserPool.of(List.of(new UserPool.User("a@example.com", null)));
        try (SmtpLoad load = new SmtpLoad(config, users, users)) {
            return load.eventLoops();
        }
    }

    @Test
    void theSlotsGetTheLoopsAskedFor() throws Exception {
        assertThat(loops("--io-threads", "3", "--log-dir", dir.toString(), "127.0.0.1", "u")).isEqualTo(3);
        assertThat(loops("--log-dir", dir.toString(), "127.0.0.1", "u")).isEqualTo(Transports.defaultThreads());
    }
}
