// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks every shipped config file passes, as JUnit tests: a program's {@code EtcConfigTest}
 * implements this and names its file with {@link #file()}; the checks themselves are {@link EtcConfigs}'.
 */
public interface EtcConfigChecks {

    /** The config file under test against fresh instances of its command. */
    EtcConfigs file();

    @Test
    default void keysAreTheOptions() {
        file().assertKeysAreTheOptions();
    }

    @Test
    default void everyKeyHasAComment() {
        file().assertEveryKeyHasAComment();
    }

    @Test
    default void everyValueIsValid(@TempDir Path scratch) throws Exception {
        file().assertEveryValueIsValid(scratch);
    }

    @Test
    default void commentedValuesAreTheDefaults(@TempDir Path scratch) throws Exception {
        file().assertCommentedValuesAreTheDefaults(scratch);
    }
}
