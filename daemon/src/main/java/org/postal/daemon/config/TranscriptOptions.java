// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** 0.76's -z and -Z, the same in bhm, postal and rabid: where session transcripts go, and how they split. */
public final class TranscriptOptions {

    @Option(names = {"-z", "--transcript"}, paramLabel = "BASE",
            description = "Transcript of all network I/O, one file per session slot: BASE:SLOT.")
    Path perSlot;

    @Option(names = {"-Z", "--transcript-per-connection"}, paramLabel = "BASE",
            description = "Transcript with one file per connection: BASE:SLOT:N.")
    Path perConnection;

    /** The file base, or null when no transcript is asked for; -z and -Z exclude each other. */
    public Path base() {
        if (perSlot != null && perConnection != null) {
            throw new IllegalArgumentException("-z and -Z exclude each other");
        }
        return perSlot != null ? perSlot : perConnection;
    }

    /** Whether each connection gets a file of its own (-Z). */
    public boolean perConnection() {
        return perConnection != null;
    }
}
