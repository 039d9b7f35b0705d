// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Two runs side by side (an MTA before and after a change), phase by phase: each percentile of
 * both, the change and its {@link Bootstrap} interval, and whether the change exceeds the
 * run-to-run noise, which is when that interval leaves out zero.
 */
final class RunComparison {

    private static final double[] PERCENTILES = {50, 90, 99};

    /** What a comparison of one percentile (or of a phase that cannot be compared) says. */
    enum Verdict {
        SLOWER("slower"), FASTER("faster"), NOISE("within noise"),
        FEW("too few intervals"), ONLY_BEFORE("only before"), ONLY_AFTER("only after");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }

        static Verdict of(Bootstrap.Change change) {
            return change.low() > 0 ? SLOWER : change.high() < 0 ? FASTER : NOISE;
        }
    }

    /** One phase: its counts in both runs, and either its percentiles' changes or why there are none. */
    record Phase(String tag, long beforeCount, long afterCount, Verdict verdict, List<Bootstrap.Change> changes) {
        Phase {
            changes = List.copyOf(changes);
            if (changes.isEmpty() == (verdict == Verdict.SLOWER || verdict == Verdict.FASTER
                    || verdict == Verdict.NOISE)) {
                throw new IllegalArgumentException(tag + ": " + verdict + " with " + changes.size() + " changes");
            }
        }
    }

    private final RunReport before;
    private final RunReport after;
    private final List<Phase> phases = new ArrayList<>();

    RunComparison(RunReport before, RunReport after) {
        this.before = before;
        this.after = after;
        TreeSet<String> tags = new TreeSet<>(before.total().keySet());
        tags.addAll(after.total().keySet());
        for (String tag : tags) {
            phases.add(phase(tag));
        }
    }

    private Phase phase(String tag) {
        long b = count(before.total(), tag);
        long a = count(after.total(), tag);
        List<IntervalCounts> bi = before.intervals().getOrDefault(tag, List.of());
        List<IntervalCounts> ai = after.intervals().getOrDefault(tag, List.of());
        if (bi.isEmpty() || ai.isEmpty()) {
            return new Phase(tag, b, a, bi.isEmpty() ? Verdict.ONLY_AFTER : Verdict.ONLY_BEFORE, List.of());
        }
        if (bi.size() < Bootstrap.MIN_INTERVALS || ai.size() < Bootstrap.MIN_INTERVALS) {
            return new Phase(tag, b, a, Verdict.FEW, List.of());
        }
        List<Bootstrap.Change> changes = List.of(new Bootstrap(bi, ai).compare(PERCENTILES));
        // The phase is slower when any percentile is, faster when one is and none slower.
        Verdict worst = changes.stream().map(Verdict::of).min(Enum::compareTo).orElseThrow();
        return new Phase(tag, b, a, worst, changes);
    }

    private static long count(Map<String, org.HdrHistogram.Histogram> total, String tag) {
        org.HdrHistogram.Histogram h = total.get(tag);
        return h == null ? 0 : h.getTotalCount();
    }

    List<Phase> phases() {
        return phases;
    }

    /** A table in milliseconds, one line per phase and percentile, the rule stated above it. */
    void text(PrintStream out) {
        out.printf("before: %d logs, after: %d logs; change = after - before, with its %.0f%% bootstrap interval "
                + "over whole intervals;%nit exceeds the run-to-run noise when the interval leaves out 0%n",
                before.logs(), after.logs(), Bootstrap.COVERAGE * 100);
        out.printf("%-14s %4s %10s %10s %10s %23s  %s%n", "phase", "", "before ms", "after ms", "change ms",
                "interval ms", "verdict");
        for (Phase p : phases) {
            out.printf("%-14s %4s %10d %10d %10s %23s  %s%n", p.tag(), "n", p.beforeCount(), p.afterCount(), "",
                    "", p.verdict().label());
            for (Bootstrap.Change c : p.changes()) {
                out.printf("%-14s %4s %10.3f %10.3f %+10.3f %23s  %s%n", "", "p" + (int) c.percentile(),
                        c.before() / 1000.0, c.after() / 1000.0, c.difference() / 1000.0,
                        String.format("[%+.3f, %+.3f]", c.low() / 1000.0, c.high() / 1000.0), Verdict.of(c).label());
            }
        }
    }

    /**
     * {"rule":{..},"phases":{tag:{"before_count","after_count","verdict","percentiles":{"p50":{"before",
     * "after","change","low","high","verdict"}..}}}}, milliseconds.
     */
    String json() {
        return RunReport.json(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("rule");
            g.writeStringField("interval", "bootstrap over whole interval histograms");
            g.writeNumberField("coverage", Bootstrap.COVERAGE);
            g.writeNumberField("resamples", Bootstrap.RESAMPLES);
            g.writeNumberField("min_intervals", Bootstrap.MIN_INTERVALS);
            g.writeEndObject();
            g.writeNumberField("before_logs", before.logs());
            g.writeNumberField("after_logs", after.logs());
            g.writeObjectFieldStart("phases");
            for (Phase p : phases) {
                g.writeObjectFieldStart(p.tag());
                g.writeNumberField("before_count", p.beforeCount());
                g.writeNumberField("after_count", p.afterCount());
                g.writeStringField("verdict", p.verdict().label());
                g.writeObjectFieldStart("percentiles");
                for (Bootstrap.Change c : p.changes()) {
                    g.writeObjectFieldStart("p" + (int) c.percentile());
                    g.writeNumberField("before", c.before() / 1000.0);
                    g.writeNumberField("after", c.after() / 1000.0);
                    g.writeNumberField("change", c.difference() / 1000.0);
                    g.writeNumberField("low", c.low() / 1000.0);
                    g.writeNumberField("high", c.high() / 1000.0);
                    g.writeStringField("verdict", Verdict.of(c).label());
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
