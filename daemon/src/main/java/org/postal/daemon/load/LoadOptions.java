// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.postal.daemon.config.ConfigKey;
import org.postal.daemon.config.IoThreadsOption;
import org.postal.daemon.config.ReportOptions;
import org.postal.daemon.config.TranscriptOptions;
import org.postal.daemon.config.Words;
import org.postal.daemon.control.ControlOptions;
import org.postal.daemon.service.MemoryLockOption;
import org.postal.daemon.ledger.LedgerOption;
import org.postal.daemon.metrics.HistogramLogOption;
import org.postal.daemon.metrics.MetricsOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options postal and rabid share (a picocli mixin each command includes once): the servers and
 * the user list (as arguments or options), rate, TLS share and checking, timeout, seed, log detail,
 * the ledger, and the options every program has (report, transcripts, I/O threads, control). The
 * source-address options are {@code load.source}'s own mixin, which both commands also include.
 */
public final class LoadOptions {

    @Option(names = {"-r", "--rate"}, paramLabel = "RATE",
            description = "What the program starts (postal: messages, rabid: sessions) per minute, or with a unit: "
                    + "500/s, 30000/m, 1e6/h; at most 10000000/s (default: as fast as the server allows).")
    String rate;

    @Option(names = {"-a", "--log-all"},
            description = "Write the full text of every message (sent or retrieved) to NAME.log.")
    boolean logAll;

    @Option(names = {"-s", "--tls-percent"}, paramLabel = "PERCENT", defaultValue = "0",
            description = "Share of connections that use STARTTLS (STLS in POP3) when the server offers it "
                    + "(default: ${DEFAULT-VALUE}).")
    int tlsPercent;

    @Option(names = "--tls-verify", description = "Check the server's certificate and name (default: trust any).")
    boolean tlsVerify;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = ReportOptions.DurationConverter.class,
            description = "Wait for a connection or a reply (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: a new one, printed at start).")
    Long seed;

    @Option(names = "--jit", paramLabel = "WHEN", defaultValue = "auto",
            description = "JIT compilers, chosen by the launcher: short (C1 alone, early compiles), long (tiered), "
                    + "auto (short for --count under 200000 or --duration under 30s on the command line; "
                    + "default: ${DEFAULT-VALUE}).")
    String jit;

    @Option(names = "--server", paramLabel = "SERVERS", description = "Servers, instead of the first argument.")
    String serverOption;

    @Option(names = "--users", paramLabel = "FILE", description = "User list, instead of the second argument.")
    Path usersOption;

    @ConfigKey("server")
    @Parameters(index = "0", arity = "0..1", paramLabel = "servers",
            description = "host, [host]port, +host (resolve before each connection), comma-separated "
                    + "(postal without servers starts a bhm of its own on a loopback port and checks what it got).")
    String servers;

    @ConfigKey("users")
    @Parameters(index = "1", arity = "0..1", paramLabel = "user-list",
            description = "Users: \"address [password]\" per line (rabid needs the passwords).")
    Path users;

    @Mixin
    public ReportOptions report;

    @Mixin
    TranscriptOptions transcripts;

    @Mixin
    LedgerOption ledger;

    @Mixin
    IoThreadsOption ioThreads;

    @Mixin
    ControlOptions control;

    @Mixin
    MetricsOption metrics;

    @Mixin
    MemoryLockOption memory;

    @Mixin
    HistogramLogOption histogramLog;

    /** The servers as given (argument or --server, not both), or null when none were. */
    public String serverList() {
        return once(servers, serverOption, "servers", "--server");
    }

    /** The user list as given (argument or --users, not both), or null when none was. */
    public Path userList() {
        return once(users, usersOption, "user list", "--users");
    }

    private static <T> T once(T positional, T option, String what, String flag) {
        if (positional != null && option != null) {
            throw new IllegalArgumentException("give the " + what + " once: as an argument or with " + flag);
        }
        return positional != null ? positional : option;
    }

    /** The rate, checked (the same rule as a reload and {@code postalctl rate}). */
    public Rate rate() {
        return Rate.parse(rate);
    }

    public int tlsPercent() {
        return tlsPercent;
    }

    public boolean tlsVerify() {
        return tlsVerify;
    }

    public Duration timeout() {
        return timeout;
    }

    /** --count (0: no limit). */
    public long count() {
        return report.count;
    }

    /** --duration, or null for none. */
    public Duration duration() {
        return report.duration;
    }

    public int ioThreads() {
        return ioThreads.threads();
    }

    /** The seed given, or a fresh one drawn once (so the config and the printed seed agree). */
    public long seed() {
        if (seed == null) {
            seed = new SecureRandom().nextLong();
        }
        return seed;
    }

    /** Statistics, log, transcripts, ledger and control sockets for an instance of {@code program} (and --jit checked). */
    public LoadOutput output(String program) {
        // --jit is the launcher's, which has started this JVM already; here the word is only checked.
        Words.parse(jit, Jit.class, "--jit");
        return new LoadOutput(report.interval, report.json, report.logDir, logAll, transcripts.base(),
                transcripts.perConnection(), control.name(program), control.directory(), ledger.file,
                metrics.address(), histogramLog.file(), memory.wanted());
    }
}
