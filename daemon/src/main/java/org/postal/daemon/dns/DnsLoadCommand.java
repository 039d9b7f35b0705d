// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.postal.daemon.config.IoThreadsOption;
import org.postal.daemon.config.ReportOptions;
import org.postal.daemon.config.Versions;
import org.postal.daemon.control.ControlOptions;
import org.postal.daemon.load.Rate;
import org.postal.daemon.load.UserPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** postal-dns's command line; {@link #toConfig} and {@link #source} check combinations. */
@Command(name = "postal-dns", mixinStandardHelpOptions = true, versionProvider = Versions.class, sortOptions = false,
        usageHelpWidth = 100, exitCodeOnInvalidInput = DnsLoadMain.EX_USAGE,
        description = "DNS load with a mail server's questions: exact rates, latency per query type from each "
                + "question's intended time, answers by response code.")
final class DnsLoadCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER",
            description = "DNS server under test: ADDRESS[:PORT] or [IPV6]:PORT (port 53 unless given).")
    String server;

    @Option(names = {"-r", "--rate"}, paramLabel = "RATE",
            description = "Questions per minute, or with a unit: 20000/s, 1e6/h (default: as fast as answers "
                    + "come, --outstanding at a time).")
    String rate;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0", description = "Stop after N questions (0: no limit).")
    long count;

    @Option(names = "--duration", paramLabel = "DURATION", converter = ReportOptions.DurationConverter.class,
            description = "Stop after this long (e.g. 20s, 10m).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = ReportOptions.DurationConverter.class,
            description = "Leave this first stretch out of the summary (the JVM compiling its code).")
    Duration warmup;

    @Option(names = "--tcp", description = "Ask over TCP, several questions in flight per connection (RFC 7766).")
    boolean tcp;

    @Option(names = "--sockets", paramLabel = "N", defaultValue = "1",
            description = "UDP sockets or TCP connections (dnsperf's -c; default: ${DEFAULT-VALUE}).")
    int sockets;

    @Option(names = "--outstanding", paramLabel = "N", defaultValue = "100",
            description = "Questions in flight at most (dnsperf's -q; default: ${DEFAULT-VALUE}).")
    int outstanding;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = ReportOptions.DurationConverter.class,
            description = "An unanswered question counts as timed out after this (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1m",
            converter = ReportOptions.DurationConverter.class,
            description = "Statistics period; rows are aligned to the wall clock (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--json", description = "Write statistics as JSON lines instead of CSV.")
    boolean json;

    @Option(names = {"-d", "--queries"}, paramLabel = "FILE",
            description = "Send the questions of this dnsperf file (\"name TYPE\" per line) instead of generating them.")
    Path queries;

    @Option(names = "--write-queries", paramLabel = "N",
            description = "Write N generated questions to standard output in dnsperf's format, then exit.")
    Long writeQueries;

    @Option(names = "--profile", paramLabel = "MTA", defaultValue = "full",
            description = "Checks of the receiving server: postfix, postscreen, full or relay (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--clients", paramLabel = "CIDR", defaultValue = "198.51.100.0/24",
            description = "Client addresses, one per connection in turn (default: ${DEFAULT-VALUE}).")
    String clients;

    @Option(names = "--client-domain", paramLabel = "DOMAIN", defaultValue = "clients.example.net",
            description = "Domain of the clients' host names, 198-51-100-7.DOMAIN (default: ${DEFAULT-VALUE}).")
    String clientDomain;

    @Option(names = "--users", paramLabel = "FILE",
            description = "postal's user list: its domains are the sender and recipient domains (default: example.com).")
    Path users;

    @Option(names = "--dnsbl", paramLabel = "ZONE", split = ",",
            description = "DNSBL zones asked about each client (postscreen, full, relay profiles).")
    List<String> dnsbl = List.of();

    @Option(names = "--dkim-selector", paramLabel = "NAME", defaultValue = "postal",
            description = "DKIM selector in SELECTOR._domainkey.DOMAIN (default: ${DEFAULT-VALUE}).")
    String dkimSelector;

    @Option(names = {"-c", "--messages-per-connection"}, paramLabel = "N", defaultValue = "1",
            description = "Messages per client connection (default: ${DEFAULT-VALUE}).")
    int perConnection;

    @Option(names = "--rcpts", paramLabel = "N", defaultValue = "1",
            description = "Recipients per message (default: ${DEFAULT-VALUE}).")
    int rcpts;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed of the generated questions.")
    Long seed;

    @Mixin
    IoThreadsOption ioThreads;

    @Mixin
    ControlOptions control;

    DnsLoadConfig toConfig() {
        if (server == null) {
            throw new IllegalArgumentException("no DNS server given");
        }
        return new DnsLoadConfig(DnsServerAddress.parse(server, "server"), tcp, sockets, outstanding,
                Rate.parse(rate).perSecond(), count, duration, timeout, interval, json,
                queries != null ? queries.toString() : "generated: " + profile + " " + clients, control.name("postal-dns"),
                ioThreads.threads());
    }

    /** The questions: the file's, or generated from the mail workload. */
    QuerySource source() throws IOException {
        return queries != null ? QueryFile.read(queries) : new MailQueries(workload());
    }

    MailQueries.Workload workload() throws IOException {
        Set<String> domains = new LinkedHashSet<>();
        if (users != null) {
            UserPool pool = UserPool.load(users);
            for (int i = 0; i < pool.size(); i++) {
                String address = pool.get(i).address();
                domains.add(address.substring(address.lastIndexOf('@') + 1));
            }
        } else {
            domains.add("example.com");
        }
        List<String> list = List.copyOf(domains);
        return new MailQueries.Workload(ClientRange.parse(clients), clientDomain, list, list, dnsbl,
                MtaProfile.parse(profile), dkimSelector, perConnection, rcpts,
                seed != null ? seed : new SecureRandom().nextLong());
    }
}
