// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import org.postal.daemon.ManPageChecks;
import org.postal.daemon.ManPages;

/** Keeps bhm(8) and bhm --help in step: the same options, no more, no fewer. */
class ManPageTest implements ManPageChecks {

    @Override
    public ManPages page() {
        return ManPages.of(new SinkCommand(), "bhm.8");
    }
}
