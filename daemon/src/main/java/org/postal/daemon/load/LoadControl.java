// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postal.ctl.protocol.Response;
import org.postal.daemon.control.ConfigReload;
import org.postal.daemon.control.ConfigMaps;
import org.postal.daemon.control.Controllable;
import org.postal.daemon.report.TranscriptSwitch;

/** The control side of postal and rabid: rate, pause and resume on the schedule, transcripts, counters. */
public final class LoadControl implements Controllable {

    private final String program;
    private final LoadKind kind;
    private final RateSchedule schedule;
    private final LoadStats stats;
    private final TranscriptSwitch transcripts;
    private final Record config;
    private final Duration interval;
    private final long startNanos = System.nanoTime();
    private final String unit;
    private ConfigReload<? extends Record> reload;

    /**
     * @param config      the run's config record, shown by {@code config}
     * @param interval    the statistics interval, the default watch period
     */
    public LoadControl(RateSchedule schedule, LoadStats stats, TranscriptSwitch transcripts, Record config,
                       Duration interval) {
        this.kind = stats.kind();
        this.program = kind.program();
        this.schedule = schedule;
        this.stats = stats;
        this.transcripts = transcripts;
        this.config = config;
        this.interval = interval;
        this.unit = kind.unit();
    }

    @Override
    public String program() {
        return program;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("program", program);
        out.put("pid", ProcessHandle.current().pid());
        out.put("state", schedule.stopped() ? "stopping" : schedule.paused() ? "paused" : "running");
        out.put("uptime_s", (System.nanoTime() - startNanos) / 1_000_000_000L);
        out.put("rate", rateText(schedule.rate()));
        out.put(unit + "_started", schedule.claimed());
        out.put("messages", stats.messages.sum());
        out.put("errors", stats.errors.sum());
        out.put("transcripts", transcripts.on());
        return out;
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uptime_s", (System.nanoTime() - startNanos) / 1_000_000_000L);
        out.put("messages", stats.messages.sum());
        out.put("data_kib", stats.bytes.sum() / 1024);
        out.put("errors", stats.errors.sum());
        out.put("connections", stats.connections.sum());
        out.put("tls_connections", stats.tlsConnections.sum());
        kind.counters().forEach(c -> out.put(c.key(), stats.counter(c).sum()));
        out.put("rate_per_s", schedule.rate());
        out.put("paused", schedule.paused());
        Map<String, Object> failures = new LinkedHashMap<>();
        stats.failures().forEach(failures::put);
        out.put("failures", failures);
        if (!kind.replyPhases().isEmpty()) {
            out.put("replies", stats.replies().byPhase(stats.replies().snapshot()));
        }
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> out = ConfigMaps.of(config);
        Map<String, Object> live = new LinkedHashMap<>();
        live.put("rate", rateText(schedule.rate()));
        live.put("paused", schedule.paused());
        live.put("transcript", transcripts.describe());
        out.put("run_time", live);
        return out;
    }

    @Override
    public Duration watchInterval() {
        return interval;
    }

    /** Makes {@code reload} work with this reader of the config file. */
    public LoadControl reloading(ConfigReload<? extends Record> reloader) {
        reload = reloader;
        return this;
    }

    @Override
    public Response reload() {
        return reload == null ? Controllable.super.reload() : reload.reload();
    }

    /** The rate setting, applied by a reload. */
    public String applyRate(double perSecond) {
        schedule.rate(perSecond, System.nanoTime());
        return "rate=" + rateText(perSecond);
    }

    @Override
    public Response pause() {
        if (schedule.stopped()) {
            return Response.error(program + " is stopping");
        }
        return schedule.pause() ? Response.done(program + " paused: no new " + unit + " until resume")
                : Response.error(program + " is already paused");
    }

    @Override
    public Response resume() {
        return schedule.resume(System.nanoTime()) ? Response.done(program + " resumed at " + rateText(schedule.rate()))
                : Response.error(program + " is not paused");
    }

    @Override
    public Response rate(String text) {
        double perSecond;
        try {
            perSecond = Rate.parse(text).perSecond();
        } catch (IllegalArgumentException e) {
            return Response.error(e.getMessage());
        }
        schedule.rate(perSecond, System.nanoTime());
        return Response.done(program + " rate now " + rateText(perSecond));
    }

    @Override
    public Response transcript(boolean on) {
        return Response.done(transcripts.set(on));
    }

    private static String rateText(double perSecond) {
        return Rate.text(perSecond);
    }
}
