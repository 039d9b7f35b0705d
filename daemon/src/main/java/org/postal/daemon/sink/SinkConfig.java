// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.postal.daemon.config.IoThreadsOption;
import org.postal.daemon.message.HashMode;

/**
 * Everything bhm needs to run, validated once; built from the command line (and later a config file).
 *
 * @param listen  where to listen
 * @param tls     STARTTLS and implicit TLS
 * @param limits  bounds on sessions, lines, messages and waits
 * @param policy  how recipients, AUTH and greylisting are answered
 * @param output  statistics, logs and transcripts
 * @param clients who may announce another client's address (PROXY, XCLIENT)
 */
public record SinkConfig(Listen listen, Tls tls, Limits limits, Policy policy, Output output, ClientPolicy clients,
                         Bounces bounces) {

    public SinkConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(bounces, "bounces");
        if (tls.port() > 0 && tls.port() == listen.port()) {
            throw new IllegalArgumentException("--tls-port must differ from --port (" + listen.port() + ")");
        }
    }

    /** Listening addresses, ports and the name in the greeting. */
    public record Listen(List<InetAddress> bind, int port, boolean lmtp, String hostname, Path reverseDns,
                         int ioThreads) {
        public Listen {
            bind = List.copyOf(bind);
            if (bind.isEmpty()) {
                throw new IllegalArgumentException("no bind address");
            }
            checkPort(port, "--port");
            if (hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException("bad --hostname: \"" + hostname + "\"");
            }
            IoThreadsOption.check(ioThreads);
        }
    }

    /** STARTTLS offer, implicit-TLS port (negative: none; 0: any free) and PEM files (null: self-signed). */
    public record Tls(boolean starttls, int port, Path certificate, Path key) {
        public Tls {
            if (port >= 0) {
                checkPort(port, "--tls-port");
            }
            if ((certificate == null) != (key == null)) {
                throw new IllegalArgumentException("--tls-cert and --tls-key go together");
            }
        }

        /** True when any listener or command needs a TLS context. */
        public boolean enabled() {
            return starttls || port >= 0;
        }
    }

    /** Bounds on everything a client can make the sink hold or wait for. */
    public record Limits(long maxMessage, int maxSessions, int maxLine, int maxRecipients, int maxErrors,
                         Duration commandTimeout, Duration dataTimeout) {
        public Limits {
            if (maxMessage < 0) {
                throw new IllegalArgumentException("--max-size must not be negative");
            }
            if (maxSessions < 1 || maxSessions > 100_000) {
                throw new IllegalArgumentException("--connections out of range 1..100000: " + maxSessions);
            }
            if (maxLine < 512 || maxLine > 1 << 20) {
                throw new IllegalArgumentException("--max-line out of range 512..1048576: " + maxLine);
            }
            positive(commandTimeout, "--command-timeout");
            positive(dataTimeout, "--data-timeout");
        }
    }

    /**
     * Recipient actions, AUTH, greylisting and the rules.
     *
     * @param rules run-time rules in the order given, as {@code postalctl set KEY=VALUE} takes them
     *              (e.g. {@code fault.rcpt} to {@code 450:10%})
     */
    public record Policy(Path users, AuthMode auth, Duration greylistDelay, HashMode hash, Map<String, String> rules) {
        public Policy {
            rules = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rules));
            SinkRules.of(rules);
            Objects.requireNonNull(auth, "auth");
            Objects.requireNonNull(hash, "hash");
            if (greylistDelay.isNegative()) {
                throw new IllegalArgumentException("--greylist-delay must not be negative");
            }
            if (auth == AuthMode.USERS && users == null) {
                throw new IllegalArgumentException("--auth users needs a user list");
            }
        }
    }

    /** Statistics rows, the message log and transcripts. */
    public record Output(Duration interval, boolean json, long count, Duration duration, Path logDir,
                         boolean logAll, Path transcript, boolean transcriptPerConnection, Path ledger) {
        public Output {
            positive(interval, "--interval");
            if (count < 0) {
                throw new IllegalArgumentException("--count must not be negative");
            }
            Objects.requireNonNull(logDir, "logDir");
        }
    }

    /**
     * Where bounces go and how hard bhm tries.
     *
     * @param relay    the SMTP server bounces are handed to (null: none, bounces are dropped and counted)
     * @param retry    the wait before the first retry, doubled for each later one
     * @param attempts hand-overs tried per bounce before it is dropped
     * @param queue    bounces held at once (queued, being sent or waiting for a retry)
     */
    public record Bounces(java.net.InetSocketAddress relay, Duration retry, int attempts, int queue) {
        public Bounces {
            positive(retry, "--bounce-retry");
            if (attempts < 1 || attempts > 100) {
                throw new IllegalArgumentException("--bounce-attempts out of range 1..100: " + attempts);
            }
            if (queue < 1 || queue > 1_000_000) {
                throw new IllegalArgumentException("--bounce-queue out of range 1..1000000: " + queue);
            }
        }
    }

    /** How AUTH is offered and checked. */
    public enum AuthMode { NONE, ANY, USERS }

    private static void checkPort(int port, String option) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " out of range 0..65535: " + port);
        }
    }

    private static void positive(Duration value, String option) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(option + " must be a positive duration");
        }
    }
}
