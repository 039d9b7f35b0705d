// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import java.io.PrintStream;
import java.util.concurrent.atomic.LongAdder;
import org.postal.daemon.load.LoadEngine;

/**
 * Whether --announce xclient works against this server at all. Each refusal (XCLIENT not offered
 * in EHLO, or answered with other than 220) already fails its own session; when one comes before
 * any session was taken, the server is not letting this client announce, so the run stops with
 * that reason (exit 69) instead of sending unannounced or failing every session until the end.
 */
final class XclientVerdict {

    private final LongAdder accepted = new LongAdder();
    private volatile String firstRefusal;
    private boolean stopped;

    void accepted() {
        accepted.increment();
    }

    void refused(String what) {
        if (firstRefusal == null) {
            firstRefusal = what;
        }
    }

    /** Called on the run's periodic check: stops {@code engine} when no XCLIENT has been taken and one was refused. */
    void check(LoadEngine engine, PrintStream err) {
        String refusal = firstRefusal;
        if (!stopped && refusal != null && accepted.sum() == 0) {
            stopped = true;
            err.println("postal: --announce xclient: the server refused (" + refusal + "); it must offer XCLIENT "
                    + "in its EHLO reply to this client (Postfix: smtpd_authorized_xclient_hosts; bhm: "
                    + "--xclient-authorized); stopping");
            engine.stop();
        }
    }

    boolean stopped() {
        return stopped;
    }
}
