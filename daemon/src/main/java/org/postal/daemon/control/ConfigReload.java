// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.control;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.postal.ctl.protocol.Response;
import org.postal.daemon.config.ConfigLoader.Loaded;

/**
 * {@code postalctl reload} and SIGHUP: the config file is read again; what can change while
 * running is applied, and what cannot (a port, a bind address, the protocol) is named as needing
 * a restart. A file that does not load changes nothing and the answer says why, with file and line.
 *
 * @param <C> the daemon's config record
 */
public final class ConfigReload<C extends Record> {

    /** Applies one changed setting while running, if it can. */
    @FunctionalInterface
    public interface Applier<C> {
        /**
         * @param name the setting's dotted name, e.g. {@code policy.users} or {@code workload.rate}
         * @return a short note of what was done, or null when this setting needs a restart
         * @throws Exception when the new value cannot be used (nothing is changed then)
         */
        String apply(String name, C next) throws Exception;
    }

    private final Supplier<Loaded<C>> loader;
    private final C running;
    private final Applier<C> applier;
    private final java.util.Set<String> ignored;

    /**
     * @param loader  reads the config again (typically {@code ConfigLoader.load} with the daemon's arguments)
     * @param running the settings the daemon started with
     * @param ignored  settings that differ on every load without a change in the file (a seed drawn anew)
     */
    public ConfigReload(Supplier<Loaded<C>> loader, C running, Applier<C> applier, String... ignored) {
        this.loader = loader;
        this.running = running;
        this.applier = applier;
        this.ignored = java.util.Set.of(ignored);
    }

    /** Reads, compares and applies; the response says what happened. */
    public synchronized Response reload() {
        Loaded<C> loaded = loader.get();
        if (loaded instanceof Loaded.Failed<C> failed) {
            return Response.error("reload refused, settings unchanged: " + failed.error().getMessage());
        }
        C next = ((Loaded.Ok<C>) loaded).config();
        List<String> changed = differences(running, next, "");
        changed.removeAll(ignored);
        if (changed.isEmpty()) {
            return Response.done("reloaded: nothing changed");
        }
        List<String> applied = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        for (String name : changed) {
            String note;
            try {
                note = applier.apply(name, next);
            } catch (Exception e) {
                return Response.error("reload stopped at " + name + ": " + e.getMessage()
                        + (applied.isEmpty() ? "; nothing changed" : "; applied before it: " + applied));
            }
            if (note == null) {
                restart.add(name);
            } else {
                applied.add(note);
            }
        }
        return Response.done("reloaded: " + (applied.isEmpty() ? "nothing applied" : "applied " + String.join(", ", applied))
                + (restart.isEmpty() ? "" : "; needs a restart: " + String.join(", ", restart)));
    }

    /** SIGHUP's form: a failed reload throws with the reason. */
    public void hangup() throws Exception {
        Response response = reload();
        if (!response.ok()) {
            throw new IllegalStateException(response.error());
        }
        org.slf4j.LoggerFactory.getLogger(ConfigReload.class).info("{}", response.result().get("message"));
    }

    /** The dotted names of the leaf components that differ between two records of one type. */
    static List<String> differences(Record a, Record b, String prefix) {
        List<String> out = new ArrayList<>();
        for (RecordComponent component : a.getClass().getRecordComponents()) {
            Object x;
            Object y;
            try {
                x = component.getAccessor().invoke(a);
                y = component.getAccessor().invoke(b);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            String name = prefix + component.getName();
            if (x instanceof Record rx && y instanceof Record ry && rx.getClass() == ry.getClass()) {
                out.addAll(differences(rx, ry, name + "."));
            } else if (!Objects.equals(x, y)) {
                out.add(name);
            }
        }
        return out;
    }
}
