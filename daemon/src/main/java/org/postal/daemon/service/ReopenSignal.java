// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import org.postal.daemon.report.OpenLogs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGUSR1 reopens the log files by name, as many Debian daemons do after logrotate renamed them
 * (SIGHUP is taken: it reloads the settings). The same as {@code postalctl NAME reopen}, for the
 * places where sending a signal is easier than reaching the admin socket.
 *
 * <p>Without a handler the JVM would exit on SIGUSR1, so one is installed in every service.
 */
final class ReopenSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ReopenSignal.class);

    private ReopenSignal() {
    }

    /** Installs the handler; a JVM run with -Xrs keeps its own handling and gets a warning. */
    static void install(OpenLogs logs) {
        try {
            Signal.handle(new Signal("USR1"), s -> logs.reopenAll());
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot handle SIGUSR1: {}", e.getMessage());
        }
    }
}
