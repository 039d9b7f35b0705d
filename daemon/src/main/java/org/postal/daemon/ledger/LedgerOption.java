// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --ledger FILE} option postal, bhm and rabid share (config key {@code ledger}). */
public final class LedgerOption {

    @Option(names = "--ledger", paramLabel = "FILE",
            description = "Record every message, as it happens, in FILE (see postal-ledger(5)); "
                    + "postal-match(1) matches the ledgers of senders and receivers.")
    public Path file;
}
