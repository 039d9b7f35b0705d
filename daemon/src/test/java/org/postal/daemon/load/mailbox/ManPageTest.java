// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import org.postal.daemon.ManPageChecks;
import org.postal.daemon.ManPages;

/** Keeps rabid(8) and rabid --help in step: the same options, no more, no fewer. */
class ManPageTest implements ManPageChecks {

    @Override
    public ManPages page() {
        return ManPages.of(new RabidCommand(), "rabid.8");
    }
}
