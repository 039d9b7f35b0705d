// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Path;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postal.daemon.ledger.Arrivals;
import org.postal.daemon.smtp.Reply;
import org.postal.daemon.report.TranscriptSwitch;
import org.postal.daemon.report.Transcripts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every session of one bhm shares: settings, counters, the user list and the optional parts.
 *
 * @param ssl          the TLS context, or null when TLS is off
 * @param hosts        greeting names by local address (the -r file); others get the default name
 * @param messageLog   the -a log, or null
 * @param arrivals     the live duplicate count and the --ledger file
 * @param settings     what can change at run time: fault rules, user list, transcripts
 * @param onCount      run once when --count messages have been accepted
 * @param bouncer      sends bounces to the relay
 * @param anvil        per-client connection counts for the client limits
 */
record SinkServices(SinkConfig config, SinkStats stats, SinkSettings settings, Greylist greylist, Slots slots,
                    SslContext ssl, Map<InetAddress, String> hosts, MessageLog messageLog,
                    Greetings greetings, Runnable onCount, AtomicBoolean countReached, Arrivals arrivals,
                    Bouncer bouncer, ClientLimits anvil) {

    private static final Logger LOG = LoggerFactory.getLogger(SinkServices.class);

    /** Greylist triplets kept; the least recently seen go first. */
    static final int GREYLIST_CAPACITY = 100_000;

    /**
     * Loads the user list, host names and certificate the config names, and opens the logs.
     *
     * @param onCount run once when --count messages have been accepted
     * @throws IOException when a named file cannot be used (the message says which and why)
     */
    static SinkServices create(SinkConfig config, Runnable onCount) throws IOException {
        SinkConfig.Policy policy = config.policy();
        UserList users = policy.users() == null ? UserList.empty() : UserList.load(policy.users());
        Path hostsFile = config.listen().reverseDns();
        Map<InetAddress, String> hosts = hostsFile == null ? Map.of() : HostsFile.load(hostsFile);
        TlsContexts.Server tls = null;
        if (config.tls().enabled()) {
            tls = config.tls().certificate() == null ? TlsContexts.selfSigned(config.listen().hostname())
                    : TlsContexts.fromPem(config.tls().certificate(), config.tls().key());
            LOG.info("TLS certificate {}for {}, SHA-256 fingerprint {}", tls.selfSigned() ? "(self-signed) " : "",
                    tls.certificate().getSubjectX500Principal().getName(), tls.fingerprint());
        }
        SinkConfig.Output output = config.output();
        MessageLog messageLog = output.logAll() ? new MessageLog(output.logDir().resolve("bhm.log")) : null;
        TranscriptSwitch transcripts = new TranscriptSwitch(output.transcript(), output.transcriptPerConnection(),
                output.logDir().resolve("bhm.transcript"));
        Greylist greylist = new Greylist(policy.greylistDelay(), GREYLIST_CAPACITY, System::nanoTime);
        SinkStats stats = new SinkStats();
        return new SinkServices(config, stats, new SinkSettings(SinkRules.of(policy.rules()), users, policy.users(), transcripts), greylist,
                new Slots(config.limits().maxSessions()), tls == null ? null : tls.context(), hosts, messageLog,
                new Greetings(config, tls != null), onCount, new AtomicBoolean(),
                Arrivals.open(output.ledger(), "bhm", "bhm"), new Bouncer(config.bounces(), stats),
                new ClientLimits(System::nanoTime));
    }

    /** The user list in force now (it can be replaced at run time). */
    UserList users() {
        return settings.users();
    }

    /** The transcripts for a session starting now, or null when they are off. */
    Transcripts transcripts() {
        return settings.transcripts().current();
    }

    /** The name this server gives itself to a client that reached {@code local}. */
    String hostname(java.net.SocketAddress local) {
        if (hosts.isEmpty() || !(local instanceof java.net.InetSocketAddress address)) {
            return config.listen().hostname();
        }
        String name = hosts.get(address.getAddress());
        return name != null ? name : config.listen().hostname();
    }

    /** Checks a user name and password under the configured AUTH mode. */
    boolean credentials(String user, String password) {
        return switch (config.policy().auth()) {
            case NONE -> false;
            case ANY -> true;
            case USERS -> users().find(user).map(a -> password.equals(a.password())).orElse(false);
        };
    }

    /** Counts one accepted message and fires --count once when it is reached. */
    void accepted() {
        stats.messages.increment();
        long count = config.output().count();
        if (count > 0 && stats.messages.sum() >= count && countReached.compareAndSet(false, true)) {
            onCount.run();
        }
    }
}
