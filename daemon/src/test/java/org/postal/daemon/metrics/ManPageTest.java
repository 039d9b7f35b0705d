// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import org.postal.daemon.ManPageChecks;
import org.postal.daemon.ManPages;

/** Keeps postal-report(1) and postal-report --help in step: the same options, no more, no fewer. */
class ManPageTest implements ManPageChecks {

    @Override
    public ManPages page() {
        return ManPages.of(new ReportMain.ReportCommand(), "postal-report.1");
    }
}
