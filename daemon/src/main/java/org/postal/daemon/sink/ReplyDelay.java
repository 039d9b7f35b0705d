// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.postal.daemon.config.Durations;

/**
 * How long bhm waits before answering a command, drawn afresh for each command from a distribution,
 * as written in {@code reply-delay}: {@code off}, a fixed {@code 200ms}, {@code uniform:100ms-2s},
 * {@code exp:500ms} (exponential with that mean, as the gaps between independent events are) or
 * {@code list:12ms,40ms,1s} (one of measured values, each as likely). Draws come from a random
 * stream a seed fixes, so a run can be repeated.
 *
 * @param kind   the shape
 * @param values fixed: the delay; uniform: low and high; exp: the mean; list: the values (nanoseconds)
 */
record ReplyDelay(Kind kind, long[] values) {

    enum Kind { OFF, FIXED, UNIFORM, EXP, LIST }

    static final ReplyDelay OFF = new ReplyDelay(Kind.OFF, new long[0]);
    /** Longer draws are cut here, as an injected fault delay is. */
    static final long MAX_NANOS = FaultPlan.MAX_DELAY.toNanos();

    ReplyDelay {
        values = values.clone();
        int needed = switch (kind) {
            case OFF -> 0;
            case FIXED, EXP -> 1;
            case UNIFORM -> 2;
            case LIST -> values.length;
        };
        if (values.length != needed || (kind == Kind.LIST && needed == 0)) {
            throw new IllegalArgumentException("reply-delay " + kind + " takes " + needed + " values");
        }
        if (Arrays.stream(values).anyMatch(v -> v < 0 || v > MAX_NANOS)) {
            throw new IllegalArgumentException("reply-delay values must lie in 0..10m");
        }
        if (kind == Kind.UNIFORM && values[0] > values[1]) {
            throw new IllegalArgumentException("reply-delay uniform:LOW-HIGH needs LOW <= HIGH");
        }
    }

    /** Parses what {@code reply-delay} takes (see the class comment). */
    static ReplyDelay parse(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        if (text.equals("off") || text.equals("0") || text.equals("none")) {
            return OFF;
        }
        int colon = text.indexOf(':');
        String shape = colon < 0 ? "fixed" : text.substring(0, colon);
        String rest = text.substring(colon + 1);
        return switch (shape) {
            case "fixed" -> new ReplyDelay(Kind.FIXED, nanos(List.of(rest)));
            case "uniform" -> new ReplyDelay(Kind.UNIFORM, nanos(List.of(rest.split("-", -1))));
            case "exp" -> new ReplyDelay(Kind.EXP, nanos(List.of(rest)));
            case "list" -> new ReplyDelay(Kind.LIST, nanos(List.of(rest.split(",", -1))));
            default -> throw new IllegalArgumentException("reply-delay takes off, DURATION, uniform:LOW-HIGH, "
                    + "exp:MEAN or list:D1,D2,...: \"" + value + "\"");
        };
    }

    private static long[] nanos(List<String> durations) {
        return durations.stream().mapToLong(d -> Durations.parse(d.strip()).toNanos()).toArray();
    }

    /** One delay in nanoseconds (0 when off). */
    long draw(SplittableRandom random) {
        return switch (kind) {
            case OFF -> 0;
            case FIXED -> values[0];
            case UNIFORM -> values[0] == values[1] ? values[0] : random.nextLong(values[0], values[1] + 1);
            // Inverse transform: -mean * ln(U) for U uniform in (0, 1].
            case EXP -> (long) Math.min(MAX_NANOS, -values[0] * Math.log(1.0 - random.nextDouble()));
            case LIST -> values[random.nextInt(values.length)];
        };
    }

    /** As {@code reply-delay} takes it. */
    String describe() {
        String joined = Arrays.stream(values).mapToObj(v -> Durations.format(Duration.ofNanos(v)))
                .collect(Collectors.joining(kind == Kind.UNIFORM ? "-" : ","));
        return switch (kind) {
            case OFF -> "off";
            case FIXED -> joined;
            default -> kind.name().toLowerCase(Locale.ROOT) + ":" + joined;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplyDelay d && d.kind == kind && Arrays.equals(d.values, values);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return describe();
    }
}
