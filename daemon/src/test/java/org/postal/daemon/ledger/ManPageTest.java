// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import org.postal.daemon.ManPageChecks;
import org.postal.daemon.ManPages;

/** Keeps postal-match(1) and postal-match --help in step: the same options, no more, no fewer. */
class ManPageTest implements ManPageChecks {

    @Override
    public ManPages page() {
        return ManPages.of(new MatchMain.MatchCommand(), "postal-match.1");
    }
}
