// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import org.junit.jupiter.api.Test;
import org.postal.daemon.ManPages;

/** Keeps postal-list(1) and postal-list --help in step: the same options, no more, no fewer. */
class ManPageTest {

    private final ManPages page = ManPages.of(new ListCommand(), "postal-list.1");

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
