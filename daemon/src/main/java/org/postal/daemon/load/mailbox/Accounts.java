// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.postal.daemon.load.UserPool;
import org.postal.daemon.lists.ListFile;

/** rabid's account list: every line needs a password (0.76 skipped such lines with a warning). */
final class Accounts {

    private Accounts() {
    }

    /**
     * Loads the list; with --probe, only the named account (or the first).
     *
     * @throws IOException naming the file and the first account without a password
     */
    static UserPool load(Path file, String probe) throws IOException {
        UserPool all = UserPool.load(file);
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).password() == null) {
                throw new IOException(file + ": need a password for \"" + ListFile.quote(all.get(i).address()) + "\"");
            }
        }
        if (probe == null) {
            return all;
        }
        if (probe.isEmpty()) {
            return UserPool.of(List.of(all.get(0)));
        }
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).address().equalsIgnoreCase(probe)) {
                return UserPool.of(List.of(all.get(i)));
            }
        }
        throw new IOException(file + ": no account \"" + ListFile.quote(probe) + "\"");
    }

    /** The --probe run: one session that lists the mailbox and logs out, nothing fetched or deleted. */
    static RabidConfig probe(RabidConfig config) {
        RabidConfig.Workload w = config.workload();
        return new RabidConfig(config.target(),
                new RabidConfig.Workload(1, w.perConnection(), 0, 0, w.duration(), w.imapPercent(), 0, 0, w.seed(), 1),
                config.session(), config.output());
    }
}
