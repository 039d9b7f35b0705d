// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.postal.daemon.smtp.Reply;

/**
 * The greeting and EHLO/LHLO replies, built once per host name and kept, since every session
 * sends them (the -r file can give a few names; the map holds one entry per name).
 */
final class Greetings {

    private final SinkConfig config;
    private final boolean tlsAvailable;
    private final ConcurrentHashMap<String, Reply[]> byHost = new ConcurrentHashMap<>();

    Greetings(SinkConfig config, boolean tlsAvailable) {
        this.config = config;
        this.tlsAvailable = tlsAvailable;
    }

    Reply greeting(String host) {
        return replies(host)[4];
    }

    /** What this server offers on a connection in this state. */
    Reply ehlo(String host, boolean tlsActive, boolean authenticated) {
        return replies(host)[(tlsActive ? 2 : 0) + (authenticated ? 1 : 0)];
    }

    private Reply[] replies(String host) {
        return byHost.computeIfAbsent(host, h -> new Reply[] {
            build(h, false, false), build(h, false, true), build(h, true, false), build(h, true, true),
            Reply.of(220, h + " " + (config.listen().lmtp() ? "LMTP" : "ESMTP") + " Postal bhm")});
    }

    private Reply build(String host, boolean tlsActive, boolean authenticated) {
        List<String> lines = new ArrayList<>(10);
        lines.add(host);
        lines.add("PIPELINING");
        if (config.limits().maxMessage() > 0) {
            lines.add("SIZE " + config.limits().maxMessage());
        }
        lines.add("8BITMIME");
        lines.add("SMTPUTF8");
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("CHUNKING");
        if (config.tls().starttls() && tlsAvailable && !tlsActive) {
            lines.add("STARTTLS");
        }
        if (config.policy().auth() != SinkConfig.AuthMode.NONE && !authenticated) {
            lines.add("AUTH PLAIN LOGIN");
        }
        lines.add("HELP");
        return new Reply(250, lines);
    }
}
