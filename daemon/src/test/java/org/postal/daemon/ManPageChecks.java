// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon;

import org.junit.jupiter.api.Test;

/**
 * The checks every man page of a daemon program passes, as JUnit tests: a program's
 * {@code ManPageTest} implements this and names its page with {@link #page()}; the checks
 * themselves are {@link ManPages}'.
 */
public interface ManPageChecks {

    /** The man page under test against its command. */
    ManPages page();

    @Test
    default void everyOptionIsDocumented() {
        page().assertEveryOptionDocumented();
    }

    @Test
    default void everyDocumentedOptionExists() {
        page().assertEveryDocumentedOptionExists();
    }

    @Test
    default void everyOptionHasHelpText() {
        page().assertEveryOptionHasHelpText();
    }
}
