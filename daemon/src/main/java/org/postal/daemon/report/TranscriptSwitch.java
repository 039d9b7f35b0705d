// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Transcripts that can be turned on and off while running ({@code postalctl NAME transcript on|off}).
 *
 * <p>They start on when -z or -Z named a base. Turning them on without one uses a default base in
 * the log directory, {@code LOGDIR/NAME.transcript} (NAME: the program or --name), one file per slot (as -z). Sessions opened
 * after the switch follow it; open sessions keep recording or not, as they started. One
 * {@link Transcripts} is kept across switches, so a slot's file is appended to, not restarted.
 */
public final class TranscriptSwitch {

    private final Transcripts transcripts;
    private final Path base;
    private final boolean perConnection;
    private volatile boolean on;

    /**
     * @param configured    the -z/-Z base, or null
     * @param fallback      the base used when turned on without one
     */
    public TranscriptSwitch(Path configured, boolean perConnection, Path fallback) {
        this.base = configured != null ? configured : fallback;
        this.perConnection = configured != null && perConnection;
        this.transcripts = new Transcripts(base, this.perConnection);
        this.on = configured != null;
    }

    /** The transcripts for a new session, or null when they are off. */
    public Transcripts current() {
        return on ? transcripts : null;
    }

    /** Turns them on or off; returns a sentence saying what now happens. */
    public String set(boolean wanted) {
        on = wanted;
        return wanted ? "transcripts on: new sessions are recorded to " + base + ":SLOT" + (perConnection ? ":N" : "")
                : "transcripts off for new sessions";
    }

    /** Where transcripts that could not be written are counted, across every switch. */
    public WriteFailures failures() {
        return transcripts.failures();
    }

    public boolean on() {
        return on;
    }

    /** For {@code config}: on or off, and the files. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("on", on);
        out.put("base", base.toString());
        out.put("per_connection", perConnection);
        return out;
    }
}
