// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.postal.ctl.protocol.Printable;

/**
 * postalctl's text for people: aligned "key: value" lines, nested keys joined with dots; what the
 * daemon sent is escaped ({@link Printable}), so a name holding terminal escapes prints as text.
 */
final class HumanText {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private HumanText() {
    }

    /** One "key: value" line per leaf, keys padded to one column; an admin reply's message alone. */
    static String block(Map<String, Object> result) {
        if (result.size() == 1 && result.get("message") instanceof String message) {
            return Printable.escape(message);
        }
        Map<String, String> flat = flatten(result);
        int width = flat.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
        StringBuilder text = new StringBuilder();
        flat.forEach((key, value) -> text.append(String.format("%-" + width + "s %s%n", key + ":", value)));
        return text.toString().stripTrailing();
    }

    /** One line per watch interval: the local time, then key=value pairs. */
    static String line(Map<String, Object> result) {
        return LocalTime.now().format(CLOCK) + " " + flatten(result).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace(' ', '_')).collect(Collectors.joining(" "));
    }

    static Map<String, String> flatten(Map<String, Object> map) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", map, out);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        if (map.isEmpty() && !prefix.isEmpty()) {
            out.put(Printable.escape(prefix.substring(0, prefix.length() - 1)), "-");
        }
        map.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                flatten(prefix + key + ".", nested, out);
            } else {
                out.put(Printable.escape(prefix + key), Printable.escape(scalar(value)));
            }
        });
    }

    private static String scalar(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "-" : list.stream().map(HumanText::scalar).collect(Collectors.joining(", "));
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.format("%.3f", d);
        }
        return String.valueOf(value);
    }
}
