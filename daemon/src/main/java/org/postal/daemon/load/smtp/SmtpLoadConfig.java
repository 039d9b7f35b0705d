// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import org.postal.daemon.config.IoThreadsOption;
import org.postal.daemon.load.Endpoints;
import org.postal.daemon.load.source.SourceAddresses;
import org.postal.daemon.message.MessageSpec;

/**
 * Everything postal needs to run, validated once.
 *
 * @param target   where to connect and how to greet
 * @param workload how much mail, how fast, and what it looks like
 * @param session  protocol options of each connection
 * @param output   statistics, logs and transcripts
 */
public record SmtpLoadConfig(Target target, Workload workload, Session session, Output output) {

    public SmtpLoadConfig {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(output, "output");
    }

    /**
     * Servers, source addresses (null: the kernel chooses), protocol, greeting name, and the DNS
     * server asked for {@code +name} servers (null: those in /etc/resolv.conf).
     */
    public record Target(Endpoints servers, SourceAddresses local, boolean lmtp, boolean smtps, String helo,
                         java.net.InetSocketAddress resolver) {
        public Target {
            Objects.requireNonNull(servers, "servers");
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
                           long seed, int ioThreads) {
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

    /** Statistics rows, postal.log and transcripts. */
    public record Output(Duration interval, boolean json, Path logDir, boolean logAll, Path transcript,
                         boolean transcriptPerConnection, String name, Path ledger, OptionalInt runTag) {
        public Output {
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("--interval must be positive");
            }
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(runTag, "runTag");
        }

        /** NAME.log in the log folder: postal.log, or one of its own for an instance (--name postal@night). */
        public Path log() {
            return logDir.resolve(name + ".log");
        }

        /** Where a transcript switched on at run time goes without -z/-Z: NAME.transcript. */
        public Path transcriptBase() {
            return logDir.resolve(name + ".transcript");
        }
    }

    /** When to pipeline (RFC 2920). */
    public enum Pipelining { AUTO, ON, OFF }

    /** AUTH mechanism used with the senders' passwords, or none. */
    public enum Auth { NONE, PLAIN, LOGIN }
}
