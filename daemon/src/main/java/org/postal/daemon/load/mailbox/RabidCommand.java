// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postal.daemon.config.ConfigKey;
import org.postal.daemon.config.IoThreadsOption;
import org.postal.daemon.config.ReportOptions;
import org.postal.daemon.config.TranscriptOptions;
import org.postal.daemon.config.Versions;
import org.postal.daemon.load.Endpoints;
import org.postal.daemon.load.LoadRates;
import org.postal.daemon.load.source.SourceAddresses;
import org.postal.daemon.load.source.SourceOptions;
import org.postal.daemon.message.HashMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** rabid's command line: the 0.76 letters plus long options; {@link #toConfig} checks combinations. */
@Command(name = "rabid", mixinStandardHelpOptions = true, versionProvider = Versions.class, sortOptions = false,
        usageHelpWidth = 100, exitCodeOnInvalidInput = RabidMain.EX_USAGE,
        description = "POP3/IMAP reader: logs in, lists, fetches, verifies and deletes mail under load.")
final class RabidCommand {

    @Option(names = {"-r", "--rate"}, paramLabel = "RATE",
            description = "Sessions per minute, or with a unit: 10/s, 600/m (default: as fast as the server allows).")
    String rate;

    @Option(names = {"-p", "--connections"}, paramLabel = "N", defaultValue = "1",
            description = "Concurrent sessions (0.76's processes; default: ${DEFAULT-VALUE}).")
    int connections;

    @Mixin
    SourceOptions sources;

    @Option(names = {"-c", "--messages-per-connection"}, paramLabel = "N", defaultValue = "-1",
            description = "Messages handled per session: -1 every listed one, 0 log in and out only, N the first N "
                    + "(default: ${DEFAULT-VALUE}).")
    int perConnection;

    @Option(names = {"-a", "--log-all"}, description = "Write the text of every retrieved message to rabid.log.")
    boolean logAll;

    @Option(names = {"-i", "--imap-percent"}, paramLabel = "PERCENT", defaultValue = "0",
            description = "Share of sessions that use IMAP instead of POP3 (default: ${DEFAULT-VALUE}).")
    int imapPercent;

    @Option(names = {"-s", "--tls-percent"}, paramLabel = "PERCENT", defaultValue = "0",
            description = "Share of sessions that use STLS (POP3) or STARTTLS (IMAP) when offered (default: ${DEFAULT-VALUE}).")
    int tlsPercent;

    @Option(names = {"-d", "--download"}, paramLabel = "D[:X]", defaultValue = "100:100",
            description = "Retrieve D%% of the listed messages and delete X%% of those retrieved "
                    + "(default: ${DEFAULT-VALUE}; D alone means D:100).")
    String download;



    @Option(names = {"-u", "--strip-domain"}, description = "Log in with the name before the first '@'.")
    boolean stripDomain;

    @Option(names = {"-b"}, paramLabel = "qmail-pop", description = "With qmail-pop: the same as --qmail-pop (0.76 syntax).")
    String quirk;

    @Option(names = "--qmail-pop", description = "Tolerate the empty line some qmail-pop3d versions send.")
    boolean qmailPop;

    @Option(names = "--imap-port", paramLabel = "PORT",
            description = "Port for IMAP sessions (default: 143, or 993 with --imaps).")
    Integer imapPort;

    @Option(names = "--pop3s", description = "POP3 over implicit TLS (port 995 unless the server says otherwise).")
    boolean pop3s;

    @Option(names = "--imaps", description = "IMAP over implicit TLS.")
    boolean imaps;

    @Option(names = "--sasl-plain", description = "Log in with AUTH PLAIN (POP3) or AUTHENTICATE PLAIN (IMAP) "
            + "instead of USER/PASS or LOGIN.")
    boolean saslPlain;

