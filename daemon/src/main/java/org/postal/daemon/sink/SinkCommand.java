// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.postal.daemon.config.ConfigKey;
import org.postal.daemon.config.IoThreadsOption;
import org.postal.daemon.config.ReportOptions;
import org.postal.daemon.config.TranscriptOptions;
import org.postal.daemon.config.Versions;
import org.postal.daemon.message.HashMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** bhm's command line: the 0.76 letters plus long options; {@link #toConfig} checks combinations. */
@Command(name = "bhm", mixinStandardHelpOptions = true, versionProvider = Versions.class, sortOptions = false,
        usageHelpWidth = 100, exitCodeOnInvalidInput = SinkMain.EX_USAGE,
        description = "Black Hole Mailer: an SMTP/LMTP sink that accepts, verifies and counts mail.")
final class SinkCommand {

    @Option(names = {"-m", "--max-size"}, paramLabel = "SIZE", defaultValue = "10240",
            converter = ReportOptions.SizeConverter.class,
            description = "Largest message, advertised in SIZE and enforced with 552; KiB, or with a unit "
                    + "(default: ${DEFAULT-VALUE} KiB; 0: no limit).")
    long maxSize;

    @Option(names = {"-t", "--connections"}, paramLabel = "N", defaultValue = "100",
            description = "Concurrent sessions; one more gets 421 and is closed (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "2525",
            description = "TCP port to listen on (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDR[,ADDR]", defaultValue = "127.0.0.1", split = ",",
            description = "Addresses to listen on, IPv4 or IPv6 (default: ${DEFAULT-VALUE}).")
    List<String> bind;

    @Option(names = {"-s", "--tls"}, description = "Offer STARTTLS.")
    boolean starttls;

    @Option(names = "--tls-port", paramLabel = "PORT", defaultValue = "-1",
            description = "Also listen with implicit TLS (SMTPS) on this port.")
    int tlsPort;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate (chain) for TLS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key for TLS; without both, a self-signed certificate is made at start-up.")
    Path tlsKey;

    @Option(names = {"-a", "--log-all"}, description = "Write every accepted message to bhm.log (mboxrd) in --log-dir.")
    boolean logAll;



    @Option(names = {"-r", "--reverse-dns"}, paramLabel = "FILE",
            description = "hosts(5)-format file naming the greeting host for each local address.")
    Path reverseDns;

    @Option(names = "--hostname", paramLabel = "NAME",
            description = "Name in the greeting and EHLO reply (default: this host's name).")
    String hostname;

    @Option(names = "--lmtp", description = "Speak LMTP (RFC 2033): LHLO, and one reply per recipient after the data.")
    boolean lmtp;

    @Option(names = "--auth", paramLabel = "MODE", defaultValue = "none",
            description = "AUTH PLAIN and LOGIN: none, any (accept every login) or users (check the user list).")
    String auth;

    @Option(names = "--greylist-delay", paramLabel = "DURATION", defaultValue = "60s",
            converter = ReportOptions.DurationConverter.class,
            description = "How long a greylisted triplet waits before it passes (default: ${DEFAULT-VALUE}).")
    Duration greylistDelay;

