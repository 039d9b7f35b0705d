// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.daemon.DaemonContext;
import org.apache.commons.daemon.DaemonController;
import org.apache.commons.daemon.DaemonInitException;
import org.junit.jupiter.api.Test;
import org.postal.daemon.service.Privileges;

/** The jsvc lifecycle: init binds, start never runs as root, stop is the clean stop. */
class SinkDaemonTest {

    private static DaemonContext context(String... args) {
        return new DaemonContext() {
            @Override
            public DaemonController getController() {
                return null;
            }

            @Override
            public String[] getArguments() {
                return args;
            }
        };
    }

    @Test
    void initBindsAndStartRefusesRoot() throws Exception {
        SinkDaemon daemon = new SinkDaemon();
        daemon.init(context("--bind", "127.0.0.1", "--port", "0", "--interval", "1h"));
        if (Privileges.isRoot()) {
            assertThatThrownBy(daemon::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("jsvc -user postal");
            daemon.destroy();
        } else {
            daemon.start();
            daemon.stop();
            assertThat(daemon.exitStatus()).isZero();
            daemon.destroy();
        }
    }

    @Test
    void badOptionsFailInit() {
        assertThatThrownBy(() -> new SinkDaemon().init(context("--no-such-option")))
                .isInstanceOf(DaemonInitException.class).hasMessageStartingWith("bhm: ");
    }
}
