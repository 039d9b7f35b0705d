// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several daemons' answers as one: counters and rates add up, nested counters key by key; a
 * setting or state the hosts agree on is kept, one they differ on lists the values (e.g.
 * {@code running/paused}); what belongs to one process (its pid, its uptime) is left out.
 * Distinct clients cannot be added exactly (a client may have reached several sinks), so the sum
 * is an upper bound and {@code clients_exact} says false.
 */
final class Merge {

    private static final Set<String> OWN = Set.of("pid", "uptime_s");
    private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(/(?:s|m|min|h))?");

    private Merge() {
    }

    /** The merged result of several hosts' results, with {@code hosts} first. */
    static Map<String, Object> results(List<Map<String, Object>> results) {
        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("hosts", results.size());
        merged.putAll(maps(new ArrayList<>(results)));
        if (results.size() > 1 && merged.containsKey("clients_exact")) {
            merged.put("clients_exact", false);
        }
        return merged;
    }

    private static Map<String, Object> maps(List<Map<?, ?>> maps) {
        Set<String> keys = new LinkedHashSet<>();
        maps.forEach(m -> m.keySet().forEach(k -> keys.add((String) k)));
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : keys) {
            if (OWN.contains(key)) {
                continue;
            }
            List<Object> values = new ArrayList<>();
            for (Map<?, ?> map : maps) {
                if (map.get(key) != null) {
                    values.add(map.get(key));
                }
            }
            if (!values.isEmpty()) {
                out.put(key, values(values));
            }
        }
        return out;
    }

    private static Object values(List<Object> values) {
        if (values.stream().allMatch(v -> v instanceof Map<?, ?>)) {
            List<Map<?, ?>> maps = new ArrayList<>();
            values.forEach(v -> maps.add((Map<?, ?>) v));
            return maps(maps);
        }
        if (values.stream().allMatch(v -> v instanceof Long || v instanceof Integer)) {
            return values.stream().mapToLong(v -> ((Number) v).longValue()).sum();
        }
        if (values.stream().allMatch(v -> v instanceof Number)) {
            return values.stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
        }
        if (values.stream().allMatch(v -> v instanceof List<?>)) {
            Set<Object> all = new LinkedHashSet<>();
            values.forEach(v -> all.addAll((List<?>) v));
            return List.copyOf(all);
        }
        Set<String> distinct = new LinkedHashSet<>();
        values.forEach(v -> distinct.add(String.valueOf(v)));
        if (distinct.size() == 1) {
            return values.get(0);
        }
        return String.join("/", distinct);
    }

    /**
     * A rate's share on one of {@code hosts} machines: {@code 3000/s} on three is {@code 1000/s};
     * the unit is kept (a bare number is per minute, as the daemons read it).
     *
     * @throws IllegalArgumentException for text that is not a rate
     */
    static String share(String rate, int hosts) {
        Matcher m = RATE.matcher(rate);
        if (!m.matches()) {
            throw new IllegalArgumentException("--split: \"" + rate + "\" is not a rate (N/s, N/min, N/h or N per minute)");
        }
        double each = Double.parseDouble(m.group(1)) / hosts;
        String number = java.math.BigDecimal.valueOf(Math.round(each * 1000) / 1000.0).stripTrailingZeros().toPlainString();
        return number + (m.group(2) == null ? "" : m.group(2));
    }
}