    @Option(names = "--fault", paramLabel = "VERB=RULE", split = ",", mapFallbackValue = "",
            description = "Inject a fault, as postalctl set fault.VERB=RULE does: RULE is CODE[:N%%], "
                    + "disconnect[:N%%] or delay:DURATION[:N%%] (e.g. rcpt=450:10%%); repeatable; "
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

    @Option(names = "--hash", paramLabel = "MODE", defaultValue = "auto",
            description = "X-PostalHash digest accepted: auto (md5 or md5-lp64), md5, md5-lp64.")
    String hash;

    @Option(names = "--max-line", paramLabel = "OCTETS", defaultValue = "1000",
            description = "Longest line with its CRLF, plus a small slack (default: ${DEFAULT-VALUE}).")
    int maxLine;

    @Option(names = "--max-recipients", paramLabel = "N", defaultValue = "1000",
            description = "Recipients per message; more get 452 (default: ${DEFAULT-VALUE}).")
    int maxRecipients;

    @Option(names = "--max-errors", paramLabel = "N", defaultValue = "20",
            description = "Protocol errors before a session gets 421 (default: ${DEFAULT-VALUE}).")
    int maxErrors;

    @Option(names = "--command-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = ReportOptions.DurationConverter.class,
            description = "Time for a whole command line to arrive (default: ${DEFAULT-VALUE}).")
    Duration commandTimeout;

    @Option(names = "--data-timeout", paramLabel = "DURATION", defaultValue = "10m",
            converter = ReportOptions.DurationConverter.class,
            description = "Time for a whole message body or BDAT chunk (default: ${DEFAULT-VALUE}).")
    Duration dataTimeout;

    @Mixin
    IoThreadsOption ioThreads;

    @Option(names = "--proxy-trusted", paramLabel = "NETWORKS",
            description = "Networks (CIDR, ranges, addresses) whose connections start with a PROXY protocol v1 or "
                    + "v2 header; the announced client stands for the peer (default: none).")
    String proxyTrusted;

    @Option(names = "--users", paramLabel = "FILE", description = "User list (the same as the positional argument).")
    Path usersOption;

    @Mixin
    ReportOptions report;

    @Mixin
    org.postal.daemon.ledger.LedgerOption ledger;

    @Mixin
    TranscriptOptions transcripts;

    @Mixin
    org.postal.daemon.control.ControlOptions control;

    @ConfigKey("users")
    @Parameters(index = "0", arity = "0..1", paramLabel = "user-list",
            description = "Lines \"address password [action]\"; action d (450), r (550), g (greylist) or b (bounce).")
    Path users;

    /** Checks what picocli cannot and builds the config; IllegalArgumentException says what is wrong. */
    SinkConfig toConfig() {
        if (users != null && usersOption != null) {
            throw new IllegalArgumentException("give the user list once: as an argument or with --users");
        }
        if (maxRecipients < 1 || maxErrors < 1) {
            throw new IllegalArgumentException("--max-recipients and --max-errors must be at least 1");
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String address : bind) {
            addresses.add(address(address));
        }
        Path userList = users != null ? users : usersOption;
        String name = hostname != null ? hostname : Versions.hostname();
        return new SinkConfig(
                new SinkConfig.Listen(addresses, port, lmtp, name, reverseDns, ioThreads.threads()),
                new SinkConfig.Tls(starttls, tlsPort, tlsCert, tlsKey),
                new SinkConfig.Limits(maxSize, connections, maxLine, maxRecipients, maxErrors, commandTimeout,
                        dataTimeout),
                new SinkConfig.Policy(userList, authMode(auth), greylistDelay, HashMode.parse(hash), rules()),
                new SinkConfig.Output(report.interval, report.json, report.count, report.duration, report.logDir,
                        logAll, transcripts.base(),
                        transcripts.perConnection(), ledger.file),
                ClientPolicy.parse(proxyTrusted),
                new SinkConfig.Bounces(bounceRelay == null ? null : relay(bounceRelay), bounceRetry, bounceAttempts,
                        bounceQueue));
    }

    /** The rules given as options, under the keys postalctl set takes. */
    private Map<String, String> rules() {
        Map<String, String> rules = new LinkedHashMap<>();
        faults.forEach((verb, rule) -> rules.put("fault." + verb, rule));
        if (bouncePercent != null) {
            rules.put("bounce-percent", bouncePercent);
        }
        if (greetDelay != null) {
            rules.put("greet-delay", greetDelay);
        }
        if (greetTeaser) {
            rules.put("greet-teaser", "yes");
        }
        if (pregreet != null) {
            rules.put("pregreet", pregreet);
        }
        if (dnsblStage != null) {
            rules.put("dnsbl-stage", dnsblStage);
        }
        if (dnsbl != null) {
            rules.put("dnsbl", dnsbl);
        }
        if (clientConnections != null) {
            rules.put("client-connections", clientConnections);
        }
        if (clientRate != null) {
            rules.put("client-rate", clientRate);
        }
        return rules;
    }

    /** HOST:PORT, or [IPV6]:PORT; a name is resolved when a bounce is sent. */
    private static java.net.InetSocketAddress relay(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:\\[([0-9a-fA-F:.]+)\\]|([^:\\[\\]\\s]+)):([0-9]{1,5})")
                .matcher(text);
        int port = m.matches() ? Integer.parseInt(m.group(3)) : 0;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid --bounce-relay \"" + text + "\": give HOST:PORT or [IPV6]:PORT");
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        return host.matches("[0-9.]+|.*:.*") ? new java.net.InetSocketAddress(address(host), port)
                : java.net.InetSocketAddress.createUnresolved(host, port);
    }

    private static InetAddress address(String text) {
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        // Literals only: a name such as "mail.example.com" must not reach a DNS lookup.
        boolean ipv4 = literal.matches("((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])");
        boolean ipv6 = literal.contains(":") && literal.matches("[0-9a-fA-F:.]+(%[0-9a-zA-Z_.-]+)?");
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("invalid bind address \"" + text + "\": give an IPv4 or IPv6 address");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid bind address \"" + text + "\"");
        }
    }

    private static SinkConfig.AuthMode authMode(String text) {
        try {
            return SinkConfig.AuthMode.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid --auth \"" + text + "\": use none, any or users");
        }
    }
}
