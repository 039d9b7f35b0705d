// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.time.Duration;

/** What {@link LoadRun} reads of a load generator's config record (postal's and rabid's implement it). */
public interface LoadConfig {

    /** The part of a program's workload that the run itself reads. */
    interface Work {
        /** Events per second (0: unlimited), which a reload may change while running. */
        double rate();

        /** The seed of every random draw, printed at the start so a run can be repeated. */
        long seed();

        /** Stop after this long; null for no limit. */
        Duration duration();

        /** Leave this first stretch out of the summary; null for none. */
        default Duration warmup() {
            return null;
        }
    }

    /** Statistics, the program's log, transcripts and the instance name. */
    LoadOutput output();

    Work workload();
}
