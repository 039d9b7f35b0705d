// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

/** A load generator's own log (postal.log, rabid.log) as its run sees it. */
public interface RunLog {

    /** Makes the log durable up to now; the run calls it after every statistics row. */
    void flush();

    /** Where the log counts its failed writes (a full disk stops the run: exit 74). */
    WriteFailures failures();
}
