// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one codec of the control protocol, used by postalctl and the daemons: a request or response
 * is one JSON object on one line (the newline is the transport's), read and written with
 * jackson-core's streaming API.
 *
 * <p>Requests are at most {@link #MAX_REQUEST_LINE} bytes, responses {@link #MAX_RESPONSE_LINE};
 * unknown fields are refused rather than ignored, so a typo is an error and not a silent no-op.
 */
public final class ControlCodec {

    /** Longest request line in bytes, without its newline. */
    public static final int MAX_REQUEST_LINE = 4096;
    /** Longest response line in bytes, without its newline. */
    public static final int MAX_RESPONSE_LINE = 256 * 1024;
    /** Deepest nesting of a result. */
    private static final int MAX_DEPTH = 16;

    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .characterEscapes(new TerminalSafeEscapes())
            .build();

    private ControlCodec() {
    }

    // request = {"v":1,"command":WORD[,"args":[STRING...]]}

    public static String encode(Request request) {
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("v", request.v());
            g.writeStringField("command", request.command().word());
            g.writeArrayFieldStart("args");
            for (String arg : request.args()) {
                g.writeString(arg);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Parses one request line (without its newline). */
    public static Request decodeRequest(String line) throws ProtocolException {
        if (line.length() > MAX_REQUEST_LINE) {
            throw new ProtocolException("request longer than " + MAX_REQUEST_LINE + " bytes");
        }
        Integer v = null;
        String word = null;
        List<String> args = List.of();
        try (JsonParser p = JSON.createParser(line)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "a request is a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "v" -> {
                        expect(value, JsonToken.VALUE_NUMBER_INT, "\"v\" must be an integer");
                        v = p.getIntValue();
                    }
                    case "command" -> {
                        expect(value, JsonToken.VALUE_STRING, "\"command\" must be a string");
                        word = p.getText();
                    }
                    case "args" -> {
                        expect(value, JsonToken.START_ARRAY, "\"args\" must be an array of strings");
                        List<String> list = new ArrayList<>();
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            list.add(p.getText());
                        }
                        expect(p.currentToken(), JsonToken.END_ARRAY, "\"args\" must be an array of strings");
                        args = list;
                    }
                    default -> throw new ProtocolException("unknown field \"" + field + "\"");
                }
            }
            expect(p.currentToken(), JsonToken.END_OBJECT, "a request is a JSON object");
            if (p.nextToken() != null) {
                throw new ProtocolException("text after the request object");
            }
        } catch (JsonProcessingException e) {
            throw new ProtocolException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProtocolException("malformed JSON: " + e.getMessage());
        }
        if (v == null) {
            throw new ProtocolException("missing \"v\" (protocol version " + Request.VERSION + ")");
        }
        if (word == null) {
            throw new ProtocolException("missing \"command\"");
        }
        String name = word;
        Command command = Command.of(word).orElseThrow(() -> new ProtocolException("unknown command \""
                + Printable.excerpt(name, 40) + "\""));
        try {
            return new Request(v, command, args);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(e.getMessage());
        }
    }

    // response = {"v":1,"ok":true,"result":OBJECT} / {"v":1,"ok":false,"error":STRING}

    /** Encodes a response; one too long for a line becomes an error response saying so. */
    public static String encode(Response response) {
        String line = write(g -> {
            g.writeStartObject();
            g.writeNumberField("v", response.v());
            g.writeBooleanField("ok", response.ok());
            if (response.ok()) {
                g.writeFieldName("result");
                writeValue(g, response.result());
            } else {
                g.writeStringField("error", response.error());
            }
            g.writeEndObject();
        });
        if (line.length() > MAX_RESPONSE_LINE / 4 && utf8Length(line) > MAX_RESPONSE_LINE) {
            return encode(Response.error("response longer than " + MAX_RESPONSE_LINE + " bytes"));
        }
        return line;
    }

    /** Parses one response line (without its newline). */
    public static Response decodeResponse(String line) throws ProtocolException {
        Integer v = null;
        Boolean ok = null;
        String error = null;
        Map<String, Object> result = null;
        try (JsonParser p = JSON.createParser(line)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "a response is a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "v" -> {
                        expect(value, JsonToken.VALUE_NUMBER_INT, "\"v\" must be an integer");
                        v = p.getIntValue();
                    }
                    case "ok" -> {
                        if (!value.isBoolean()) {
                            throw new ProtocolException("\"ok\" must be true or false");
                        }
                        ok = p.getBooleanValue();
                    }
                    case "error" -> {
                        expect(value, JsonToken.VALUE_STRING, "\"error\" must be a string");
                        error = p.getText();
                    }
                    case "result" -> {
                        expect(value, JsonToken.START_OBJECT, "\"result\" must be an object");
                        result = readObject(p);
                    }
                    default -> p.skipChildren(); // newer daemons may add fields
                }
            }
            if (p.nextToken() != null) {
                throw new ProtocolException("text after the response object");
            }
        } catch (JsonProcessingException e) {
            throw new ProtocolException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProtocolException("malformed JSON: " + e.getMessage());
        }
        if (v == null || v != Request.VERSION) {
            throw new ProtocolException("response without \"v\":" + Request.VERSION);
        }
        if (ok == null) {
            throw new ProtocolException("response without \"ok\"");
        }
        if (ok) {
            return Response.ok(result == null ? Map.of() : result);
        }
        return Response.error(error == null ? "unspecified error" : error);
    }

    private static Map<String, Object> readObject(JsonParser p) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            map.put(key, readValue(p, p.nextToken()));
        }
        return map;
    }

    private static Object readValue(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> readObject(p);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(p, t));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + token);
        };
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Long n) {
            g.writeNumber(n);
        } else if (value instanceof Integer n) {
            g.writeNumber(n);
        } else if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                g.writeNull();
            } else {
                g.writeNumber(d);
            }
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName((String) e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void expect(JsonToken actual, JsonToken wanted, String message) throws ProtocolException {
        if (actual != wanted) {
            throw new ProtocolException(message);
        }
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Writer body) {
        StringWriter text = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * JSON escapes C0 controls itself (RFC 8259 section 7); DEL, C1 (such as the 8-bit CSI 0x9b) and
     * format characters are escaped too, so {@code postalctl --json} never hands a terminal a raw
     * control sequence either.
     */
    private static final class TerminalSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii = standardAsciiEscapesForJSON();

        TerminalSafeEscapes() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int c) {
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return new SerializedString(String.format("\\u%04X", c));
            }
            return null;
        }
    }
}
