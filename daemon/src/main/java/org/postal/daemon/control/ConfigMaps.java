// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.control;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.postal.daemon.config.Durations;

/** A config record as a JSON-shaped map for {@code config}: components in order, nested records nested. */
public final class ConfigMaps {

    private ConfigMaps() {
    }

    public static Map<String, Object> of(Record config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent component : config.getClass().getRecordComponents()) {
            try {
                component.getAccessor().setAccessible(true);
                out.put(snake(component.getName()), value(component.getAccessor().invoke(config)));
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                out.put(snake(component.getName()), "?");
            }
        }
        return out;
    }

    private static Object value(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Integer || value instanceof Double) {
            return value;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Record r) {
            return of(r);
        }
        if (value instanceof Collection<?> c) {
            List<Object> list = new ArrayList<>();
            c.forEach(o -> list.add(value(o)));
            return list;
        }
        if (value instanceof java.net.InetAddress a) {
            return a.getHostAddress();
        }
        return String.valueOf(value);
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
