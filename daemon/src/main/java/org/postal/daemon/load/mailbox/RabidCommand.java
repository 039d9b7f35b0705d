// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postal.daemon.config.Versions;
import org.postal.daemon.load.Endpoints;
import org.postal.daemon.load.LoadOptions;
import org.postal.daemon.load.source.SourceOptions;
import org.postal.daemon.message.HashMode;
import org.postal.daemon.service.Sysexits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** rabid's command line: the 0.76 letters plus long options; {@link #toConfig} checks combinations. */
@Command(name = "rabid", mixinStandardHelpOptions = true, versionProvider = Versions.class, sortOptions = false,
        usageHelpWidth = 100, exitCodeOnInvalidInput = Sysexits.EX_USAGE,
        description = "POP3/IMAP reader: logs in, lists, fetches, verifies and deletes mail under load.")
final class RabidCommand {

    @Option(names = {"-p", "--connections"}, paramLabel = "N", defaultValue = "1",
            description = "Concurrent sessions (0.76's processes; default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-c", "--messages-per-connection"}, paramLabel = "N", defaultValue = "-1",
            description = "Messages handled per session: -1 every listed one, 0 log in and out only, N the first N "
                    + "(default: ${DEFAULT-VALUE}).")
    int perConnection;

    @Option(names = {"-i", "--imap-percent"}, paramLabel = "PERCENT", defaultValue = "0",
            description = "Share of sessions that use IMAP instead of POP3 (default: ${DEFAULT-VALUE}).")
    int imapPercent;

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

    @Option(names = "--hash", paramLabel = "MODE", defaultValue = "auto",
            description = "X-PostalHash digest accepted: auto (md5 or md5-lp64), md5, md5-lp64.")
    String hash;

    @Option(names = "--probe", description = "Run one verbose session that lists the mailbox, fetching nothing, and "
            + "print its transcript with timings (POP3; IMAP with -i 100; STLS/STARTTLS with -s 100).")
    boolean probe;

    @Option(names = "--account", paramLabel = "ADDRESS",
            description = "With --probe: the account to use (default: the list's first).")
    String account;

    @Mixin
    LoadOptions load;

    @Mixin
    SourceOptions sources;

    RabidConfig toConfig() {
        if (account != null && !probe) {
            throw new IllegalArgumentException("--account goes with --probe");
        }
        Path users = load.userList();
        String servers = load.serverList();
        if (users == null) {
            throw new IllegalArgumentException("no user list given (argument or --users)");
        }
        if (servers == null) {
            throw new IllegalArgumentException("no server given (argument or --server)");
        }
        if (quirk != null && !quirk.equalsIgnoreCase("qmail-pop")) {
            throw new IllegalArgumentException("bad -b \"" + quirk + "\": the only value is qmail-pop");
        }
        Matcher d = Pattern.compile("([0-9]{1,3})(?::([0-9]{1,3}))?").matcher(download);
        if (!d.matches()) {
            throw new IllegalArgumentException("bad -d \"" + download + "\": use D or D:X, percentages");
        }
        int imap = imapPort != null ? imapPort : imaps ? 993 : 143;
        Endpoints serverList = Endpoints.parse(servers, pop3s ? 995 : 110);
        return new RabidConfig(
                new RabidConfig.Target(serverList, imap, sources.toSources(load.seed(), serverList, false), pop3s, imaps,
                        users, probe ? (account == null ? "" : account) : null),
                new RabidConfig.Workload(connections, perConnection, load.rate().perSecond(), load.count(),
                        load.duration(), imapPercent, Integer.parseInt(d.group(1)),
                        d.group(2) == null ? 100 : Integer.parseInt(d.group(2)), load.seed(), load.ioThreads()),
                new RabidConfig.Session(load.tlsPercent(), load.tlsVerify(), saslPlain, stripDomain,
                        qmailPop || quirk != null, HashMode.parse(hash), load.timeout()),
                load.output(RabidLoad.KIND.program()));
    }
}
