// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.postal.ctl.protocol.ControlCodec;
import org.postal.ctl.protocol.Printable;
import org.postal.ctl.protocol.Response;

/**
 * {@code postalctl --ssh HOST... DAEMON COMMAND}: the command on every host's daemon, each
 * answer printed under its host, then (for status, stats and config) the merged answer
 * ({@link Merge}). With {@code --json}, one line: {@code {"v":1,"ok":true,"result":{"hosts":
 * {HOST: {"ok":...,"result"|"error":...}}, "merged": {...}}}}. Exit 0 when every host answered
 * ok, 1 when any did not.
 */
final class FleetCall {

    /** What ssh takes as a destination: [user@]host, or ssh://[user@]host[:port]; nothing that starts an option. */
    private static final Pattern HOST = Pattern.compile("(ssh://)?([A-Za-z0-9._-]+@)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._:-]+)");

    private FleetCall() {
    }

    /** Checks a --ssh value. */
    static String host(String value) {
        if (value.startsWith("-") || !HOST.matcher(value).matches()) {
            throw new IllegalArgumentException("--ssh: \"" + Printable.escape(value)
                    + "\" is not a host ([USER@]HOST or ssh://[USER@]HOST[:PORT])");
        }
        return value;
    }

    static int run(PostalCtl.Invocation call, Fleet fleet, long timeoutMillis, PrintStream out, PrintStream err) {
        List<String> remote = new ArrayList<>(List.of("--json"));
        remote.addAll(call.forwarded());
        remote.add(call.daemon());
        remote.add(call.request().command().word());
        remote.addAll(call.request().args());
        List<Fleet.Answer> answers;
        try {
            answers = fleet.call(call.hosts(), remote, timeoutMillis);
        } catch (IOException e) {
            err.println("postalctl: ssh: " + Printable.escape(String.valueOf(e.getMessage())));
            return PostalCtl.REFUSED;
        }
        Map<String, Map<String, Object>> results = Fleet.results(answers);
        boolean merge = call.request().command().readOnly() && !results.isEmpty();
        Map<String, Object> merged = merge ? Merge.results(new ArrayList<>(results.values())) : null;
        if (call.json()) {
            Map<String, Object> hosts = new LinkedHashMap<>();
            for (Fleet.Answer answer : answers) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("ok", answer.ok());
                if (answer.ok()) {
                    one.put("result", answer.response().result());
                } else {
                    one.put("error", error(answer));
                }
                hosts.put(answer.host(), one);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("hosts", hosts);
            if (merged != null) {
                result.put("merged", merged);
            }
            out.println(ControlCodec.encode(Response.ok(result)));
        } else {
            print(answers, merged, out, err);
        }
        return answers.stream().allMatch(Fleet.Answer::ok) ? PostalCtl.OK : PostalCtl.REFUSED;
    }

    private static void print(List<Fleet.Answer> answers, Map<String, Object> merged, PrintStream out,
                              PrintStream err) {
        for (Fleet.Answer answer : answers) {
            String host = Printable.escape(answer.host());
            if (!answer.ok()) {
                err.println("postalctl: " + host + ": " + Printable.escape(error(answer)));
            } else if (merged == null) {
                out.println(host + ": " + HumanText.block(answer.response().result()));
            } else {
                out.println("== " + host);
                out.println(HumanText.block(answer.response().result()));
            }
        }
        if (merged != null) {
            out.println("== all " + merged.get("hosts") + " hosts answering");
            out.println(HumanText.block(merged));
        }
    }

    private static String error(Fleet.Answer answer) {
        return answer.response() != null ? answer.response().error() : answer.failure();
    }
}
