// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import org.postal.daemon.EtcConfigChecks;
import org.postal.daemon.EtcConfigs;

/** Keeps etc/rabid.conf and rabid's options in step. */
class EtcConfigTest implements EtcConfigChecks {

    @Override
    public EtcConfigs file() {
        return EtcConfigs.of(RabidCommand::new, "rabid.conf");
    }
}
