// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.EtcConfigChecks;
import org.postal.daemon.EtcConfigs;

/** Keeps etc/postal.conf, postal's options and the postal.conf example in postal.conf(5) in step. */
class EtcConfigTest implements EtcConfigChecks {

    @Override
    public EtcConfigs file() {
        return EtcConfigs.of(SmtpLoadCommand::new, "postal.conf");
    }

    @Test
    void theManPageExampleLoads(@TempDir Path scratch) throws Exception {
        file().assertManPageExampleLoads(scratch);
    }
}
