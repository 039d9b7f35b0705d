// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.EtcConfigs;

/** Keeps etc/bhm.conf and bhm's options in step. */
class EtcConfigTest {

    private final EtcConfigs file = EtcConfigs.of(SinkCommand::new, "bhm.conf");

    @Test
    void keysAreTheOptions() {
        file.assertKeysAreTheOptions();
    }

    @Test
    void everyKeyHasAComment() {
        file.assertEveryKeyHasAComment();
    }

    @Test
    void everyValueIsValid(@TempDir Path scratch) throws Exception {
        file.assertEveryValueIsValid(scratch);
    }

    @Test
    void commentedValuesAreTheDefaults(@TempDir Path scratch) throws Exception {
        file.assertCommentedValuesAreTheDefaults(scratch);
    }

    @Test
    void theManPageExampleLoads(@TempDir Path scratch) throws Exception {
        file.assertManPageExampleLoads(scratch);
    }
}
