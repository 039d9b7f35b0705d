// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postal.daemon.config.Durations;
import org.postal.daemon.config.ConfigKey;
import org.postal.daemon.config.ReportOptions;
import org.postal.daemon.ledger.LedgerOption;
import org.postal.daemon.config.IoThreadsOption;
import org.postal.daemon.config.TranscriptOptions;
import org.postal.daemon.config.Sizes;
import org.postal.daemon.dns.DnsServerAddress;
import org.postal.daemon.load.Endpoints;
import org.postal.daemon.load.LoadRates;
import org.postal.daemon.load.source.SourceAddresses;
import org.postal.daemon.load.source.SourceOptions;
import org.postal.daemon.message.HashMode;
import org.postal.daemon.message.MessageSizes;
import org.postal.daemon.message.MessageSpec;
import org.postal.daemon.message.SubjectStyle;
import org.postal.daemon.config.Versions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** postal's command line: the 0.76 letters plus long options; {@link #toConfig} checks combinations. */
@Command(name = "postal", mixinStandardHelpOptions = true, versionProvider = Versions.class, sortOptions = false,
        usageHelpWidth = 100, exitCodeOnInvalidInput = SmtpLoadMain.EX_USAGE,
        description = "SMTP/LMTP load generator: exact rates or flat out, with true latency figures.")
final class SmtpLoadCommand {

    @Option(names = {"-m", "--max-size"}, paramLabel = "KiB", defaultValue = "10",
            converter = Sizes.KibConverter.class,
            description = "Largest message body in KiB, or with a unit (default: ${DEFAULT-VALUE}; 0: headers only).")
    long maxSize;

    @Option(names = {"-M", "--min-size"}, paramLabel = "KiB", defaultValue = "0",
            converter = Sizes.KibConverter.class,
            description = "Smallest message body in KiB, or with a unit (default: ${DEFAULT-VALUE}).")
    long minSize;

