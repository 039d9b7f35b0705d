// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postal.daemon.config.ReportOptions;
import picocli.CommandLine.Option;

/**
 * bhm's options for its rules (faults, bounces, the pregreet trap, DNSBL verdicts, client limits):
 * the run-time ones are gathered under the keys {@code postalctl set} takes ({@link SinkRules}).
 */
final class SinkRuleOptions {

    @Option(names = "--fault", paramLabel = "VERB=RULE", split = ",", mapFallbackValue = "",
            description = "Inject a fault, as postalctl set fault.VERB=RULE does: RULE is CODE[:N%%], "
                    + "disconnect[:N%%], delay:DURATION[:N%%] or, for data and bdat, drop-reply[:N%%] (taken, "
                    + "no reply) (e.g. rcpt=450:10%%); repeatable; "
                    + "in bhm.conf one line per verb, fault.rcpt = 450:10%%.")
    Map<String, String> faults = new LinkedHashMap<>();

    @Option(names = "--bounce-percent", paramLabel = "P",
            description = "Share of accepted messages bounced to their sender, 0..100 (as postalctl set "
                    + "bounce-percent=P; default: none); user-list action b bounces single recipients.")
    String bouncePercent;

    @Option(names = "--bounce-relay", paramLabel = "HOST:PORT",
            description = "SMTP server that bounces (RFC 3464 reports) are handed to (default: none: bounces are "
                    + "dropped and counted).")
    String bounceRelay;

    @Option(names = "--bounce-retry", paramLabel = "DURATION", defaultValue = "30s",
            converter = ReportOptions.DurationConverter.class,
            description = "Wait before a failed hand-over is tried again, doubled each time (default: ${DEFAULT-VALUE}).")
    Duration bounceRetry;

    @Option(names = "--bounce-attempts", paramLabel = "N", defaultValue = "5",
            description = "Hand-overs tried per bounce before it is dropped (default: ${DEFAULT-VALUE}).")
    int bounceAttempts;

    @Option(names = "--bounce-queue", paramLabel = "N", defaultValue = "10000",
            description = "Bounces held at once; more are dropped (default: ${DEFAULT-VALUE}).")
    int bounceQueue;

    @Option(names = "--greet-delay", paramLabel = "DURATION",
            description = "Hold the greeting back this long; a client that talks first is an early talker "
                    + "(--pregreet; default: 0s, no trap).")
    String greetDelay;

    @Option(names = "--greet-teaser", arity = "0..1", paramLabel = "true|false",
            description = "With --greet-delay, send the greeting's first line (220-) at once, as postscreen does.")
    boolean greetTeaser;

    @Option(names = "--pregreet", paramLabel = "ACTION",
            description = "An early talker gets 554 5.5.1 and is disconnected (reject, the default) or is only "
                    + "counted (count).")
    String pregreet;

    @Option(names = "--dnsbl", paramLabel = "FILE",
            description = "DNSBL-style list: lines \"NETWORK [connect|rcpt|data] [CODE TEXT]\"; a listed client "
                    + "is refused there (run-time key dnsbl=FILE; re-read by reload and SIGHUP).")
    String dnsbl;

    @Option(names = "--dnsbl-stage", paramLabel = "STAGE",
            description = "Where entries that name no stage refuse: connect, rcpt (the default) or data.")
    String dnsblStage;

    @Option(names = "--client-connections", paramLabel = "N",
            description = "Sessions one client address may have open; one more gets 421 4.7.0 (run-time key "
                    + "client-connections; default: 0, no limit).")
    String clientConnections;

    @Option(names = "--client-rate", paramLabel = "N",
            description = "Connections one client address may open per minute; more get 421 4.7.0 (run-time key "
                    + "client-rate; default: 0, no limit).")
    String clientRate;

    /** The rules given as options, under the keys postalctl set takes. */
    @Option(names = "--greylist-window", paramLabel = "DURATION",
            description = "How long after its first attempt a greylisted key may retry and pass; later it starts "
                    + "over (run-time key greylist-window; default: 2d, as postgrey).")
    String greylistWindow;

    @Option(names = "--greylist-expiry", paramLabel = "DURATION",
            description = "How long a key that passed is remembered without being seen (run-time key "
                    + "greylist-expiry; default: 35d, as postgrey's --max-age).")
    String greylistExpiry;

    @Option(names = "--greylist-keying", paramLabel = "KEY",
            description = "What greylisting keys on: triplet (client, sender, recipient; the default), triplet/24, "
                    + "client or client/24 (/64 for IPv6).")
    String greylistKeying;

    @Option(names = "--receive-window", paramLabel = "SIZE",
            description = "SO_RCVBUF asked for each session's socket, e.g. 4KiB (Linux doubles it and keeps at least "
                    + "about 4.5 KiB; default: 0, the kernel's).")
    String receiveWindow;

    @Option(names = "--read-rate", paramLabel = "SIZE",
            description = "Octets read from each session per second, e.g. 64KiB (default: 0, no cap).")
    String readRate;

