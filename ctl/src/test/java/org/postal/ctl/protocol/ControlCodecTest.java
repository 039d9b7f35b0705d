// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlCodecTest {

    @Test
    void requestsRoundTrip() throws Exception {
        for (Request request : List.of(Request.of(Command.STATUS), Request.of(Command.RATE, "500/s"),
                Request.of(Command.SET, "fault.rcpt=450:10%"), Request.of(Command.TRANSCRIPT, "off"),
                Request.of(Command.WATCH), Request.of(Command.WATCH, "2s"), Request.of(Command.SET, "k=\"é\\"))) {
            String line = ControlCodec.encode(request);
            assertThat(line).doesNotContain("\n");
            assertThat(ControlCodec.decodeRequest(line)).isEqualTo(request);
        }
        assertThat(ControlCodec.encode(Request.of(Command.RATE, "10/s")))
                .isEqualTo("{\"v\":1,\"command\":\"rate\",\"args\":[\"10/s\"]}");
    }

    @Test
    void argsMayBeLeftOut() throws Exception {
        assertThat(ControlCodec.decodeRequest("{\"command\":\"stats\",\"v\":1}")).isEqualTo(Request.of(Command.STATS));
    }

    @Test
    void badRequestsSayWhy() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("", "a request is a JSON object");
        cases.put("status", "malformed JSON");
        cases.put("[1]", "a request is a JSON object");
        cases.put("{\"v\":1,\"command\":\"status\"", "malformed JSON");
        cases.put("{\"v\":1}", "missing \"command\"");
        cases.put("{\"command\":\"status\"}", "missing \"v\"");
        cases.put("{\"v\":2,\"command\":\"status\"}", "unsupported protocol version 2");
        cases.put("{\"v\":\"1\",\"command\":\"status\"}", "\"v\" must be an integer");
        cases.put("{\"v\":1,\"command\":\"shutdown\"}", "unknown command \"shutdown\"");
        cases.put("{\"v\":1,\"command\":\"STATUS\"}", "unknown command");
        cases.put("{\"v\":1,\"command\":\"status\",\"x\":1}", "unknown field \"x\"");
        cases.put("{\"v\":1,\"command\":\"status\",\"args\":[\"a\"]}", "status takes no arguments");
        cases.put("{\"v\":1,\"command\":\"rate\"}", "rate takes N/s|N/min");
        cases.put("{\"v\":1,\"command\":\"rate\",\"args\":[1]}", "\"args\" must be an array of strings");
        cases.put("{\"v\":1,\"command\":\"set\",\"args\":[\"novalue\"]}", "set takes KEY=VALUE");
        cases.put("{\"v\":1,\"command\":\"transcript\",\"args\":[\"maybe\"]}", "transcript takes on or off");
        cases.put("{\"v\":1,\"command\":\"rate\",\"args\":[\"1\\n2\"]}", "control character");
        cases.put("{\"v\":1,\"command\":\"status\"} {}", "text after the request");
        cases.forEach((line, message) -> assertThatThrownBy(() -> ControlCodec.decodeRequest(line))
                .as(line).isInstanceOf(ProtocolException.class).hasMessageContaining(message));
    }

    @Test
    void requestLinesAreBounded() {
        String big = "{\"v\":1,\"command\":\"set\",\"args\":[\"k=" + "x".repeat(ControlCodec.MAX_REQUEST_LINE) + "\"]}";
        assertThatThrownBy(() -> ControlCodec.decodeRequest(big)).hasMessageContaining("longer than 4096");
        assertThatThrownBy(() -> Request.of(Command.SET, "k=" + "x".repeat(Request.MAX_ARG)))
                .hasMessageContaining("longer than 1024");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "{\"v\":1,\"ok\":true,\"result\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41);
        assertThatThrownBy(() -> ControlCodec.decodeResponse(deep)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void responsesRoundTrip() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("program", "bhm");
        result.put("messages", 12L);
        result.put("rate", 2.5);
        result.put("paused", false);
        result.put("nothing", null);
        result.put("addresses", List.of("127.0.0.1:2525", "[::1]:2525"));
        result.put("rejects", Map.of("450", 3L));
        Response ok = Response.ok(result);
        Response back = ControlCodec.decodeResponse(ControlCodec.encode(ok));
        assertThat(back).isEqualTo(ok);
        assertThat(back.result().keySet()).containsExactly("program", "messages", "rate", "paused", "nothing",
                "addresses", "rejects");
        Response error = Response.error("bhm has no rate");
        assertThat(ControlCodec.encode(error)).isEqualTo("{\"v\":1,\"ok\":false,\"error\":\"bhm has no rate\"}");
        assertThat(ControlCodec.decodeResponse(ControlCodec.encode(error))).isEqualTo(error);
    }

    @Test
    void oversizedResponsesBecomeAnError() throws Exception {
        Response huge = Response.ok(Map.of("text", "x".repeat(ControlCodec.MAX_RESPONSE_LINE)));
        Response sent = ControlCodec.decodeResponse(ControlCodec.encode(huge));
        assertThat(sent.ok()).isFalse();
        assertThat(sent.error()).contains("response longer than");
    }

    @Test
    void resultsAreJsonShaped() {
        assertThatThrownBy(() -> Response.ok(Map.of("when", new Object()))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badResponsesAreRefused() {
        assertThatThrownBy(() -> ControlCodec.decodeResponse("{\"ok\":true}")).hasMessageContaining("\"v\":1");
        assertThatThrownBy(() -> ControlCodec.decodeResponse("{\"v\":1}")).hasMessageContaining("\"ok\"");
        assertThatThrownBy(() -> ControlCodec.decodeResponse("nonsense")).hasMessageContaining("malformed");
    }

    @Test
    void encodedTextCarriesNoRawTerminalControls() {
        String line = ControlCodec.encode(Response.error("\u001b[2J\u007f\u009b1m\u202e"));
        assertThat(line).isEqualTo("{\"v\":1,\"ok\":false,\"error\":\"\\u001B[2J\\u007F\\u009B1m\\u202E\"}");
    }
}
