// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import org.junit.jupiter.api.Test;
import org.postal.daemon.ManPages;

/** Keeps rabid(8) and rabid --help in step: the same options, no more, no fewer. */
class ManPageTest {

    private final ManPages page = ManPages.of(new RabidCommand(), "rabid.8");

    @Test
    void everyOptionIsDocumented() {
        page.assertEveryOptionDocumented();
    }

    @Test
    void everyDocumentedOptionExists() {
        page.assertEveryDocumentedOptionExists();
    }

    @Test
    void everyOptionHasHelpText() {
        page.assertEveryOptionHasHelpText();
    }
}