    @Option(names = "--tls-verify", description = "Check the server's certificate and name (default: trust any).")
    boolean tlsVerify;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = ReportOptions.DurationConverter.class,
            description = "Wait for a connection or a response (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--hash", paramLabel = "MODE", defaultValue = "auto",
            description = "X-PostalHash digest accepted: auto (md5 or md5-lp64), md5, md5-lp64.")
    String hash;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: a new one, printed at start).")
    Long seed;

    @Option(names = "--probe", description = "Run one verbose session that lists the mailbox, fetching nothing, and "
            + "print its transcript with timings (POP3; IMAP with -i 100; STLS/STARTTLS with -s 100).")
    boolean probe;

    @Option(names = "--account", paramLabel = "ADDRESS",
            description = "With --probe: the account to use (default: the list's first).")
    String account;

    @Option(names = "--server", paramLabel = "SERVERS", description = "Servers, instead of the first argument.")
    String serverOption;

    @Option(names = "--users", paramLabel = "FILE", description = "Account list, instead of the second argument.")
    Path usersOption;

    @Mixin
    ReportOptions report;

    @Mixin
    org.postal.daemon.ledger.LedgerOption ledger;

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
    @Parameters(index = "0", arity = "0..1", paramLabel = "server",
            description = "host, [host]port, +host, comma-separated; the port is POP3's (default 110).")
    String servers;

    @ConfigKey("users")
    @Parameters(index = "1", arity = "0..1", paramLabel = "user-list",
            description = "Accounts: \"address password\" per line.")
    Path users;

    String serverList() {
        return once(servers, serverOption, "server", "--server");
    }

    Path userList() {
        return once(users, usersOption, "user list", "--users");
    }

    private static <T> T once(T positional, T option, String what, String flag) {
        if (positional != null && option != null) {
            throw new IllegalArgumentException("give the " + what + " once: as an argument or with " + flag);
        }
        if (positional == null && option == null) {
            throw new IllegalArgumentException("no " + what + " given (argument or " + flag + ")");
        }
        return positional != null ? positional : option;
    }

    long seed() {
        if (seed == null) {
            seed = new SecureRandom().nextLong();
        }
        return seed;
    }

    /** The --probe account: null without --probe, "" for the list's first. */
    String probeAccount() {
        if (account != null && !probe) {
            throw new IllegalArgumentException("--account goes with --probe");
        }
        return probe ? (account == null ? "" : account) : null;
    }

    RabidConfig toConfig() {
        probeAccount();
        userList();
        if (quirk != null && !quirk.equalsIgnoreCase("qmail-pop")) {
            throw new IllegalArgumentException("bad -b \"" + quirk + "\": the only value is qmail-pop");
        }
        Matcher d = Pattern.compile("([0-9]{1,3})(?::([0-9]{1,3}))?").matcher(download);
        if (!d.matches()) {
            throw new IllegalArgumentException("bad -d \"" + download + "\": use D or D:X, percentages");
        }
        int imap = imapPort != null ? imapPort : imaps ? 993 : 143;
        Endpoints serverList = Endpoints.parse(serverList(), pop3s ? 995 : 110);
        SourceAddresses local = sources.toSources(seed(), serverList);
        return new RabidConfig(
                new RabidConfig.Target(serverList, imap, local, pop3s, imaps),
                new RabidConfig.Workload(connections, perConnection, LoadRates.perSecond(rate), report.count,
                        report.duration, imapPercent, Integer.parseInt(d.group(1)),
                        d.group(2) == null ? 100 : Integer.parseInt(d.group(2)), seed(),
                        ioThreads.threads()),
                new RabidConfig.Session(tlsPercent, tlsVerify, saslPlain, stripDomain,
                        qmailPop || quirk != null, HashMode.parse(hash), timeout),
                new RabidConfig.Output(report.interval, report.json, report.logDir, logAll,
                        transcripts.base(), transcripts.perConnection(), control.name("rabid"), ledger.file));
    }
}
