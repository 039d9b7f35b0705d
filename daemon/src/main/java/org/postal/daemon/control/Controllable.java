// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.control;

import java.time.Duration;
import java.util.Map;
import org.postal.ctl.protocol.Response;
import org.postal.daemon.report.OpenLogs;

/**
 * What a daemon offers its control sockets: one method per command of the control protocol (doc/DECISIONS.md §3).
 *
 * <p>The control event loop calls these from its own thread, one request at a time per
 * connection, so implementations must be thread-safe and quick (no blocking I/O beyond reading a
 * small file). Read-only methods return a JSON-shaped map (see {@link Response}); admin methods
 * return {@link Response#done} or {@link Response#error} and change nothing when they refuse.
 * A daemon that lacks a command keeps the default, which refuses it by name.
 */
public interface Controllable {

    /** The program: bhm, postal or rabid. */
    String program();

    /** State at a glance: program, name, pid, state, uptime and what it is connected to. */
    Map<String, Object> status();

    /** Counters since start; also the payload of each watch line. */
    Map<String, Object> stats();

    /** Effective settings, including the ones changed at run time. */
    Map<String, Object> config();

    /** The default watch period: the daemon's --interval. */
    Duration watchInterval();

    default Response pause() {
        return unsupported("pause");
    }

    default Response resume() {
        return unsupported("resume");
    }

    /** Changes the rate, given as {@code N/s}, {@code N/min}, {@code N/h} or a bare per-minute number. */
    default Response rate(String rate) {
        return unsupported("rate");
    }

    /** Changes one run-time setting; an unknown key or bad value is refused with the reason. */
    default Response set(String key, String value) {
        return Response.error(program() + " has no run-time setting \"" + key + "\"");
    }

    /** Re-reads the config file; a bad file is refused and the running settings are kept. */
    default Response reload() {
        return Response.error("reload is not supported yet: " + program() + " reads no config file (--config)");
    }

    /**
     * Reopens the log files by name (after logrotate renamed them): every program has the same
     * answer, since the files it has open are the process's ({@link OpenLogs}).
     */
    default Response reopen() {
        OpenLogs.Result result = OpenLogs.process().reopenAll();
        return result.failed().isEmpty() ? Response.done(result.describe()) : Response.error(result.describe());
    }

    /** Starts or stops transcripts of new sessions. */
    default Response transcript(boolean on) {
        return unsupported("transcript");
    }

    private Response unsupported(String command) {
        return Response.error(program() + " does not support " + command);
    }
}
