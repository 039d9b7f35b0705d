// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.postal.daemon.config.IoThreadsOption;
import org.postal.daemon.load.Endpoints;
import org.postal.daemon.load.LoadConfig;
import org.postal.daemon.load.LoadOutput;
import org.postal.daemon.load.source.SourceAddresses;
import org.postal.daemon.message.HashMode;

/**
 * Everything rabid needs to run, validated once.
 *
 * @param target   where to connect
 * @param workload how many sessions, how fast, and what each does with the mail it finds
 * @param session  protocol options of each session
 * @param output   statistics, rabid.log and transcripts
 */
public record RabidConfig(Target target, Workload workload, Session session, LoadOutput output) implements LoadConfig {

    public RabidConfig {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(output, "output");
    }

    /** Whether this is a --probe run: one verbose session, no statistics rows, no control sockets. */
    public boolean probe() {
        return target.probe() != null;
    }

    /**
     * Servers (their port is POP3's), the IMAP port, source addresses, and the accounts to log in with.
     *
     * @param local    null: the kernel chooses
     * @param accounts the account list ("address password" per line)
     * @param probe    --probe's account: null without --probe, "" for the list's first
     */
    public record Target(Endpoints servers, int imapPort, SourceAddresses local, boolean pop3s, boolean imaps,
                         Path accounts, String probe) {
        public Target {
            Objects.requireNonNull(servers, "servers");
            Objects.requireNonNull(accounts, "accounts");
            if (imapPort < 1 || imapPort > 65535) {
                throw new IllegalArgumentException("--imap-port out of range 1..65535: " + imapPort);
            }
        }
    }

    /**
     * The sessions to run.
     *
     * @param perConnection 0.76's -c: -1 every listed message, 0 log in and out only, N the first N
     * @param rate          sessions per second; 0 for as fast as the server allows
     * @param download      percentage of listed messages retrieved
     * @param delete        percentage of retrieved messages deleted
     */
    public record Workload(int connections, int perConnection, double rate, long count, Duration duration,
                           int imapPercent, int download, int delete, long seed, int ioThreads)
            implements LoadConfig.Work {
        public Workload {
            if (connections < 1 || connections > 100_000) {
                throw new IllegalArgumentException("-p out of range 1..100000: " + connections);
            }
            if (perConnection < -1) {
                throw new IllegalArgumentException("-c must be -1 (all), 0 (log in and out only) or a count");
            }
            percent(imapPercent, "-i");
            percent(download, "-d");
            percent(delete, "-d (delete part)");
            if (rate < 0 || count < 0) {
                throw new IllegalArgumentException("--rate and --count must not be negative");
            }
            IoThreadsOption.check(ioThreads);
        }
    }

    /**
     * How each session speaks.
     *
     * @param stripDomain 0.76's -u: log in with the part of the address before the first '@'
     * @param qmailPop    0.76's -b qmail-pop: tolerate the extra empty line some qmail-pop3d send
     */
    public record Session(int tlsPercent, boolean tlsVerify, boolean saslPlain, boolean stripDomain,
                          boolean qmailPop, HashMode hash, Duration timeout) {
        public Session {
            percent(tlsPercent, "-s");
            Objects.requireNonNull(hash, "hash");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("--timeout must be positive");
            }
        }
    }

    private static void percent(int value, String option) {
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException(option + " out of range 0..100: " + value);
        }
    }
}
