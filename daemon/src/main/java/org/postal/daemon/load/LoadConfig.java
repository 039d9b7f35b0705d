// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.time.Duration;

/** What {@link LoadRun} reads of a load generator's config record (postal's and rabid's implement it). */
public interface LoadConfig {

    /** Statistics, the program's log, transcripts and the instance name. */
    LoadOutput output();

    /** The rate in events per second (0: unlimited), which a reload may change while running. */
    double ratePerSecond();

    /** The seed of every random draw, printed at the start so a run can be repeated. */
    long seed();

    /** Stop after this long; null for no limit. */
    Duration duration();

    /** Leave this first stretch out of the summary; null for none. */
    Duration warmup();
}
