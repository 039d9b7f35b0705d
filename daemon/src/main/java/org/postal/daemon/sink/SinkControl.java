// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postal.ctl.protocol.Response;
import org.postal.daemon.control.ConfigReload;
import org.postal.daemon.control.ConfigMaps;
import org.postal.daemon.control.Controllable;

/** The control side of bhm: counters, fault rules, the user list and transcripts; bhm has no rate or pause. */
public final class SinkControl implements Controllable {

    private final Sink sink;
    private final SinkServices services;
    private final long startNanos = System.nanoTime();
    private ConfigReload<SinkConfig> reload;

    public SinkControl(Sink sink) {
        this.sink = sink;
        this.services = sink.services();
    }

    @Override
    public String program() {
        return "bhm";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("program", "bhm");
        out.put("pid", ProcessHandle.current().pid());
        out.put("state", "running");
        out.put("uptime_s", (System.nanoTime() - startNanos) / 1_000_000_000L);
        out.put("protocol", services.config().listen().lmtp() ? "LMTP" : "SMTP");
        out.put("listening", sink.addresses().stream().map(a -> a.getAddress().getHostAddress() + ":"
                + a.getPort()).toList());
        out.put("sessions", (long) services.slots().inUse());
        out.put("messages", services.stats().messages.sum());
        out.putAll(services.settings().rules().describe());
        out.put("transcripts", services.settings().transcripts().on());
        return out;
    }

    @Override
    public Map<String, Object> stats() {
        SinkStats.Snapshot s = services.stats().snapshot();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uptime_s", (System.nanoTime() - startNanos) / 1_000_000_000L);
        out.put("messages", s.messages());
        out.put("data_kib", s.bytes() / 1024);
        out.put("errors", s.errors());
        out.put("connections", s.connections());
        out.put("clients", services.stats().clients.distinct());
        out.put("clients_exact", services.stats().clients.exact());
        out.put("tls_connections", s.tlsConnections());
        out.put("verified", s.verified());
        out.put("corrupt", s.corrupt());
        out.put("unsigned", s.unsigned());
        out.put("duplicates", s.duplicates());
        out.put("sessions", (long) services.slots().inUse());
        out.put("stalled", services.stats().stalled.count());
        out.put("log_failures", services.stats().messageLogFailures.count()
                + services.settings().transcripts().failures().lost());
        Map<String, Object> rejects = new LinkedHashMap<>();
        s.rejects().forEach((code, n) -> rejects.put(String.valueOf(code), n));
        out.put("rejects", rejects);
        Map<String, Object> fired = new LinkedHashMap<>();
        s.fired().forEach((rule, n) -> fired.put(rule.key(), n));
        out.put("fired", fired);
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> out = ConfigMaps.of(services.config());
        Map<String, Object> live = new LinkedHashMap<>();
        live.putAll(services.settings().rules().describe());
        live.put("users", services.settings().usersFile() == null ? null : services.settings().usersFile().toString());
        live.put("user_count", (long) services.settings().users().size());
        live.put("transcript", services.settings().transcripts().describe());
        out.put("run_time", live);
        return out;
    }

    @Override
    public Duration watchInterval() {
        return services.config().output().interval();
    }

    @Override
    public Response rate(String rate) {
        return Response.error("bhm has no rate: it answers as fast as clients send (rate is for postal and rabid)");
    }

    @Override
    public Response pause() {
        return Response.error("bhm cannot pause: use set fault.VERB=421 to turn clients away");
    }

    @Override
    public Response resume() {
        return Response.error("bhm cannot pause, so there is nothing to resume");
    }

    @Override
    public Response set(String key, String value) {
        try {
            return Response.done(services.settings().set(key, value));
        } catch (IllegalArgumentException | IOException e) {
            return Response.error(e.getMessage());
        }
    }

    /** Makes {@code reload} work: the user list changes while running; the rest needs a restart. */
    SinkControl reloading(java.util.function.Supplier<org.postal.daemon.config.ConfigLoader.Loaded<SinkConfig>> loader,
                          SinkConfig running) {
        reload = new ConfigReload<>(loader, running, (name, next) -> {
            if (name.equals("policy.users") && next.policy().users() != null) {
                services.settings().set("users", next.policy().users().toString());
                return "users=" + next.policy().users();
            }
            if (name.equals("policy.greylistDelay")) {
                // Also in policy.rules, applied there.
                return "greylist-delay=" + org.postal.daemon.config.Durations.format(next.policy().greylistDelay());
            }
            if (name.equals("policy.rules")) {
                // The file's rules replace the running ones, those set with postalctl included.
                services.settings().rules(SinkRules.of(next.policy().rules()));
                return "rules " + next.policy().rules();
            }
            return null;
        });
        return this;
    }

    /** What SIGHUP runs; null until {@link #reloading} was called. */
    ConfigReload<SinkConfig> reloader() {
        return reload;
    }

    /** The config file read again, then the DNSBL list, whose file may have changed while its name did not. */
    @Override
    public Response reload() {
        boolean lists = services.settings().rules().dnsbl().file() != null;
        Response response = reload != null ? reload.reload()
                : lists ? Response.done("no config file (started without --config)") : Controllable.super.reload();
        if (!response.ok() || !lists) {
            return response;
        }
        try {
            services.settings().rules(services.settings().rules().rereadLists());
        } catch (IllegalArgumentException e) {
            return Response.error(response.result().get("message") + "; the DNSBL list was kept: " + e.getMessage());
        }
        return Response.done(response.result().get("message") + "; DNSBL list "
                + services.settings().rules().dnsbl().describe());
    }

    /** What SIGHUP runs: {@link #reload}, failing with the reason. */
    void hangup() {
        Response response = reload();
        if (!response.ok()) {
            throw new IllegalStateException(response.error());
        }
        org.slf4j.LoggerFactory.getLogger(SinkControl.class).info("{}", response.result().get("message"));
    }

    @Override
    public Response transcript(boolean on) {
        return Response.done(services.settings().transcripts().set(on));
    }
}
