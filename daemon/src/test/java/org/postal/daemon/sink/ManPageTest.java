// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import org.junit.jupiter.api.Test;
import org.postal.daemon.ManPages;

/** Keeps bhm(8) and bhm --help in step: the same options, no more, no fewer. */
class ManPageTest {

    private final ManPages page = ManPages.of(new SinkCommand(), "bhm.8");

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
