// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postal.ctl.protocol.Response;
import org.postal.daemon.control.ConfigMaps;
import org.postal.daemon.control.Controllable;
import org.postal.daemon.load.Rate;
import org.postal.daemon.load.RateSchedule;

/** postal-dns under postalctl: status, stats, config, rate, pause and resume. */
public final class DnsControl implements Controllable {

    private final DnsLoad load;
    private final long startNanos = System.nanoTime();

    public DnsControl(DnsLoad load) {
        this.load = load;
    }

    @Override
    public String program() {
        return "postal-dns";
    }

    @Override
    public Map<String, Object> status() {
        RateSchedule s = load.schedule();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("program", program());
        out.put("pid", ProcessHandle.current().pid());
        out.put("state", s.stopped() ? "stopping" : s.paused() ? "paused" : "running");
        out.put("uptime_s", (System.nanoTime() - startNanos) / 1_000_000_000L);
        out.put("rate_per_s", s.rate());
        out.put("server", load.config().server().toString());
        out.put("sent", load.stats().sent.sum());
        return out;
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uptime_s", (System.nanoTime() - startNanos) / 1_000_000_000L);
        out.put("sent", load.stats().sent.sum());
        out.put("rate_per_s", load.schedule().rate());
        out.put("paused", load.schedule().paused());
        out.put("rcodes", new LinkedHashMap<>(load.stats().rcodes()));
        out.put("answers", new LinkedHashMap<>(load.stats().outcomes()));
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> out = ConfigMaps.of(load.config());
        out.put("run_time", Map.of("rate_per_s", load.schedule().rate(), "paused", load.schedule().paused()));
        return out;
    }

    @Override
    public Duration watchInterval() {
        return load.config().interval();
    }

    @Override
    public Response pause() {
        RateSchedule s = load.schedule();
        if (s.stopped()) {
            return Response.error("postal-dns is stopping");
        }
        return s.pause() ? Response.done("postal-dns paused: no new questions until resume")
                : Response.error("postal-dns is already paused");
    }

    @Override
    public Response resume() {
        return load.schedule().resume(System.nanoTime()) ? Response.done("postal-dns resumed")
                : Response.error("postal-dns is not paused");
    }

    @Override
    public Response rate(String text) {
        try {
            double perSecond = Rate.parse(text).perSecond();
            load.schedule().rate(perSecond, System.nanoTime());
            return Response.done("postal-dns rate now " + perSecond + "/s");
        } catch (IllegalArgumentException e) {
            return Response.error(e.getMessage());
        }
    }
}
