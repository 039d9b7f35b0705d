// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import org.postal.daemon.ManPageChecks;
import org.postal.daemon.ManPages;

/** Keeps postal-dns(8) and postal-dns --help in step: the same options, no more, no fewer. */
class ManPageTest implements ManPageChecks {

    @Override
    public ManPages page() {
        return ManPages.of(new DnsLoadCommand(), "postal-dns.8");
    }
}
