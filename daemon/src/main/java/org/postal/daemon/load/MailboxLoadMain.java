// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import io.netty.util.ResourceLeakDetector;
import org.postal.daemon.load.mailbox.RabidMain;
import org.postal.daemon.service.Service;
import org.postal.daemon.service.StopSignals;

/** Entry point of {@code rabid}, the POP3/IMAP reader; the work is in {@link RabidMain}. */
public final class MailboxLoadMain {

    private MailboxLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        Service service = Service.fromEnvironment("rabid");
        // Leak tracking samples stack traces on the hot path; the tests keep it on.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        RabidMain.Run run = new RabidMain.Run(service);
        StopSignals.install(run::stop, run::stopNow);
        System.exit(RabidMain.run(args, System.out, System.err, run));
    }
}
