// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import org.postal.daemon.ManPageChecks;
import org.postal.daemon.ManPages;

/** Keeps postal(8) and postal --help in step: the same options, no more, no fewer. */
class ManPageTest implements ManPageChecks {

    @Override
    public ManPages page() {
        return ManPages.of(new SmtpLoadCommand(), "postal.8");
    }
}
