// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import org.postal.daemon.config.IoThreadsOption;
import org.postal.daemon.load.Endpoints;
import org.postal.daemon.load.LoadConfig;
import org.postal.daemon.load.LoadOutput;
import org.postal.daemon.load.source.SourceAddresses;
import org.postal.daemon.message.MessageSpec;

/**
 * Everything postal needs to run, validated once.
 *
 * @param target   where to connect and how to greet
 * @param workload how much mail, how fast, and what it looks like
 * @param session  protocol options of each connection
 * @param output   statistics, logs and transcripts
 * @param slow     how slowly the client behaves ({@link SlowClient#OFF}: not at all)
 */
public record SmtpLoadConfig(Target target, Workload workload, Session session, LoadOutput output, SlowClient slow)
        implements LoadConfig {

    public SmtpLoadConfig {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(slow, "slow");
    }

    /** Whether postal runs against a bhm of its own, started for the run. */
    public boolean embedded() {
        return target.servers() == null;
    }

    /** The embedded bhm's address: loopback, on the port it bound. */
    static Endpoints embeddedAt(int port) {
        return Endpoints.parse("[127.0.0.1]" + port, 25);
    }

    /** This config with the embedded bhm's address as its servers. */
    public SmtpLoadConfig servedBy(Endpoints embedded) {
        Target t = target;
        return new SmtpLoadConfig(new Target(embedded, t.local(), t.lmtp(), t.smtps(), t.helo(), t.resolver(),
                t.recipients(), t.senders(), t.runTag()), workload, session, output, slow);
    }

    /**
     * Servers, source addresses, protocol, greeting name, the DNS server for {@code +name} servers and
     * the lists of whom to write to and as whom.
     *
     * @param servers    null for postal's embedded bhm (the run fills in its address: {@link #servedBy})
     * @param local      null: the kernel chooses
     * @param resolver   the DNS server asked for {@code +name} servers; null: those in /etc/resolv.conf
     * @param recipients the recipient list; null for the built-in one (embedded bhm only)
     * @param senders    the sender list; null to draw senders from the recipients
     */
    public record Target(Endpoints servers, SourceAddresses local, boolean lmtp, boolean smtps, String helo,
                         InetSocketAddress resolver, Path recipients, Path senders, OptionalInt runTag) {
        public Target {
            Objects.requireNonNull(runTag, "runTag");
            if (helo.isBlank() || helo.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException("bad --helo name \"" + helo + "\"");
            }
        }
    }

    /**
     * The mail to send.
     *
     * @param perConnection 0.76's -c: N for a random 1..N per connection, -1 unlimited, 0 connect and QUIT only
     * @param rate          messages per second; 0 for as fast as the server takes them
     */
    public record Workload(int connections, int perConnection, double rate, long count, Duration duration,
                           Duration warmup, int minRecipients, int maxRecipients, MessageSpec message,
                           long seed, int ioThreads)
            implements LoadConfig.Work {
        public Workload {
            if (connections < 1 || connections > 100_000) {
                throw new IllegalArgumentException("-t out of range 1..100000: " + connections);
            }
            if (perConnection < -1) {
                throw new IllegalArgumentException("-c must be -1 (unlimited), 0 (connect only) or a count, not "
                        + perConnection);
            }
            if (rate < 0 || count < 0) {
                throw new IllegalArgumentException("--rate and --count must not be negative");
            }
            if (minRecipients < 1 || maxRecipients < minRecipients || maxRecipients > 1000) {
                throw new IllegalArgumentException("--rcpts must be N or MIN-MAX within 1..1000");
            }
            Objects.requireNonNull(message, "message");
            IoThreadsOption.check(ioThreads);
        }
    }

    /** How each connection speaks. */
    public record Session(Pipelining pipelining, boolean bdat, int tlsPercent, boolean tlsVerify, Auth auth,
                          Duration timeout) {
        public Session {
            if (tlsPercent < 0 || tlsPercent > 100) {
                throw new IllegalArgumentException("-s out of range 0..100: " + tlsPercent);
            }
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("--timeout must be positive");
            }
        }
    }

    /** When to pipeline (RFC 2920). */
    public enum Pipelining { AUTO, ON, OFF }

    /** AUTH mechanism used with the senders' passwords, or none. */
    public enum Auth { NONE, PLAIN, LOGIN }
}
