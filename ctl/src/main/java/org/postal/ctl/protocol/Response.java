// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One control response: {@code {"v":1,"ok":true,"result":{...}}} or {@code {"v":1,"ok":false,"error":"..."}}.
 *
 * <p>Result values are JSON-shaped: String, Long/Integer, Double, Boolean, null, List and Map with
 * String keys, nested as deep as needed; insertion order is kept so output reads in a fixed order.
 */
public record Response(int v, boolean ok, String error, Map<String, Object> result) {

    public Response {
        if (v != Request.VERSION) {
            throw new IllegalArgumentException("unsupported protocol version " + v);
        }
        if (ok) {
            Objects.requireNonNull(result, "result");
            checkValue(result);
            result = Collections.unmodifiableMap(new LinkedHashMap<>(result));
            error = null;
        } else {
            Objects.requireNonNull(error, "error");
            result = Map.of();
        }
    }

    /** Success with a result object. */
    public static Response ok(Map<String, Object> result) {
        return new Response(Request.VERSION, true, null, result);
    }

    /** Success whose result is one sentence for people, {@code {"message": text}}. */
    public static Response done(String message) {
        return ok(Map.of("message", message));
    }

    /** Refusal with a reason. */
    public static Response error(String error) {
        return new Response(Request.VERSION, false, error, null);
    }

    private static void checkValue(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Integer || value instanceof Double) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("result keys must be strings: " + e.getKey());
                }
                checkValue(e.getValue());
            }
            return;
        }
        if (value instanceof List<?> list) {
            list.forEach(Response::checkValue);
            return;
        }
        throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
}
