// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import org.postal.daemon.ManPageChecks;
import org.postal.daemon.ManPages;

/** Keeps postal-list(1) and postal-list --help in step: the same options, no more, no fewer. */
class ManPageTest implements ManPageChecks {

    @Override
    public ManPages page() {
        return ManPages.of(new ListCommand(), "postal-list.1");
    }
}
