// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postal.daemon.config.ReportOptions;
import org.postal.daemon.config.Sizes;
import org.postal.daemon.config.Versions;
import org.postal.daemon.config.Words;
import org.postal.daemon.dns.DnsServerAddress;
import org.postal.daemon.load.Endpoints;
import org.postal.daemon.load.LoadOptions;
import org.postal.daemon.load.source.SourceAddresses;
import org.postal.daemon.load.source.SourceOptions;
import org.postal.daemon.message.HashMode;
import org.postal.daemon.message.MessageSizes;
import org.postal.daemon.message.MessageSpec;
import org.postal.daemon.message.SubjectStyle;
import org.postal.daemon.service.Sysexits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** postal's command line: the 0.76 letters plus long options; {@link #toConfig} checks combinations. */
@Command(name = "postal", mixinStandardHelpOptions = true, versionProvider = Versions.class, sortOptions = false,
        usageHelpWidth = 100, exitCodeOnInvalidInput = Sysexits.EX_USAGE,
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

    @Option(names = {"-b", "--subject-style"}, paramLabel = "STYLE",
            description = "netscape: the Subject text never starts with a space; nonetscape: it always does.")
    String subjectStyle;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "25",
            description = "Port for servers given without one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-L", "--lmtp"}, description = "Speak LMTP (LHLO; one reply per recipient after the data).")
    boolean lmtp;

    @Mixin
    SourceOptions sources;

    @Option(names = {"-f", "--senders"}, paramLabel = "FILE",
            description = "Sender list (default: senders are drawn from the recipient list).")
    Path senders;

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

    @Option(names = "--auth", paramLabel = "MECHANISM", defaultValue = "none",
            description = "AUTH with the sender's password from the list: none, plain or login (default: ${DEFAULT-VALUE}).")
    String auth;

    @Option(names = "--helo", paramLabel = "NAME", description = "Name in EHLO/LHLO (default: this host's name).")
    String helo;

    @Option(names = "--resolver", paramLabel = "ADDRESS[:PORT]",
            description = "DNS server asked for +host servers before each connection, an IP address with "
                    + "port 53 unless given ([::1]:5353 for IPv6; default: the servers in /etc/resolv.conf).")
    String resolver;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = ReportOptions.DurationConverter.class,
            description = "Leave this first stretch out of the summary.")
    Duration warmup;

    @Option(names = "--hash", paramLabel = "MODE", defaultValue = "md5",
            description = "X-PostalHash digest: md5 (auto is the same), or md5-lp64 as a 64-bit 0.76 computes "
                    + "(default: ${DEFAULT-VALUE}).")
    String hash;

    @Mixin
    LoadOptions load;

    @Mixin
    SlowClientOptions slow;

    @Mixin
    org.postal.daemon.ledger.RunIdOption runId;

    /** The config; without servers its target is the embedded bhm, whose address the run fills in. */
    SmtpLoadConfig toConfig() {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("-p out of range 1..65535: " + port);
        }
        int[] range = range(rcpts);
        String name = helo != null ? helo : Versions.hostname();
        String servers = load.serverList();
        Path users = load.userList();
        if (users == null && servers != null) {
            throw new IllegalArgumentException("no user list given (argument or --users)");
        }
        Endpoints serverEndpoints = servers == null ? null : Endpoints.parse(servers, port);
        // The embedded bhm listens on loopback: the source addresses must reach it.
        SourceAddresses local = sources.toSources(load.seed(),
                serverEndpoints != null ? serverEndpoints : SmtpLoadConfig.embeddedAt(port), true);
        if (minSize < 0 || maxSize > MessageSizes.LIMIT_KIB || minSize > maxSize) {
            throw new IllegalArgumentException("sizes must satisfy 0 <= -M <= -m <= " + MessageSizes.LIMIT_KIB
                    + " KiB (-M " + minSize + ", -m " + maxSize + ")");
        }
        MessageSpec message = new MessageSpec(new MessageSizes((int) minSize, (int) maxSize),
                subjectStyle == null ? SubjectStyle.PLAIN : SubjectStyle.parse(subjectStyle), HashMode.parse(hash));
        return new SmtpLoadConfig(
                new SmtpLoadConfig.Target(serverEndpoints, local, lmtp, smtps, name,
                        resolver == null ? null : DnsServerAddress.parse(resolver, "--resolver"), users, senders,
                        runId.tag()),
                new SmtpLoadConfig.Workload(connections, perConnection, load.rate().perSecond(), load.count(),
                        load.duration(), warmup, range[0], range[1], message, load.seed(), load.ioThreads()),
                new SmtpLoadConfig.Session(Words.parse(pipelining, SmtpLoadConfig.Pipelining.class, "--pipelining"),
                        bdat, load.tlsPercent(), load.tlsVerify(), Words.parse(auth, SmtpLoadConfig.Auth.class, "--auth"),
                        load.timeout()),
                load.output(SmtpLoad.KIND.program()), slow.toSlowClient());
    }

    private static int[] range(String text) {
        Matcher m = Pattern.compile("([0-9]{1,4})(?:-([0-9]{1,4}))?").matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad --rcpts \"" + text + "\" (use N or MIN-MAX)");
        }
        int min = Integer.parseInt(m.group(1));
        return new int[] {min, m.group(2) == null ? min : Integer.parseInt(m.group(2))};
    }
}
