// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.nio.file.Path;

/**
 * What one ledger section said about itself once read: who wrote it and whether it was complete.
 *
 * @param file     the file it came from
 * @param program  postal, bhm or rabid
 * @param name     the writer's instance name
 * @param run      postal's run id, or 0 for receivers
 * @param records  records read
 * @param complete true when its {@code #end} line was there
 * @param torn     true when its last line had no newline (skipped)
 * @param end      the time of its {@code #end}, or of its last record when cut (epoch ms; 0 if none)
 */
public record Section(Path file, String program, String name, long run, long records, boolean complete,
                      boolean torn, long end) {

    /** True for ledgers of messages received or fetched (bhm, rabid). */
    public boolean receiver() {
        return !program.equals("postal");
    }

    /** One line for the report. */
    public String describe() {
        String who = program + (run != 0 ? " run " + Identity.runText(run) : " " + name);
        String state = complete ? "complete" : "cut (no #end line" + (torn ? ", last line torn" : "") + ")";
        return file + ": " + who + ", " + records + " records, " + state;
    }
}