    @Option(names = "--read-pause", paramLabel = "DURATION",
            description = "Pause after each read of a session's socket (default: 0s).")
    String readPause;

    @Option(names = "--stall", paramLabel = "POINT:DURATION",
            description = "Go silent once for DURATION after the greeting (greeting:), in each message's data (data:) "
                    + "or before its final reply (end:) (default: off).")
    String stall;

    @Option(names = "--reply-delay", paramLabel = "DELAY",
            description = "Delay before each reply: DURATION, uniform:LOW-HIGH, exp:MEAN or list:D1,D2,... (default: "
                    + "off).")
    String replyDelay;

    @Option(names = "--reply-delay-seed", paramLabel = "N",
            description = "Seed of the reply-delay draws, so a run repeats (default: 0, a fresh one per session).")
    String replyDelaySeed;

    @Option(names = "--reply-rate", paramLabel = "SIZE",
            description = "Octets of replies written per second, a link-speed cap (default: 0, no cap).")
    String replyRate;

    @Option(names = "--tarpit-soft", paramLabel = "N",
            description = "After N refused commands without a message each reply waits --tarpit-sleep, as "
                    + "smtpd_soft_error_limit (default: 0, off).")
    String tarpitSoft;

    @Option(names = "--tarpit-sleep", paramLabel = "DURATION",
            description = "The tarpit's wait, as smtpd_error_sleep_time (default: 1s).")
    String tarpitSleep;

    @Option(names = "--tarpit-hard", paramLabel = "N",
            description = "At N refused commands without a message the session gets 421 4.7.0 and is closed, as "
                    + "smtpd_hard_error_limit (default: 0, off).")
    String tarpitHard;

    @Option(names = "--message-rate", paramLabel = "N",
            description = "MAIL commands one client address may send per minute; more get 450 4.7.1 (default: 0, no "
                    + "limit).")
    String messageRate;

    @Option(names = "--recipient-rate", paramLabel = "N",
            description = "RCPT commands one client address may send per minute; more get 450 4.7.1 (default: 0, no "
                    + "limit).")
    String recipientRate;

    @Option(names = "--recipient-limit", paramLabel = "N",
            description = "Recipients one message may have before 452 4.5.3, at most --max-recipients (default: 0, "
                    + "--max-recipients).")
    String recipientLimit;

    /** The rules given as options, under the keys postalctl set takes. */
    Map<String, String> rules() {
        Map<String, String> rules = new LinkedHashMap<>();
        faults.forEach((verb, rule) -> rules.put("fault." + verb, rule));
        put(rules, "bounce-percent", bouncePercent);
        put(rules, "greet-delay", greetDelay);
        put(rules, "greet-teaser", greetTeaser ? "yes" : null);
        put(rules, "pregreet", pregreet);
        put(rules, "dnsbl-stage", dnsblStage);
        put(rules, "dnsbl", dnsbl);
        put(rules, "client-connections", clientConnections);
        put(rules, "client-rate", clientRate);
        put(rules, "greylist-window", greylistWindow);
        put(rules, "greylist-expiry", greylistExpiry);
        put(rules, "greylist-keying", greylistKeying);
        put(rules, "receive-window", receiveWindow);
        put(rules, "read-rate", readRate);
        put(rules, "read-pause", readPause);
        put(rules, "stall", stall);
        put(rules, "reply-delay", replyDelay);
        put(rules, "reply-delay-seed", replyDelaySeed);
        put(rules, "reply-rate", replyRate);
        put(rules, "tarpit-soft", tarpitSoft);
        put(rules, "tarpit-sleep", tarpitSleep);
        put(rules, "tarpit-hard", tarpitHard);
        put(rules, "message-rate", messageRate);
        put(rules, "recipient-rate", recipientRate);
        put(rules, "recipient-limit", recipientLimit);
        return rules;
    }

    /** Options not given stay out: the rule keeps its default, and a reload without it restores that. */
    private static void put(Map<String, String> rules, String key, String value) {
        if (value != null) {
            rules.put(key, value);
        }
    }

    /** Where bounces go and how hard bhm tries. */
    SinkConfig.Bounces bounces() {
        return new SinkConfig.Bounces(bounceRelay == null ? null : relay(bounceRelay), bounceRetry, bounceAttempts,
                bounceQueue);
    }

    /** HOST:PORT, or [IPV6]:PORT; a name is resolved when a bounce is sent. */
    private static InetSocketAddress relay(String text) {
        Matcher m = Pattern.compile("(?:\\[([0-9a-fA-F:.]+)\\]|([^:\\[\\]\\s]+)):([0-9]{1,5})")
                .matcher(text);
        int port = m.matches() ? Integer.parseInt(m.group(3)) : 0;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid --bounce-relay \"" + text + "\": give HOST:PORT or [IPV6]:PORT");
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        return host.matches("[0-9.]+|.*:.*") ? new InetSocketAddress(SinkCommand.address(host), port)
                : InetSocketAddress.createUnresolved(host, port);
    }
}