    @Option(names = {"-t", "--connections"}, paramLabel = "N", defaultValue = "1",
            description = "Concurrent connections (0.76's threads; default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-c", "--messages-per-connection"}, paramLabel = "N", defaultValue = "1",
            description = "Messages per connection: N for a random 1..N, -1 unlimited, 0 connect, greet and QUIT "
                    + "only (default: ${DEFAULT-VALUE}). The 0.76 binaries swapped 0 and -1.")
    int perConnection;

    @Option(names = {"-r", "--rate"}, paramLabel = "RATE",
            description = "Messages per minute, or with a unit: 500/s, 30000/m, 1e6/h (default: as fast as the "
                    + "server takes them).")
    String rate;

    @Option(names = {"-a", "--log-all"}, description = "Write every message's full text to postal.log.")
    boolean logAll;

    @Option(names = {"-b", "--subject-style"}, paramLabel = "STYLE",
            description = "netscape: the Subject text never starts with a space; nonetscape: it always does.")
    String subjectStyle;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "25",
            description = "Port for servers given without one (default: ${DEFAULT-VALUE}).")
    int port;



    @Option(names = {"-s", "--tls-percent"}, paramLabel = "PERCENT", defaultValue = "0",
            description = "Share of connections that use STARTTLS when the server offers it (default: ${DEFAULT-VALUE}).")
    int tlsPercent;

    @Option(names = {"-L", "--lmtp"}, description = "Speak LMTP (LHLO; one reply per recipient after the data).")
    boolean lmtp;

    @Mixin
    SourceOptions sources;

    @Option(names = {"-f", "--senders"}, paramLabel = "FILE",
            description = "Sender list (default: senders are drawn from the recipient list).")
    Path senders;

    @Option(names = "--server", paramLabel = "SERVERS", description = "Servers, instead of the first argument.")
    String serverOption;

    @Option(names = "--users", paramLabel = "FILE", description = "Recipient list, instead of the second argument.")
    Path usersOption;

    @Option(names = "--pipelining", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (when advertised), on or off (default: ${DEFAULT-VALUE}).")
    String pipelining;

    @Option(names = "--bdat", description = "Send with BDAT (CHUNKING) when the server offers it.")
    boolean bdat;

    @Option(names = "--rcpts", paramLabel = "N|MIN-MAX", defaultValue = "1",
            description = "Recipients per message (default: ${DEFAULT-VALUE}).")
    String rcpts;

    @Option(names = "--smtps", description = "Implicit TLS from the first byte (SMTPS, port 465 style).")
    boolean smtps;

    @Option(names = "--tls-verify", description = "Check the server's certificate and name (default: trust any).")
    boolean tlsVerify;

    @Option(names = "--auth", paramLabel = "MECHANISM", defaultValue = "none",
            description = "AUTH with the sender's password from the list: none, plain or login (default: ${DEFAULT-VALUE}).")
    String auth;

    @Option(names = "--helo", paramLabel = "NAME", description = "Name in EHLO/LHLO (default: this host's name).")
    String helo;

    @Option(names = "--resolver", paramLabel = "ADDRESS[:PORT]",
            description = "DNS server asked for +host servers before each connection, an IP address with "
                    + "port 53 unless given ([::1]:5353 for IPv6; default: the servers in /etc/resolv.conf).")
    String resolver;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = ReportOptions.DurationConverter.class,
            description = "Wait for a connection or a reply (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = ReportOptions.DurationConverter.class,
            description = "Leave this first stretch out of the summary.")
    Duration warmup;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: a new one, printed at start).")
    Long seed;

    @Option(names = "--hash", paramLabel = "MODE", defaultValue = "md5",
            description = "X-PostalHash digest: md5 (auto is the same), or md5-lp64 as a 64-bit 0.76 computes "
                    + "(default: ${DEFAULT-VALUE}).")
    String hash;

    @Mixin
    ReportOptions report;

    @Mixin
    LedgerOption ledger;

    @Mixin
    TranscriptOptions transcripts;

    @Mixin
    IoThreadsOption ioThreads;

    @Mixin
    org.postal.daemon.control.ControlOptions control;

    @Mixin
    org.postal.daemon.metrics.MetricsOption metrics;

    @Mixin
    org.postal.daemon.metrics.HistogramLogOption histogramLog;

    @ConfigKey("server")
    @Parameters(index = "0", arity = "0..1", paramLabel = "servers",
            description = "host, [host]port, +host (resolve before each connection), comma-separated; "
                    + "without servers, postal starts a bhm of its own on a loopback port and checks what it got.")
    String servers;

    @ConfigKey("users")
    @Parameters(index = "1", arity = "0..1", paramLabel = "user-list",
            description = "Recipient list: \"address [password]\" per line (with the embedded bhm: "
                    + "user1@example.com to user10@example.com unless given).")
    Path users;

    /** The server list, or null to run against an embedded bhm. */
    String serverList() {
        return pick(servers, serverOption, "servers", "--server");
    }

    /** The recipient list, or null for the built-in one (embedded bhm only). */
    Path userList() {
        Path list = pick(users, usersOption, "user list", "--users");
        if (list == null && serverList() != null) {
            throw new IllegalArgumentException("no user list given (argument or --users)");
        }
        return list;
    }

    private static <T> T pick(T positional, T option, String what, String flag) {
        if (positional != null && option != null) {
            throw new IllegalArgumentException("give the " + what + " once: as an argument or with " + flag);
        }
        return positional != null ? positional : option;
    }

    /** The seed to use: the one given, or a fresh one. */
    long seed() {
        if (seed == null) {
            seed = new SecureRandom().nextLong();
        }
        return seed;
    }

    /** The config, with the servers to use when {@link #serverList} is null (the embedded bhm). */
    SmtpLoadConfig toConfig(String embedded) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("-p out of range 1..65535: " + port);
        }
        int[] range = range(rcpts);
        String name = helo != null ? helo : Versions.hostname();
        userList();
        Endpoints serverEndpoints = Endpoints.parse(serverList() != null ? serverList() : embedded, port);
        SourceAddresses local = sources.toSources(seed(), serverEndpoints);
        if (minSize < 0 || maxSize > MessageSizes.LIMIT_KIB || minSize > maxSize) {
            throw new IllegalArgumentException("sizes must satisfy 0 <= -M <= -m <= " + MessageSizes.LIMIT_KIB
                    + " KiB (-M " + minSize + ", -m " + maxSize + ")");
        }
        MessageSpec message = new MessageSpec(new MessageSizes((int) minSize, (int) maxSize),
                subjectStyle == null ? SubjectStyle.PLAIN : SubjectStyle.parse(subjectStyle), HashMode.parse(hash));
        return new SmtpLoadConfig(
                new SmtpLoadConfig.Target(serverEndpoints, local, lmtp, smtps, name,
                        resolver == null ? null : DnsServerAddress.parse(resolver, "--resolver")),
                new SmtpLoadConfig.Workload(connections, perConnection, LoadRates.perSecond(rate), report.count,
                        report.duration, warmup, range[0], range[1], message, seed(),
                        ioThreads.threads()),
                new SmtpLoadConfig.Session(word(pipelining, SmtpLoadConfig.Pipelining.class, "--pipelining"), bdat,
                        tlsPercent, tlsVerify, word(auth, SmtpLoadConfig.Auth.class, "--auth"), timeout),
                new SmtpLoadConfig.Output(report.interval, report.json, report.logDir, logAll,
                        transcripts.base(), transcripts.perConnection(), control.name("postal"), ledger.file));
    }

    private static int[] range(String text) {
        Matcher m = Pattern.compile("([0-9]{1,4})(?:-([0-9]{1,4}))?").matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad --rcpts \"" + text + "\" (use N or MIN-MAX)");
        }
        int min = Integer.parseInt(m.group(1));
        return new int[] {min, m.group(2) == null ? min : Integer.parseInt(m.group(2))};
    }

    private static <E extends Enum<E>> E word(String text, Class<E> type, String option) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            StringBuilder words = new StringBuilder();
            for (E value : type.getEnumConstants()) {
                words.append(words.length() == 0 ? "" : ", ").append(value.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException("bad " + option + " \"" + text + "\": use " + words);
        }
    }

    static String describe(Duration d) {
        return d == null ? "none" : Durations.format(d);
    }
}
