// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.EtcConfigChecks;
import org.postal.daemon.EtcConfigs;

/** Keeps etc/bhm.conf, bhm's options and the bhm.conf example in postal.conf(5) in step. */
class EtcConfigTest implements EtcConfigChecks {

    @Override
    public EtcConfigs file() {
        return EtcConfigs.of(SinkCommand::new, "bhm.conf");
    }

    @Test
    void theManPageExampleLoads(@TempDir Path scratch) throws Exception {
        file().assertManPageExampleLoads(scratch);
    }
}
