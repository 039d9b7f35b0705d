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
import org.postal.daemon.service.Sysexits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** bhm's command line: the 0.76 letters plus long options; {@link #toConfig} checks combinations. */
@Command(name = "bhm", mixinStandardHelpOptions = true, versionProvider = Versions.class, sortOptions = false,
        usageHelpWidth = 100, exitCodeOnInvalidInput = Sysexits.EX_USAGE,
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

    @Mixin
    SinkRuleOptions rules;

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

    @Mixin
    org.postal.daemon.service.MemoryLockOption memory;

    @Mixin
    org.postal.daemon.metrics.MetricsOption metrics;

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
                rules.bounces());
    }

    /** The rules the options give; --greylist-delay, which has a default, first. */
    private Map<String, String> rules() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("greylist-delay", org.postal.daemon.config.Durations.format(greylistDelay));
        all.putAll(rules.rules());
        return all;
    }

    static InetAddress address(String text) {
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
