// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

/** Where the load's questions come from: generated from a mail workload, or read from a dnsperf file. */
public interface QuerySource {

    /** The next question; sources never run dry (a file starts again at its first line). Thread-safe. */
    Query next();
}
