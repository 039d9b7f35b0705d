// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.daemon.DaemonContext;
import org.apache.commons.daemon.DaemonController;
import org.apache.commons.daemon.DaemonInitException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.service.Privileges;

/** The jsvc lifecycle: init reads the config and binds, start never runs as root, stop is the clean stop. */
class JsvcDaemonTest {

    @TempDir
    Path dir;

    private final JsvcDaemon daemon = new JsvcDaemon();

    @AfterEach
    void destroy() {
        daemon.destroy();
    }

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
    void bhmInitBindsAndStartRefusesRoot() throws Exception {
        daemon.init(context("bhm", "--bind", "127.0.0.1", "--port", "0", "--interval", "1h",
                "--control-dir", dir.toString(), "--log-dir", dir.toString()));
        if (Privileges.isRoot()) {
            assertThatThrownBy(daemon::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("jsvc -user postal");
        } else {
            daemon.start();
            daemon.stop();
            assertThat(daemon.exitStatus()).isZero();
        }
    }

    @Test
    void bhmInitBindsThePortItsConfigFileNames() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path conf = Files.writeString(dir.resolve("bhm.conf"), "bind = 127.0.0.1\nport = " + port + "\n");
        daemon.init(context("bhm", "--config", conf.toString()));
        try (ServerSocket second = new ServerSocket()) {
            assertThatThrownBy(() -> second.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))
                    .isInstanceOf(BindException.class);
        }
    }

    @Test
    void badConfigFileFailsInitWithFileAndLine() throws IOException {
        Path conf = Files.writeString(dir.resolve("rabid.conf"), "# accounts\nno-such-key = 1\n");
        assertThatThrownBy(() -> daemon.init(context("rabid", "--config", conf.toString())))
                .isInstanceOf(DaemonInitException.class).hasMessageStartingWith("rabid: ")
                .hasMessageContaining(conf.toString()).hasMessageContaining("2");
    }

    @Test
    void badOptionsFailInitNamingTheProgram() {
        assertThatThrownBy(() -> daemon.init(context("bhm", "--no-such-option")))
                .isInstanceOf(DaemonInitException.class).hasMessageStartingWith("bhm: ");
        assertThatThrownBy(() -> daemon.init(context("postal", "--rate", "fast")))
                .isInstanceOf(DaemonInitException.class).hasMessageStartingWith("postal: ");
    }

    @Test
    void unknownOrMissingProgramFailsInit() {
        assertThatThrownBy(() -> daemon.init(context("postal-list")))
                .isInstanceOf(DaemonInitException.class).hasMessageContaining("bhm, postal or rabid");
        assertThatThrownBy(() -> daemon.init(context()))
                .isInstanceOf(DaemonInitException.class).hasMessageContaining("name the program first");
    }
}
