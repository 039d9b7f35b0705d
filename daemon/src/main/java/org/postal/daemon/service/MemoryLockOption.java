// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import picocli.CommandLine.Option;

/** The {@code --lock-memory} option bhm, postal and rabid share (config key {@code lock-memory}). */
public final class MemoryLockOption {

    @Option(names = "--lock-memory",
            description = "Keep the program's memory in RAM (mlockall, each page once touched), so it "
                    + "answers while the machine pages; needs an unlimited RLIMIT_MEMLOCK "
                    + "(LimitMEMLOCK=infinity) (default: off).")
    boolean lock;

    /** Whether --lock-memory was given (or lock-memory = true in the config file). */
    public boolean wanted() {
        return lock;
    }
}
